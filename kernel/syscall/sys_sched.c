/* The CPU: yield, upcall_yield, sleep. */
#include <env/env.h>
#include <env/upcall.h>
#include <kernel/syscall_table.h>
#include <sched/sched.h>
#include <syscall/syscall.h>
#include <time/timer.h>

#define SLEEP_MAX 60000

/* 0: no target; else a runnable env other than the caller. */
static int decode_target(struct env *self, uint64_t env, struct env **t)
{
	*t = NULL;
	if (env == 0 || env == (uint64_t)self->id)
		return 0;
	if (decode_env(env, t) != 0)
		return -EXO_ESRCH;
	if ((*t)->state != EXO_ENV_RUNNABLE)
		return -EXO_EAGAIN;   /* blocked or still an embryo */
	return 0;
}

int64_t sys_yield(uint64_t env)
{
	struct env *self = env_current(), *t;
	int err = decode_target(self, env, &t);

	if (err)
		return err;
	sched_yield(self, syscall_tf(), t);
}

int64_t sys_upcall_yield(uint64_t env)
{
	struct env *self = env_current(), *t;
	int err = decode_target(self, env, &t);

	if (err)
		return err;
	err = upcall_leave(self);
	if (err)
		return err;
	sched_yield_saved(self, t);
}

int64_t sys_sleep(uint64_t ticks)
{
	struct env *self = env_current();

	if (ticks == 0 || ticks > SLEEP_MAX)
		return -EXO_EINVAL;
	if (upcall_pending(self))
		return -EXO_EAGAIN;   /* the upcall first */
	self->wake_tick = timer_ticks() + ticks;
	syscall_tf()->rax = 0;
	sched_block(self, syscall_tf(), BLOCK_SLEEP);
}
