/*
 * Boot-time glue around the frame allocator. The bitmap covers frames from
 * 0 up to the end of the highest freeable region and is itself carved out
 * of the first usable region big enough, reached through the direct map.
 * Frame 0 stays allocated forever so that a physical address of 0 can mean
 * "no frame".
 */
#include <string.h>

#include <arch/paging.h>
#include <boot/bootinfo.h>
#include <console/console.h>
#include <mm/owner.h>
#include <mm/palloc.h>
#include <mm/phys.h>
#include <mm/pmem.h>

static struct palloc pa;
static struct owner_table *owners;   /* NULL until the bookkeeping exists */
static uint64_t *free_count;         /* the bookkeeping's copy of nfree */

void pmem_zero(uint64_t pa, uint64_t pages)
{
	/*
	 * Eight 8-byte stores per loop: fast on hardware, and under QEMU's
	 * TCG an order of magnitude faster than rep stos, which is emulated
	 * one element at a time.
	 */
	void *d = pa2va(pa);
	uint64_t n = pages * (PAGE_SIZE / 64);

	__asm__ volatile("1:\n\t"
			 "movq %2, 0(%0)\n\t"
			 "movq %2, 8(%0)\n\t"
			 "movq %2, 16(%0)\n\t"
			 "movq %2, 24(%0)\n\t"
			 "movq %2, 32(%0)\n\t"
			 "movq %2, 40(%0)\n\t"
			 "movq %2, 48(%0)\n\t"
			 "movq %2, 56(%0)\n\t"
			 "addq $64, %0\n\t"
			 "decq %1\n\t"
			 "jnz 1b"
			 : "+r"(d), "+r"(n) : "r"(0UL) : "memory", "cc");
}

/* Keep the ownership table and the published free count in step. */
static void track(uint64_t frame, uint64_t count, uint16_t who)
{
	if (owners)
		for (uint64_t i = 0; i < count; i++)
			owner_set(owners, frame + i, who);
	if (free_count)
		*free_count = palloc_nfree(&pa);
}

static int freeable(uint32_t type)
{
	return type == EXO_MEM_USABLE || type == EXO_MEM_LOADER ||
	       type == EXO_MEM_MODULE;
}

static uint64_t bitmap_home(const struct exo_bootinfo *bi, uint64_t bytes)
{
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const struct exo_mem_region *r = &bi->mem[i];
		uint64_t base = r->base ? r->base : PAGE_SIZE;  /* not frame 0 */
		if (r->type == EXO_MEM_USABLE && r->base + r->length >= base + bytes &&
		    base + bytes <= bi->direct_map_size)
			return base;
	}
	panic("pmem: no usable region holds the %lu-byte frame bitmap",
	      (unsigned long)bytes);
}

void pmem_init(const struct exo_bootinfo *bi)
{
	uint64_t end = 0;

	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (freeable(bi->mem[i].type) &&
		    bi->mem[i].base + bi->mem[i].length > end)
			end = bi->mem[i].base + bi->mem[i].length;
	uint64_t nframes = end / PAGE_SIZE;
	uint64_t bytes = palloc_words(nframes) * 8;
	bytes = (bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	uint64_t home = bitmap_home(bi, bytes);

	palloc_init(&pa, pa2va(home), 0, nframes);
	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == EXO_MEM_USABLE)
			palloc_add(&pa, bi->mem[i].base / PAGE_SIZE,
				   bi->mem[i].length / PAGE_SIZE);
	if (palloc_take(&pa, home / PAGE_SIZE, bytes / PAGE_SIZE) != PALLOC_OK)
		panic("pmem: cannot carve the frame bitmap at %#lx",
		      (unsigned long)home);
	if (palloc_is_free(&pa, 0))
		palloc_take(&pa, 0, 1);
	printk("mm: frames below %#lx, %lu pages free (bitmap %lu KiB at %#lx)\n",
	       (unsigned long)end, (unsigned long)palloc_nfree(&pa),
	       (unsigned long)(bytes >> 10), (unsigned long)home);
}

