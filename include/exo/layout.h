/*
 * The user half of an address space, as the kernel sets it up for a new
 * env (see docs/boot.md for the kernel half):
 *
 *   0x0000000000000000  unmapped (null dereferences fault)
 *   EXO_USER_LOAD_MIN   lowest address an ELF segment may use
 *   0x0000000000400000  where libos/user.ld links programs
 *   ...
 *   EXO_BOOK_BASE       the kernel's bookkeeping, read-only (exo/book.h);
 *                       PML4 slot 254, nothing else may be mapped there
 *   EXO_USER_STACK_TOP - EXO_USER_STACK_SIZE  initial stack, grows down;
 *                       one unmapped guard page below it
 *   EXO_USER_STACK_TOP  top of the initial stack (argc, argv, envp, auxv)
 *   EXO_USER_TOP        end of user space (bootinfo.h); above: not canonical
 */
#ifndef EXO_LAYOUT_H
#define EXO_LAYOUT_H

#include <exo/bootinfo.h>

#define EXO_PAGE_SIZE        0x1000ULL
#define EXO_USER_LOAD_MIN    0x0000000000010000ULL
#define EXO_USER_STACK_TOP   0x00007fffffff0000ULL
#define EXO_USER_STACK_SIZE  0x0000000000010000ULL  /* 64 KiB */
#define EXO_USER_LOAD_MAX    (EXO_USER_STACK_TOP - EXO_USER_STACK_SIZE - EXO_PAGE_SIZE)

/* Auxiliary vector keys passed on the initial stack (System V ABI). */
#define EXO_AT_NULL   0
#define EXO_AT_PAGESZ 6
#define EXO_AT_ENTRY  9

#endif /* EXO_LAYOUT_H */
