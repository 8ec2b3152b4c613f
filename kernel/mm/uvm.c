#include <string.h>

#include <arch/paging.h>
#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <mm/kvm.h>
#include <mm/phys.h>
#include <mm/pmem.h>
#include <mm/uvm.h>

int uvm_create(struct uvm *as)
{
	uint64_t pa = pmem_alloc();

	if (pa == 0)
		return -EXO_ENOMEM;
	uint64_t *new = pa2va(pa);
	const uint64_t *k = pa2va(kvm_pml4());
	memcpy(&new[256], &k[256], 256 * sizeof(uint64_t));
	as->pml4 = pa;
	as->pages = 0;
	return 0;
}

int uvm_alloc(struct uvm *as, uint64_t va, uint64_t len, unsigned perm)
{
	uint64_t start = va & ~(PAGE_SIZE - 1);
	uint64_t end = (va + len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	if (len == 0 || end < start || end > EXO_USER_TOP)
		return -EXO_EINVAL;
	for (uint64_t p = start; p < end; p += PAGE_SIZE) {
		uint64_t *pte = pt_lookup(as->pml4, p, pmem_alloc, PTE_U);
		if (pte == NULL)
			return -EXO_ENOMEM;
		if (!(*pte & PTE_P)) {
			uint64_t frame = pmem_alloc();
			if (frame == 0)
				return -EXO_ENOMEM;
			*pte = frame | PTE_P | PTE_U | PTE_NX;
			as->pages++;
		}
		if (perm & UVM_W)
			*pte |= PTE_W;
		if (perm & UVM_X)
			*pte &= ~PTE_NX;
	}
	return 0;
}

int uvm_write(struct uvm *as, uint64_t va, const void *src, size_t len)
{
	const uint8_t *s = src;

	while (len > 0) {
		uint64_t pa, flags;
		if (!pt_translate(as->pml4, va, &pa, &flags))
			return -EXO_EFAULT;
		size_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		if (n > len)
			n = len;
		memcpy(pa2va(pa), s, n);
		s += n, va += n, len -= n;
	}
	return 0;
}

/* Free the subtree under a table entry at `level`; returns frames freed. */
static uint64_t free_level(uint64_t table_pa, int level)
{
	uint64_t *t = pa2va(table_pa);
	uint64_t n = 0;

	for (int i = 0; i < 512; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level > 1)
			n += free_level(t[i] & PTE_ADDR, level - 1);
		else {
			pmem_free(t[i] & PTE_ADDR);
			n++;
		}
	}
	pmem_free(table_pa);
	return n + 1;
}

uint64_t uvm_destroy(struct uvm *as)
{
	uint64_t *top = pa2va(as->pml4);
	uint64_t n = 0;

	if (as->pml4 == 0)
		return 0;
	for (int i = 0; i < 256; i++)   /* the user half only */
		if (top[i] & PTE_P)
			n += free_level(top[i] & PTE_ADDR, 3);
	pmem_free(as->pml4);
	as->pml4 = 0;
	return n + 1;
}
