/*
 * Visible revocation and the abort protocol. When the kernel wants a
 * resource back (another env with EXO_CAP_RECLAIM demands it, or a test
 * hook), it sends the owner a revocation_request(handle) upcall and sets
 * a deadline in timer ticks, counted from when the owner is told (the
 * upcall is entered; revoke.c says what bounds that). An owner that
 * releases the handle in time
 * has cooperated. At the deadline the kernel takes the resource by force:
 * unmaps it, clears its ownership and records the repossession in the
 * owner's repossession vector (exo/book.h), which the libOS can read.
 */
#ifndef ENV_REVOKE_H
#define ENV_REVOKE_H

#include <stdint.h>

struct env;

#define NREVOKE 64
#define REVOKE_MAX_TICKS 60000   /* a minute */
/* How long an owner with a handler may go untold before its deadline runs anyway. */
#define REVOKE_DELIVERY_MAX 1000

/* Ask victim for handle h back within `ticks`. -EXO_EEXIST, -EXO_EAGAIN. */
int revoke_request(struct env *victim, int h, uint64_t ticks);

/* Handle h of e is gone; `in_time`: it was a voluntary release. */
void revoke_resolved(struct env *e, int h, int in_time);

/* From the tick: enforce expired deadlines. */
void revoke_tick(uint64_t now);

/*
 * A request to e not yet announced: 1 and its handle, name, deadline
 * (and marks it announced), or 0.
 */
int revoke_take_pending(struct env *e, uint64_t *h, uint64_t *name,
			uint64_t *deadline);

/* Any request not yet announced to e? */
int revoke_has_pending(const struct env *e);

/* e is dying: drop its requests. */
void revoke_drop_env(struct env *e);

#endif /* ENV_REVOKE_H */
