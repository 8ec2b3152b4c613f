/*
 * The bookkeeping window. Layout (exo/book.h): the header with the env
 * table and slice vector, then the ownership table (2 bytes a frame),
 * then a page for NIC statistics; one physically contiguous run, so the
 * kernel sees it as plain arrays in the direct map.
 */
#include <string.h>

#include <arch/paging.h>
#include <console/console.h>
#include <mm/book.h>
#include <mm/phys.h>
#include <mm/pmem.h>

struct exo_book *book;
struct owner_table frame_owner;
static uint64_t root;   /* a PML4 used only to build slot 254 */

static uint64_t round_page(uint64_t n)
{
	return (n + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

static uint64_t alloc_table(void)
{
	uint64_t pa = pmem_alloc();

	if (pa == 0)
		panic("book: out of memory for page tables");
	return pa;
}

void book_init(void)
{
	uint64_t nframes = pmem_nframes();
	uint64_t owner_off = round_page(sizeof(struct exo_book));
	uint64_t nic_off = owner_off + round_page(nframes * sizeof(uint16_t));
	uint64_t size = nic_off + EXO_BOOK_NIC_BYTES;
	uint64_t pa = pmem_alloc_contig(size / PAGE_SIZE);

	if (pa == 0 || size > EXO_BOOK_LIMIT - EXO_BOOK_BASE)
		panic("book: cannot allocate %lu KiB of bookkeeping",
		      (unsigned long)(size >> 10));
	book = pa2va(pa);
	book->magic = EXO_BOOK_MAGIC;
	book->version = EXO_BOOK_VERSION;
	book->nframes = (uint32_t)nframes;
	book->owner_off = (uint32_t)owner_off;
	book->nic_off = (uint32_t)nic_off;
	book->size = (uint32_t)size;
	book->nslices = EXO_NSLICE;
	owner_init(&frame_owner, (uint16_t *)((uint8_t *)book + owner_off), nframes);
	for (uint64_t f = 0; f < nframes; f++)
		if (pmem_is_free(f))
			owner_set(&frame_owner, f, EXO_OWNER_FREE);
	pmem_track(&frame_owner, &book->free_pages);

	/* Read-only and user-accessible at the leaves; NX everywhere. */
	root = alloc_table();
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		*pt_lookup(root, EXO_BOOK_BASE + off, alloc_table, PTE_U) =
			(pa + off) | PTE_P | PTE_U | PTE_NX;
	printk("book: %lu KiB at %#lx (user %#lx): %lu frames, %d slices, %d envs\n",
	       (unsigned long)(size >> 10), (unsigned long)pa,
	       (unsigned long)EXO_BOOK_BASE, (unsigned long)nframes, EXO_NSLICE,
	       EXO_BOOK_NENV);
}

uint64_t book_pml4e(void)
{
	return ((uint64_t *)pa2va(root))[EXO_BOOK_BASE >> 39];
}

void book_set_initrd(uint64_t start, uint64_t end)
{
	uint64_t first = start / PAGE_SIZE, last = round_page(end) / PAGE_SIZE;

	for (uint64_t f = first; f < last; f++)
		owner_move(&frame_owner, f, EXO_OWNER_KERNEL, EXO_OWNER_INITRD);
	book->initrd_frame = (uint32_t)first;
	book->initrd_pages = (uint32_t)(last - first);
	book->initrd_bytes = end - start;
}
