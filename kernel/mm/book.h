/*
 * The bookkeeping window (exo/book.h): allocated once at boot, written by
 * the kernel through the direct map, mapped read-only into every env
 * through one shared page-table subtree (PML4 slot 254).
 */
#ifndef MM_BOOK_H
#define MM_BOOK_H

#include <stdint.h>

#include <exo/book.h>
#include <mm/owner.h>

/* The kernel's view of the window, and the ownership table inside it. */
extern struct exo_book *book;
extern struct owner_table frame_owner;

/*
 * After pmem and kvm: allocate the window, build its page tables, start
 * the ownership table from the allocator's state and let pmem keep it.
 */
void book_init(void);

/* The PML4 entry every user address space gets in slot 254. */
uint64_t book_pml4e(void);

/*
 * Mark the pages of the module [start, end) as the initrd (owner
 * EXO_OWNER_INITRD) and publish where it is.
 */
void book_set_initrd(uint64_t start, uint64_t end);

#endif /* MM_BOOK_H */
