/*
 * The resource interface under the original design's names. These are
 * thin wrappers over the system calls (docs/syscalls.md); a libOS builds
 * its abstractions (libos/page.h, libos/exec.h) on them.
 *
 *   int bind_resource(int name)       handle, or a negative error
 *   int revoke_resource(int handle)   voluntary release
 *   bind_signal(REVOC_REQ, handler)   register the revocation_request upcall
 *
 * The handler receives revocation_request(handle) through the runtime's
 * dispatcher (libos/upcall.h): bind_signal here installs a C function as
 * that handler; the kernel-level entry stays the runtime's trampoline.
 */
#ifndef LIBOS_RESOURCE_H
#define LIBOS_RESOURCE_H

#include <stdint.h>

#include <exo/book.h>
#include <exo/resource.h>

int bind_resource(int name);
int revoke_resource(int handle);

typedef void (*revocation_request_fn)(int64_t handle, uint64_t name,
				      uint64_t deadline);

/* Only REVOC_REQ is accepted; other kinds go through libos_handlers. */
int bind_signal(int kind, revocation_request_fn handler);

/* This env's / env id's entry in the bookkeeping window (NULL: none). */
const struct exo_book_env *book_self(void);
const struct exo_book_env *book_env(long id);
/* The id of the env that created this one; -1 for init (no parent). */
long book_parent_id(void);

/* The ownership table (exo/book.h). */
static inline const uint16_t *book_owners(void)
{
	return (const uint16_t *)(EXO_BOOK_BASE + exo_book()->owner_off);
}

/*
 * ipc_recv and env_wait, retried when the kernel interrupts them to
 * deliver an upcall (-EXO_EAGAIN).
 */
long ipc_wait(uint64_t msg[3]);
long wait_env(long id);

/* Bind some free slice: its handle (index in *index if not NULL), or an error. */
int slice_bind_free(uint32_t *index);

#endif /* LIBOS_RESOURCE_H */
