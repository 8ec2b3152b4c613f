/*
 * The slice vector: the CPU's round as EXO_NSLICE time slices, each free
 * or bound to one env (slot + 1). The scheduler walks it in order,
 * skipping slices whose owner cannot run. Pure logic
 * (tests/kernel/sched/test_slice.c); the storage is the bookkeeping
 * window's slice_owner[] so envs read the real vector.
 */
#ifndef SCHED_SLICE_H
#define SCHED_SLICE_H

#include <stdint.h>

#include <exo/resource.h>

struct slice_vec {
	uint16_t *owner;   /* EXO_NSLICE entries */
};

enum slice_err {
	SLICE_OK = 0,
	SLICE_ERANGE = -1,
	SLICE_EBUSY = -2,   /* bound to someone else / not bound to the caller */
};

void slice_init(struct slice_vec *sv, uint16_t *storage);

int slice_bind(struct slice_vec *sv, int64_t idx, uint16_t who);
int slice_release(struct slice_vec *sv, int64_t idx, uint16_t who);

/* Owner of slice idx (0: free, or out of range). */
uint16_t slice_owner(const struct slice_vec *sv, int64_t idx);

/* Slices bound to who. */
unsigned slice_count(const struct slice_vec *sv, uint16_t who);

/*
 * The first slice after `from` (wrapping, `from` itself last) whose owner
 * satisfies runnable(owner, ctx); -1 if none does. from may be -1.
 */
int slice_next(const struct slice_vec *sv, int from,
	       int (*runnable)(uint16_t owner, void *ctx), void *ctx);

#endif /* SCHED_SLICE_H */
