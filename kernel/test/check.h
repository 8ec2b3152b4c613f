/*
 * The kernel's consistency check of its resource tables, run by
 * test_ctl(EXO_TEST_CHECK) (after the syscall fuzz, for instance):
 *
 *   - every frame's owner agrees with the allocator (FREE <-> free) and,
 *     for an env owner, with exactly one H_PAGE handle of that env;
 *   - every H_PAGE / H_SLICE handle names something its env owns, with no
 *     duplicates, and the published counters match;
 *   - every grant joins a live owner that owns the frame to a live
 *     grantee, and every H_PAGE_GRANT handle has its grant;
 *   - every user mapping of every env maps a frame it owns or was granted
 *     (writable only with a read-write grant), and every address space
 *     has the shared bookkeeping window;
 *   - the published free-page count is the allocator's;
 *   - every packet filter and shared filter group is consistent with its
 *     env's handles, its ring, the book and its trie (netres_check).
 *
 * Prints each violation found; returns their number.
 */
#ifndef TEST_CHECK_H
#define TEST_CHECK_H

int check_consistency(void);

#endif /* TEST_CHECK_H */
