/*
 * Memory secure bindings. A physical page is bound to one env (owner in
 * the ownership table + a H_PAGE handle in its table); its owner may map
 * it at virtual addresses of its choice with permissions of its choice,
 * grant other envs access (env/grant.h), hand it to an embryo child, and
 * release it. The kernel checks ownership at binding time and handles at
 * mapping time, so a frame that is the kernel's or another env's can
 * never appear in an env's page tables without a grant.
 *
 * Arguments are decoded by the callers (kernel/syscall); these functions
 * still refuse anything inconsistent with an error.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <stdint.h>

struct env;

/* After book_init(): the per-frame mapping counts. */
void page_init(void);

/* User mappings of frame, over all envs (for the consistency check). */
uint16_t page_mapcount(uint64_t frame);

/* Remove e's mappings of frame (free when it has none anywhere). */
void page_unmap_all(struct env *e, uint64_t frame);

/* Bind frame to e: a handle in *h, or -EXO_E*. */
int page_bind(struct env *e, uint64_t frame, int *h);

/* Bind some free frame (the kernel's loader for init). */
int page_bind_any(struct env *e, int *h);

/* Release e's H_PAGE handle h: unmapped everywhere, grants gone, frame free. */
void page_release(struct env *e, int h);

/* A grantee drops its H_PAGE_GRANT handle h (the grant stays). */
void page_unbind_grant(struct env *e, int h);

/* Map the page of e's handle h at va (e's address space) with perm. */
int page_map(struct env *e, int64_t h, uint64_t va, uint64_t perm);

/* Unmap whatever e has at va. */
int page_unmap(struct env *e, uint64_t va);

/* Move e's H_PAGE handle h to embryo `to`; returns to's handle. */
int page_transfer(struct env *e, int h, struct env *to);

#endif /* MM_PAGE_H */
