/*
 * Walks of 4-level page tables (SDM Vol. 3A 4.5), reading every table
 * through the direct map.
 */
#include <stddef.h>

#include <arch/paging.h>
#include <mm/phys.h>

uint64_t *pt_entry(uint64_t pml4_pa, uint64_t va, int target,
		   pt_alloc_fn alloc, uint64_t inter)
{
	uint64_t *table = pa2va(pml4_pa);

	for (int level = 4; level > target; level--) {
		uint64_t *e = &table[pt_index(va, level)];
		if (!(*e & PTE_P)) {
			uint64_t pa = alloc ? alloc() : 0;
			if (pa == 0)
				return NULL;
			*e = pa | PTE_P | PTE_W | inter;
		} else if (*e & PTE_PS) {
			return NULL;
		}
		/* Entries above a user page must allow user access too. */
		*e |= inter;
		table = pa2va(*e & PTE_ADDR);
	}
	return &table[pt_index(va, target)];
}

uint64_t *pt_lookup(uint64_t pml4_pa, uint64_t va, pt_alloc_fn alloc,
		    uint64_t inter)
{
	return pt_entry(pml4_pa, va, 1, alloc, inter);
}

int pt_translate(uint64_t pml4_pa, uint64_t va, uint64_t *pa, uint64_t *flags)
{
	uint64_t *table = pa2va(pml4_pa);
	uint64_t f = PTE_P | PTE_W | PTE_U;  /* AND of W and U, OR of NX */
	uint64_t nx = 0;

	for (int level = 4; level >= 1; level--) {
		uint64_t e = table[pt_index(va, level)];
		if (!(e & PTE_P))
			return 0;
		f &= e | ~(PTE_W | PTE_U);
		nx |= e & PTE_NX;
		if (level == 1 || (level <= 3 && (e & PTE_PS))) {
			uint64_t size = 1ULL << (PAGE_SHIFT + 9 * (level - 1));
			uint64_t base = e & PTE_ADDR & ~(size - 1);
			*pa = base + (va & (size - 1));
			*flags = f | nx;
			return 1;
		}
		table = pa2va(e & PTE_ADDR);
	}
	return 0;
}
