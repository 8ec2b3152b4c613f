#include <stddef.h>

#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/irq.h>
#include <arch/kctx.h>
#include <arch/percpu.h>
#include <arch/syscall.h>
#include <env/env.h>
#include <env/revoke.h>
#include <env/upcall.h>
#include <exo/errno.h>
#include <mm/book.h>
#include <mm/kvm.h>
#include <sched/sched.h>
#include <time/timer.h>

struct slice_vec slices;

static struct kctx sched_ctx;   /* the main flow, while an env runs */
static int cur = -1;            /* current slice */
static uint64_t slice_end;      /* tick at which it ends */
static struct env *donee;       /* directed yield: runs the rest of the slice */
static struct env *watch;
static struct env_stop *watch_stop;
static int watch_dead;

void sched_init(void)
{
	slice_init(&slices, book->slice_owner);
}

int sched_cur_slice(void)
{
	return cur;
}

uint64_t sched_slice_end(void)
{
	return slice_end;
}

static int runnable(uint16_t tag, void *ctx)
{
	(void)ctx;
	struct env *e = env_from_tag(tag);
	return e && (e->state == EXO_ENV_RUNNABLE || e->state == EXO_ENV_RUNNING);
}

static struct env *slice_env(int i)
{
	return env_from_tag(slice_owner(&slices, i));
}

/* Start slice i now; its owner gets the prologue upcall. */
static struct env *begin(int i, uint64_t now)
{
	struct env *e = slice_env(i);

	cur = i;
	book->cur_slice = (uint32_t)i;
	slice_end = now + EXO_SLICE_TICKS;
	if (e->sig[EXO_SIG_PROLOGUE])
		e->pend |= PEND_PROLOGUE;
	return e;
}

static struct env *pick(void)
{
	uint64_t now = timer_ticks();

	if (donee && runnable(env_tag(donee), NULL) && now < slice_end)
		return donee;
	donee = NULL;
	if (cur >= 0 && now < slice_end && runnable(slice_owner(&slices, cur), NULL))
		return slice_env(cur);
	int i = slice_next(&slices, cur, runnable, NULL);
	return i < 0 ? NULL : begin(i, now);
}

/* Enter e in ring 3; returns when it stops running. */
static void env_run(struct env *e)
{
	struct percpu *cpu = this_cpu();

	cpu->env = e;
	e->state = EXO_ENV_RUNNING;
	e->runs++;
	e->bk->runs = e->runs;
	e->bk->state = EXO_ENV_RUNNING;
	fpu_activate(e->fpu);   /* x87/SSE follow lazily, on first use */
	if (kctx_save(&sched_ctx) == 0) {
		if ((read_cr3() & ~0xfffULL) != e->as.pml4)
			write_cr3(e->as.pml4);
		upcall_async(e, &e->tf);
		/*
		 * A context saved at a system call has no live rcx/r11 (SYSCALL
		 * clobbered them), so SYSRET may return to it; anything else
		 * (an interrupt, an exception, a new env) needs IRETQ.
		 */
		if (e->tf.vector == T_SYSCALL)
			syscall_return(&e->tf);
		trap_return(&e->tf);
	}
	/*
	 * Back from sched_leave / a switch-out: e is not running any more.
	 * CR3 stays e's (the kernel half is in every address space; teardown
	 * switches away from tables it frees), saving a TLB flush per switch.
	 */
	cpu->env = NULL;
}

static int any_env(void)
{
	for (int i = 0; i < NENV; i++)
		if (envs[i].state != EXO_ENV_FREE && envs[i].state != EXO_ENV_ZOMBIE)
			return 1;
	return 0;
}

static int (*idle_poll)(void);

void sched_set_idle_poll(int (*fn)(void))
{
	idle_poll = fn;
}

/*
 * Nothing can run: poll (sched_set_idle_poll) while the hook asks for it,
 * else halt until an interrupt. Any interrupt ends the wait, since it may
 * have made an env runnable (a tick ended a sleep, a device delivered).
 */
static void idle(void)
{
	uint64_t seen = irq_seq();

	while (idle_poll) {
		int r = idle_poll();
		if (r > 0) {
			book->idle_polls++;
			return;
		}
		if (r < 0)
			break;
		sti();
		cpu_relax();   /* a pending interrupt is taken here */
		cli();
		if (irq_seq() != seen)
			return;
	}
	book->idle_halts++;
	sti_hlt();   /* the tick (or a device) wakes us */
	cli();
}

