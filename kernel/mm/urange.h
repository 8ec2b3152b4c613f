/*
 * Arithmetic of user ranges, kept pure for host tests: is [va, va + len)
 * inside user space [0, EXO_USER_TOP) without wrapping around? The page
 * table checks that follow live in mm/usercopy.c.
 */
#ifndef MM_URANGE_H
#define MM_URANGE_H

#include <stdint.h>

/*
 * 0 if [va, va + len) lies in [0, top), else -EXO_EFAULT. An empty range
 * is valid wherever it points: nothing will be accessed. Kernel and
 * non-canonical addresses are all >= top, and a wrapping or
 * boundary-crossing range has len > top - va.
 */
int urange_check(uint64_t va, uint64_t len, uint64_t top);

/* Number of 4 KiB pages touched by the non-empty range [va, va + len). */
uint64_t urange_pages(uint64_t va, uint64_t len);

#endif /* MM_URANGE_H */
