/*
 * Four-level page-table construction for the handoff (see paging.h).
 *
 * The loader runs on its bootstrap identity map, so a table's physical
 * address is also a pointer to it. Intermediate entries are created
 * present+writable+executable and the leaf decides the permissions:
 * the effective rights are the intersection along the walk (Intel SDM
 * Vol. 3A 4.6, "Access Rights").
 */
#include <stdint.h>
#include <string.h>

#include "paging.h"

static uint64_t *table(uint64_t phys)
{
	return (uint64_t *)(uintptr_t)phys;
}

static int new_table(struct pt *pt, uint64_t *phys)
{
	if (memmap_alloc(pt->map, PAGE_4K, PAGE_4K, pt->lo, pt->hi, EXO_MEM_LOADER,
			 phys) != 0)
		return -1;
	memset(table(*phys), 0, PAGE_4K);
	return 0;
}

int pt_init(struct pt *pt, struct memmap *map, uint64_t lo, uint64_t hi)
{
	pt->map = map;
	pt->lo = lo;
	pt->hi = hi;
	return new_table(pt, &pt->pml4);
}

/* The next-level table under entry idx of `tab`, created on demand. */
static uint64_t *descend(struct pt *pt, uint64_t *tab, unsigned idx, const char **why)
{
	uint64_t e = tab[idx];
	uint64_t phys;

	if (e & PTE_P) {
		if (e & PTE_PS) {
			*why = "a large page is already mapped there";
			return NULL;
		}
		return table(e & PTE_ADDR);
	}
	if (new_table(pt, &phys) != 0) {
		*why = "out of memory for page tables";
		return NULL;
	}
	tab[idx] = phys | PTE_P | PTE_W;
	return table(phys);
}

static unsigned idx(uint64_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

static int map_one(struct pt *pt, uint64_t va, uint64_t pa, uint64_t flags,
		   int large, const char **why)
{
	uint64_t *t = table(pt->pml4);
	int leaf_level = large ? 1 : 0;

	for (int level = 3; level > leaf_level; level--) {
		t = descend(pt, t, idx(va, level), why);
		if (t == NULL)
			return -1;
	}
	uint64_t *e = &t[idx(va, leaf_level)];
	uint64_t want = pa | PTE_P | flags | (large ? PTE_PS : 0);

	if (*e & PTE_P) {
		if ((*e & PTE_ADDR) != pa || large || (*e & PTE_PS)) {
			*why = "conflicting mapping for the same virtual page";
			return -1;
		}
		/* Same frame: union of rights (W if either, X if either). */
		want = (*e | want) & ~PTE_NX;
		if ((*e & PTE_NX) && (flags & PTE_NX))
			want |= PTE_NX;
	}
	*e = want;
	return 0;
}

int pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags,
	   int large, const char **why)
{
	flags &= PTE_W | PTE_NX;
	while (len > 0) {
		int big = large && (va % PAGE_2M) == 0 && (pa % PAGE_2M) == 0 &&
			  len >= PAGE_2M;
		uint64_t step = big ? PAGE_2M : PAGE_4K;

		if (map_one(pt, va, pa, flags, big, why) != 0)
			return -1;
		if (len <= step)
			break;
		len -= step;
		va += step;
		pa += step;
	}
	return 0;
}
