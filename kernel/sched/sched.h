/*
 * The CPU as a resource: the slice vector (sched/slice.h) says who owns
 * each of the EXO_NSLICE slices of a round; this file runs it.
 *
 *   - The kernel's main flow loops: pick the env due now, run it until it
 *     stops running (env_run), repeat; `hlt` when nobody can run.
 *   - At a slice's end the running env gets the epilogue upcall (the
 *     CPU's visible revocation) and EXO_GRACE_TICKS ticks to give the CPU
 *     up (upcall_yield / yield); after that, or at once if it has no
 *     epilogue handler, it is preempted by force: the kernel saves its
 *     registers and x87/SSE state. The next slice's owner gets the
 *     prologue upcall.
 *   - yield(env) donates the rest of the current slice to env.
 *
 * Slices whose owner cannot run (blocked, dead, free slices) are skipped
 * at once, so the CPU is shared among the runnable owners in proportion
 * to the slices they hold.
 */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include <stdint.h>

#include <arch/trap.h>
#include <sched/slice.h>

struct env;
struct env_stop;

extern struct slice_vec slices;

/* After book_init(): the slice vector lives in the bookkeeping window. */
void sched_init(void);

/*
 * The main flow: run envs until `watch` has died (its stop record copied
 * to *st), or with watch == NULL until no env is left.
 */
void sched_run_until(struct env *watch, struct env_stop *st);

/* From the timer interrupt (any ring). May switch the current env out. */
void sched_tick(struct trapframe *tf);

/* The current env gives the CPU up: to `target`, or (NULL) to the next slice. */
void sched_yield(struct env *e, struct trapframe *tf, struct env *target)
	__attribute__((noreturn));

/* Like sched_yield, from upcall_yield: e->tf already holds its context. */
void sched_yield_saved(struct env *e, struct env *target) __attribute__((noreturn));

/* Block the current env (env_wait, ipc_recv, sleep); tf->rax set on wake. */
void sched_block(struct env *e, struct trapframe *tf, int why)
	__attribute__((noreturn));

/*
 * An asynchronous upcall is due for e: if it is blocked, its blocking
 * call returns -EXO_EAGAIN now, so the upcall reaches it.
 */
void sched_interrupt(struct env *e);

/*
 * The idle loop's poll hook (NULL: none). With nothing runnable the loop
 * calls fn with interrupts off, opening them for an instant between calls,
 * for as long as fn returns 0; 1 means fn made progress (a frame was
 * delivered: look for a runnable env again), -1 that there is nothing
 * worth polling for, and the CPU halts until the next interrupt.
 */
void sched_set_idle_poll(int (*fn)(void));

/* The current env died (after teardown): back to the main flow. */
void sched_leave(void) __attribute__((noreturn));

/* An env is dying: copy its stop record for a watcher. */
void sched_died(struct env *e);

/* Forget a dead env (donation target etc.). */
void sched_forget(struct env *e);

int sched_cur_slice(void);
uint64_t sched_slice_end(void);

#endif /* SCHED_SCHED_H */
