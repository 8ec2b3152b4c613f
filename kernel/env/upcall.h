/*
 * Upcalls: how the kernel tells a libOS something (docs/libos.md). The
 * interrupted user registers go to the env's upcall area (in its own
 * memory), `in_upcall` is set there, and the env continues at the entry
 * point it registered for that kind, on its upcall stack, with the kind
 * and three arguments in registers. The libOS resumes by itself.
 *
 * Synchronous upcalls (exceptions) are delivered at once or not at all:
 * with no handler, no usable area, or while the env is already inside an
 * upcall, the caller destroys the env. Asynchronous ones (revocation
 * requests, slice epilogue and prologue, IPC) wait until the env is
 * outside any upcall; they are checked on every return to user mode.
 */
#ifndef ENV_UPCALL_H
#define ENV_UPCALL_H

#include <stdint.h>

#include <arch/trap.h>

struct env;

/* Reflect an exception: 0 if tf now enters the handler, -1 if impossible. */
int upcall_sync(struct env *e, struct trapframe *tf, int kind, uint64_t a0,
		uint64_t a1, uint64_t a2);

/*
 * Is an asynchronous upcall waiting for e? A call about to block returns
 * -EXO_EAGAIN instead, so the upcall is delivered on its way out.
 */
int upcall_pending(const struct env *e);

/* On the way back to user mode: deliver one pending asynchronous upcall. */
void upcall_async(struct env *e, struct trapframe *tf);

/*
 * For kernel subsystems that raise asynchronous upcalls of their own (the
 * network datapath's EXO_SIG_PACKET): mark one pending for e with these
 * arguments (a later post before delivery replaces them: the libOS then
 * polls its rings), and interrupt e if it is blocked. -1 if e registered
 * no handler for `kind` or the kind is not one that may be posted.
 */
int upcall_post(struct env *e, int kind, uint64_t a0, uint64_t a1, uint64_t a2);

/*
 * upcall_yield: the env leaves its upcall without resuming. Its context
 * becomes the one saved in the area; in_upcall is cleared. -EXO_EINVAL if
 * it is not in an upcall, -EXO_EFAULT if the area is unusable.
 */
int upcall_leave(struct env *e);

#endif /* ENV_UPCALL_H */