uint64_t pmem_alloc(void)
{
	uint64_t f = palloc_alloc(&pa);

	if (f == PALLOC_NONE)
		return 0;
	track(f, 1, EXO_OWNER_KERNEL);
	pmem_zero(f * PAGE_SIZE, 1);
	return f * PAGE_SIZE;
}

void pmem_free(uint64_t addr)
{
	int err = palloc_free(&pa, addr / PAGE_SIZE);

	if (err != PALLOC_OK)
		panic("pmem: bad free of frame %#lx (%s)", (unsigned long)addr,
		      err == PALLOC_EDOUBLE ? "double free" : "out of range");
	track(addr / PAGE_SIZE, 1, EXO_OWNER_FREE);
}

void pmem_free_contig(uint64_t pa, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++)
		pmem_free(pa + i * PAGE_SIZE);
}

uint64_t pmem_alloc_contig(uint64_t pages)
{
	uint64_t f = palloc_alloc_contig(&pa, pages, 1);

	if (f == PALLOC_NONE)
		return 0;
	track(f, pages, EXO_OWNER_KERNEL);
	pmem_zero(f * PAGE_SIZE, pages);
	return f * PAGE_SIZE;
}

int pmem_take(uint64_t frame)
{
	if (palloc_take(&pa, frame, 1) != PALLOC_OK)
		return -1;
	track(frame, 0, 0);
	return 0;
}

int pmem_give(uint64_t frame)
{
	if (palloc_free(&pa, frame) != PALLOC_OK)
		return -1;
	track(frame, 0, 0);
	return 0;
}

int pmem_is_free(uint64_t frame)
{
	return palloc_is_free(&pa, frame);
}

uint64_t pmem_nframes(void)
{
	return pa.nframes;
}

void pmem_track(struct owner_table *t, uint64_t *nfree)
{
	owners = t;
	free_count = nfree;
	*nfree = palloc_nfree(&pa);
}

uint64_t pmem_free_pages(void)
{
	return palloc_nfree(&pa);
}

static uint64_t reclaim_region(const struct exo_mem_region *r)
{
	uint64_t n = r->length / PAGE_SIZE;

	if (palloc_add(&pa, r->base / PAGE_SIZE, n) != PALLOC_OK)
		panic("pmem: cannot reclaim %s region %#lx+%#lx",
		      bootinfo_type_name(r->type), (unsigned long)r->base,
		      (unsigned long)r->length);
	track(r->base / PAGE_SIZE, n, EXO_OWNER_FREE);
	return n;
}

uint64_t pmem_reclaim_type(const struct exo_bootinfo *bi, uint32_t type)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == type)
			n += reclaim_region(&bi->mem[i]);
	return n;
}

/* Does any module in `mask` touch frame f? */
static int module_on(const struct exo_bootinfo *bi, uint32_t mask, uint64_t f)
{
	for (uint32_t m = 0; m < bi->mod_count; m++) {
		const struct exo_module *mod = &bi->mods[m];
		if ((mask & (1u << m)) && mod->start < (f + 1) * PAGE_SIZE &&
		    mod->end > f * PAGE_SIZE)
			return 1;
	}
	return 0;
}

uint64_t pmem_reclaim_modules(const struct exo_bootinfo *bi, uint32_t done)
{
	uint32_t live = ((bi->mod_count >= 32 ? 0 : 1u << bi->mod_count) - 1) & ~done;
	uint64_t n = 0;

	for (uint32_t m = 0; m < bi->mod_count; m++) {
		if (!(done & (1u << m)))
			continue;
		uint64_t first = bi->mods[m].start / PAGE_SIZE;
		uint64_t last = (bi->mods[m].end + PAGE_SIZE - 1) / PAGE_SIZE;
		for (uint64_t f = first; f < last; f++) {
			if (module_on(bi, live, f) || palloc_is_free(&pa, f))
				continue;   /* shared with a live module, or done already */
			if (palloc_add(&pa, f, 1) != PALLOC_OK)
				panic("pmem: cannot reclaim module frame %#lx", (unsigned long)f);
			track(f, 1, EXO_OWNER_FREE);
			n++;
		}
	}
	return n;
}
