/*
 * Copies between the kernel and the current env's memory. Every range is
 * checked completely before a byte moves: inside user space (mm/urange.h),
 * then every page present and user-accessible (and writable, for
 * copy_to_user) in the env's page tables. The bytes then move through the
 * direct map, so a hostile pointer can only ever produce -EXO_EFAULT,
 * never a kernel fault, and SMAP stays armed throughout.
 */
#ifndef MM_USERCOPY_H
#define MM_USERCOPY_H

#include <stddef.h>
#include <stdint.h>

struct uvm;

/* 0 if the whole range is accessible (writable if `write`), else -EXO_EFAULT. */
int user_check(const struct uvm *as, uint64_t uva, uint64_t len, int write);

int copy_from_user(const struct uvm *as, void *dst, uint64_t uva, size_t len);
int copy_to_user(const struct uvm *as, uint64_t uva, const void *src, size_t len);

#endif /* MM_USERCOPY_H */
