#include <string.h>

#include <arch/cpu.h>
#include <arch/paging.h>
#include <exo/book.h>
#include <exo/errno.h>
#include <exo/layout.h>
#include <mm/book.h>
#include <mm/kvm.h>
#include <mm/phys.h>
#include <mm/pmem.h>
#include <mm/uvm.h>

#define BOOK_SLOT 254   /* pt_index(EXO_BOOK_BASE, 4) */

_Static_assert((EXO_BOOK_BASE >> 39) == BOOK_SLOT, "bookkeeping slot");

int uvm_create(struct uvm *as)
{
	uint64_t pa = pmem_alloc();

	if (pa == 0)
		return -EXO_ENOMEM;
	uint64_t *new = pa2va(pa);
	const uint64_t *k = pa2va(kvm_pml4());
	memcpy(&new[256], &k[256], 256 * sizeof(uint64_t));
	new[BOOK_SLOT] = book_pml4e();
	as->pml4 = pa;
	as->pages = 0;
	return 0;
}

int uvm_va_ok(uint64_t va)
{
	return (va & (PAGE_SIZE - 1)) == 0 && va >= EXO_USER_LOAD_MIN &&
	       va < EXO_USER_TOP && !(va >= EXO_BOOK_BASE && va < EXO_BOOK_LIMIT);
}

static void flush(const struct uvm *as, uint64_t va)
{
	if ((read_cr3() & PTE_ADDR) == as->pml4)
		invlpg(va);
}

int uvm_map(struct uvm *as, uint64_t va, uint64_t pa, unsigned perm)
{
	if (!uvm_va_ok(va))
		return -EXO_EINVAL;
	uint64_t *pte = pt_lookup(as->pml4, va, pmem_alloc, PTE_U);
	if (pte == NULL)
		return -EXO_ENOMEM;
	if (*pte & PTE_P)
		return -EXO_EEXIST;
	*pte = pa | PTE_P | PTE_U | (perm & UVM_W ? PTE_W : 0) |
	       (perm & UVM_X ? 0 : PTE_NX);
	as->pages++;
	return 0;
}

int uvm_protect_add(struct uvm *as, uint64_t va, unsigned perm)
{
	uint64_t *pte = pt_lookup(as->pml4, va, NULL, 0);

	if (pte == NULL || !(*pte & PTE_P))
		return -EXO_ENOENT;
	if (perm & UVM_W)
		*pte |= PTE_W;
	if (perm & UVM_X)
		*pte &= ~PTE_NX;
	flush(as, va);
	return 0;
}

int uvm_unmap(struct uvm *as, uint64_t va, uint64_t *pa)
{
	uint64_t *pte = uvm_va_ok(va) ? pt_lookup(as->pml4, va, NULL, 0) : NULL;

	if (pte == NULL || !(*pte & PTE_P))
		return -EXO_ENOENT;
	*pa = *pte & PTE_ADDR;
	*pte = 0;
	as->pages--;
	flush(as, va);
	return 0;
}

/* Visit the present leaves under table_pa (level 1 = PT). */
static void walk_level(uint64_t table_pa, int level, uint64_t base,
		       void (*fn)(uint64_t va, uint64_t *pte, void *ctx), void *ctx)
{
	uint64_t *t = pa2va(table_pa);

	for (int i = 0; i < 512; i++) {
		if (!(t[i] & PTE_P))
			continue;
		uint64_t va = base + ((uint64_t)i << (PAGE_SHIFT + 9 * (level - 1)));
		if (level > 1)
			walk_level(t[i] & PTE_ADDR, level - 1, va, fn, ctx);
		else
			fn(va, &t[i], ctx);
	}
}

static void walk_user(const struct uvm *as,
		      void (*fn)(uint64_t va, uint64_t *pte, void *ctx), void *ctx)
{
	uint64_t *top = pa2va(as->pml4);

	for (int i = 0; i < 256; i++)
		if (i != BOOK_SLOT && (top[i] & PTE_P))
			walk_level(top[i] & PTE_ADDR, 3, (uint64_t)i << 39, fn, ctx);
}

struct unmap_ctx {
	struct uvm *as;
	uint64_t pa;
	unsigned n;
};

static void unmap_one(uint64_t va, uint64_t *pte, void *ctx)
{
	struct unmap_ctx *u = ctx;

	if ((*pte & PTE_ADDR) != u->pa)
		return;
	*pte = 0;
	u->as->pages--;
	u->n++;
	flush(u->as, va);
}

unsigned uvm_unmap_frame(struct uvm *as, uint64_t pa)
{
	struct unmap_ctx u = { as, pa, 0 };

	if (as->pml4 == 0 || as->pages == 0)
		return 0;
	walk_user(as, unmap_one, &u);
	return u.n;
}

struct walk_ctx {
	void (*fn)(uint64_t va, uint64_t pte, void *ctx);
	void *ctx;
};

static void walk_one(uint64_t va, uint64_t *pte, void *ctx)
{
	struct walk_ctx *w = ctx;

	w->fn(va, *pte, w->ctx);
}

void uvm_walk(const struct uvm *as,
	      void (*fn)(uint64_t va, uint64_t pte, void *ctx), void *ctx)
{
	struct walk_ctx w = { fn, ctx };

	if (as->pml4)
		walk_user(as, walk_one, &w);
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

/* Free the tables under a table entry at `level` (leaves are not ours). */
static uint64_t free_tables(uint64_t table_pa, int level)
{
	uint64_t *t = pa2va(table_pa);
	uint64_t n = 0;

	if (level > 1)
		for (int i = 0; i < 512; i++)
			if (t[i] & PTE_P)
				n += free_tables(t[i] & PTE_ADDR, level - 1);
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
		if (i != BOOK_SLOT && (top[i] & PTE_P))
			n += free_tables(top[i] & PTE_ADDR, 3);
	pmem_free(as->pml4);
	as->pml4 = 0;
	as->pages = 0;
	return n + 1;
}
