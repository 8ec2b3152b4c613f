/*
 * User address spaces: a PML4 whose lower half belongs to one env and
 * whose upper half is the kernel's (copied from kvm_pml4()). PML4 slot 254
 * is the bookkeeping window (mm/book.h), shared read-only by every env.
 *
 * uvm only edits page tables. Which frame may be mapped where is decided
 * by the callers (mm/page.c, the secure bindings): uvm_destroy frees the
 * page-table pages, never the frames mapped through them, because those
 * belong to their owners' handle tables.
 */
#ifndef MM_UVM_H
#define MM_UVM_H

#include <stddef.h>
#include <stdint.h>

struct uvm {
	uint64_t pml4;     /* physical; 0 = none */
	uint64_t pages;    /* user frames mapped */
};

/* Permissions for uvm_map (exo/resource.h EXO_PERM_*). */
#define UVM_W 0x1  /* writable */
#define UVM_X 0x2  /* executable */

/* New empty address space (with the bookkeeping window). 0 or -EXO_ENOMEM. */
int uvm_create(struct uvm *as);

/*
 * May a user mapping live at va? Page-aligned, in
 * [EXO_USER_LOAD_MIN, EXO_USER_TOP), not in the bookkeeping slot.
 */
int uvm_va_ok(uint64_t va);

/*
 * Map frame pa at va with perm. -EXO_EEXIST if va is mapped already,
 * -EXO_ENOMEM if a page table cannot be allocated. va must pass uvm_va_ok.
 */
int uvm_map(struct uvm *as, uint64_t va, uint64_t pa, unsigned perm);

/* Add perm to the existing mapping at va; -EXO_ENOENT if none. */
int uvm_protect_add(struct uvm *as, uint64_t va, unsigned perm);

/* Unmap va; *pa = the frame it mapped. -EXO_ENOENT if nothing was mapped. */
int uvm_unmap(struct uvm *as, uint64_t va, uint64_t *pa);

/* Remove every mapping of frame pa; returns how many there were. */
unsigned uvm_unmap_frame(struct uvm *as, uint64_t pa);

/* Copy len bytes to user virtual address va (must be mapped). */
int uvm_write(struct uvm *as, uint64_t va, const void *src, size_t len);

/* Call fn for each user leaf mapping (not the bookkeeping window). */
void uvm_walk(const struct uvm *as,
	      void (*fn)(uint64_t va, uint64_t pte, void *ctx), void *ctx);

/* Free every page table and the PML4 (not the mapped frames); returns
 * the table pages freed. */
uint64_t uvm_destroy(struct uvm *as);

#endif /* MM_UVM_H */
