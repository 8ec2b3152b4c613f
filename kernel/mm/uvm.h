/*
 * User address spaces: a PML4 whose lower half belongs to one env and
 * whose upper half is the kernel's (copied from kvm_pml4()). The kernel
 * fills user memory through the direct map, never through user addresses.
 */
#ifndef MM_UVM_H
#define MM_UVM_H

#include <stddef.h>
#include <stdint.h>

struct uvm {
	uint64_t pml4;     /* physical; 0 = none */
	uint64_t pages;    /* user frames mapped */
};

/* User page permissions for uvm_alloc(). */
#define UVM_W 0x1  /* writable */
#define UVM_X 0x2  /* executable */

/* New empty address space. Returns 0 or -EXO_ENOMEM. */
int uvm_create(struct uvm *as);

/*
 * Map fresh zeroed frames over [va, va + len) (page-rounded). A page that
 * is already mapped keeps its frame and gains the new permissions (two
 * ELF segments may share a page). Returns 0 or -EXO_ENOMEM / -EXO_EINVAL.
 */
int uvm_alloc(struct uvm *as, uint64_t va, uint64_t len, unsigned perm);

/* Copy len bytes to user virtual address va (must be mapped). */
int uvm_write(struct uvm *as, uint64_t va, const void *src, size_t len);

/* Free every user frame and table and the PML4; returns the frames freed. */
uint64_t uvm_destroy(struct uvm *as);

#endif /* MM_UVM_H */
