#include <stddef.h>

#include <arch/paging.h>
#include <console/console.h>
#include <env/env.h>
#include <env/grant.h>
#include <mm/book.h>
#include <mm/page.h>
#include <mm/phys.h>
#include <mm/pmem.h>
#include <net/netres.h>
#include <sched/sched.h>
#include <test/check.h>

static int bad;

#define VIOLATION(...)                                  \
	do {                                            \
		if (bad++ < 20)                         \
			printk("check: " __VA_ARGS__); \
	} while (0)

static int live(const struct env *e)
{
	return e->state != EXO_ENV_FREE && e->state != EXO_ENV_ZOMBIE;
}

static void check_frames(uint64_t owned[NENV])
{
	for (uint64_t f = 0; f < frame_owner.nframes; f++) {
		uint16_t o = owner_get(&frame_owner, f);
		if ((o == EXO_OWNER_FREE) != (pmem_is_free(f) != 0))
			VIOLATION("frame %#lx: owner %u but allocator says %s\n",
				  (unsigned long)f, o, pmem_is_free(f) ? "free" : "used");
		if (owner_is_env(o, NENV)) {
			if (!live(&envs[o - 1]))
				VIOLATION("frame %#lx owned by dead slot %u\n",
					  (unsigned long)f, o - 1);
			owned[o - 1]++;
		}
	}
}

static void check_handles(struct env *e, uint64_t owned)
{
	unsigned pages = 0, nslice = 0;

	for (int h = 0; h < EXO_NHANDLE; h++) {
		const struct handle *hd = &e->ht.h[h];
		if (hd->type == H_FREE)
			continue;
		if (handle_find(&e->ht, hd->type, hd->name) != h)
			VIOLATION("env %d: handle %d duplicates another\n", e->id, h);
		if (hd->type == H_PAGE) {
			pages++;
			if (owner_get(&frame_owner, hd->name) != env_tag(e))
				VIOLATION("env %d: handle %d names frame %#x it does not own\n",
					  e->id, h, hd->name);
		} else if (hd->type == H_SLICE) {
			nslice++;
			if (slice_owner(&slices, EXO_NAME_INDEXOF(hd->name)) != env_tag(e))
				VIOLATION("env %d: handle %d names a slice it does not own\n",
					  e->id, h);
		} else if (hd->type == H_PAGE_GRANT) {
			const struct grant *g = grant_find(hd->name, e);
			if (g == NULL || g->handle != h)
				VIOLATION("env %d: grant handle %d without its grant\n", e->id, h);
		}
	}
	if (pages != owned || pages != e->bk->pages)
		VIOLATION("env %d: %u page handles, %lu frames owned, %u published\n",
			  e->id, pages, (unsigned long)owned, e->bk->pages);
	if (nslice != slice_count(&slices, env_tag(e)) || nslice != e->bk->slices)
		VIOLATION("env %d: %u slice handles, %u slices owned\n", e->id, nslice,
			  slice_count(&slices, env_tag(e)));
	/* Rings and filters: netres_check. */
	if (e->ht.used != handle_count(&e->ht, H_PAGE) + handle_count(&e->ht, H_SLICE) +
			  handle_count(&e->ht, H_PAGE_GRANT) + handle_count(&e->ht, H_RING) +
			  handle_count(&e->ht, H_FILTER))
		VIOLATION("env %d: handle table count %u is wrong\n", e->id, e->ht.used);
}

static uint16_t *seen_maps;   /* mappings counted by walking every env */

static void check_mapping(uint64_t va, uint64_t pte, void *ctx)
{
	struct env *e = ctx;
	uint64_t frame = (pte & PTE_ADDR) / PAGE_SIZE;
	uint16_t o = owner_get(&frame_owner, frame);

	if (frame < frame_owner.nframes)
		seen_maps[frame]++;
	if (o == env_tag(e))
		return;
	const struct grant *g = grant_find((uint32_t)frame, e);
	if (g == NULL || g->handle < 0)
		VIOLATION("env %d: va %#lx maps frame %#lx (owner %u) without a grant\n",
			  e->id, (unsigned long)va, (unsigned long)frame, o);
	else if ((pte & PTE_W) && !(g->perm & EXO_PERM_W))
		VIOLATION("env %d: va %#lx writable under a read-only grant\n", e->id,
			  (unsigned long)va);
}

static void check_grants(void)
{
	const struct grant *g = grant_table();

	for (int i = 0; i < NGRANT; i++) {
		if (!g[i].used)
			continue;
		if (!live(g[i].owner) || !live(g[i].grantee) ||
		    owner_get(&frame_owner, g[i].frame) != env_tag(g[i].owner))
			VIOLATION("grant %d of frame %#x is stale\n", i, g[i].frame);
	}
}

int check_consistency(void)
{
	static uint64_t owned[NENV];

	bad = 0;
	for (int i = 0; i < NENV; i++)
		owned[i] = 0;
	uint64_t maps_pages = (frame_owner.nframes * 2 + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t maps_pa = pmem_alloc_contig(maps_pages);
	if (maps_pa == 0) {
		printk("check: no memory for the check\n");
		return 1;
	}
	seen_maps = pa2va(maps_pa);
	check_frames(owned);
	for (int i = 0; i < NENV; i++) {
		struct env *e = &envs[i];
		if (!live(e)) {
			if (e->ht.used && e->state == EXO_ENV_ZOMBIE)
				VIOLATION("zombie slot %d still holds handles\n", i);
			continue;
		}
		check_handles(e, owned[i]);
		uvm_walk(&e->as, check_mapping, e);
		/* Compare the table, not the accessed bit the CPU sets. */
		uint64_t slot = ((uint64_t *)pa2va(e->as.pml4))[EXO_BOOK_BASE >> 39];
		if ((slot & (PTE_ADDR | PTE_P | PTE_U)) !=
		    (book_pml4e() & (PTE_ADDR | PTE_P | PTE_U)))
			VIOLATION("env %d: bookkeeping window missing\n", e->id);
	}
	check_grants();
	for (uint64_t f = 0; f < frame_owner.nframes; f++)
		if (seen_maps[f] != page_mapcount(f))
			VIOLATION("frame %#lx: %u mappings found, %u counted\n", (unsigned long)f,
				  seen_maps[f], page_mapcount(f));
	pmem_free_contig(va2pa(seen_maps), maps_pages);
	if (book->free_pages != pmem_free_pages())
		VIOLATION("published free pages %lu, allocator %lu\n",
			  (unsigned long)book->free_pages,
			  (unsigned long)pmem_free_pages());
	bad += netres_check();   /* packet filters, shared groups */
	printk("check: page ownership, handle tables, grants, slices, mappings: %d violation(s)\n",
	       bad);
	return bad;
}