void sched_run_until(struct env *w, struct env_stop *st)
{
	watch = w;
	watch_stop = st;
	watch_dead = 0;
	while (w ? !watch_dead : any_env()) {
		struct env *e = pick();
		if (e) {
			env_run(e);
			continue;
		}
		idle();
	}
	watch = NULL;
}

/* Stop running the current env, keeping tf as its context. */
static void __attribute__((noreturn)) switch_out(struct env *e,
						  const struct trapframe *tf)
{
	if (tf != &e->tf)
		e->tf = *tf;
	if (e->state == EXO_ENV_RUNNING)
		e->state = EXO_ENV_RUNNABLE;
	e->bk->state = (uint8_t)e->state;
	e->epi = EPI_NONE;
	kctx_resume(&sched_ctx, 1);
}

/* Earliest wake-up tick of a sleeper (UINT64_MAX: nobody sleeps). */
static uint64_t next_wake = UINT64_MAX;

/* The env table is only scanned when a sleeper is due: ticks stay cheap. */
static void wake_sleepers(uint64_t now)
{
	if (now < next_wake)
		return;
	next_wake = UINT64_MAX;
	for (int i = 0; i < NENV; i++) {
		struct env *e = &envs[i];
		if (e->state != EXO_ENV_BLOCKED || e->block != BLOCK_SLEEP)
			continue;
		if ((int64_t)(now - e->wake_tick) >= 0) {
			e->block = BLOCK_NONE;
			e->state = EXO_ENV_RUNNABLE;
			e->bk->state = EXO_ENV_RUNNABLE;
		} else if (e->wake_tick < next_wake) {
			next_wake = e->wake_tick;
		}
	}
}

/* The running env's slice is over: epilogue, grace, or preemption. */
static void slice_over(struct env *e, struct trapframe *tf, uint64_t now)
{
	if (e->epi != EPI_NONE) {
		if ((int64_t)(now - e->grace_end) < 0)
			return;
		e->bk->preempted++;
		switch_out(e, tf);
	}
	int next = slice_next(&slices, cur, runnable, NULL);
	if (next >= 0 && slice_env(next) == e && donee == NULL) {
		cur = next;   /* its own slice again: nothing to revoke */
		book->cur_slice = (uint32_t)next;
		slice_end = now + EXO_SLICE_TICKS;
		return;
	}
	if (e->sig[EXO_SIG_EPILOGUE] == 0)
		switch_out(e, tf);
	e->epi = EPI_PENDING;
	e->grace_end = now + EXO_GRACE_TICKS;
}

void sched_tick(struct trapframe *tf)
{
	uint64_t now = timer_ticks();
	struct env *e = env_current();

	book->ticks = now;
	revoke_tick(now);
	wake_sleepers(now);
	if (!trap_from_user(tf) || e == NULL)
		return;   /* the idle loop: it picks again after hlt */
	if ((int64_t)(now - slice_end) >= 0)
		slice_over(e, tf, now);
	upcall_async(e, tf);
}

/* Hand the CPU on: to target for the rest of the slice, or to the next slice. */
static void __attribute__((noreturn)) give(struct env *e,
					   const struct trapframe *tf,
					   struct env *target)
{
	if (target && target != e) {
		donee = target;
	} else {
		donee = NULL;
		slice_end = timer_ticks();
	}
	switch_out(e, tf);
}

void sched_yield(struct env *e, struct trapframe *tf, struct env *target)
{
	tf->rax = 0;
	give(e, tf, target);
}

void sched_yield_saved(struct env *e, struct env *target)
{
	give(e, &e->tf, target);
}

void sched_block(struct env *e, struct trapframe *tf, int why)
{
	e->state = EXO_ENV_BLOCKED;
	e->block = why;
	if (why == BLOCK_SLEEP && e->wake_tick < next_wake)
		next_wake = e->wake_tick;
	switch_out(e, tf);
}

void sched_interrupt(struct env *e)
{
	if (e->state != EXO_ENV_BLOCKED)
		return;
	e->tf.rax = (uint64_t)-EXO_EAGAIN;
	e->block = BLOCK_NONE;
	e->state = EXO_ENV_RUNNABLE;
	e->bk->state = EXO_ENV_RUNNABLE;
}

void sched_leave(void)
{
	kctx_resume(&sched_ctx, 1);
}

void sched_died(struct env *e)
{
	if (e == watch) {
		*watch_stop = e->stop;
		watch_dead = 1;
	}
}

void sched_forget(struct env *e)
{
	if (donee == e)
		donee = NULL;
}
