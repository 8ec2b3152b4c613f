/* Envs: exit, env_self, env_create, env_start, env_destroy, env_wait. */
#include <arch/cpu.h>
#include <arch/gdt.h>
#include <env/env.h>
#include <env/upcall.h>
#include <exo/bootinfo.h>
#include <exo/resource.h>
#include <kernel/syscall_table.h>
#include <mm/usercopy.h>
#include <sched/sched.h>
#include <syscall/syscall.h>

int decode_env(uint64_t id, struct env **out)
{
	*out = env_by_id((int64_t)id);
	return *out ? 0 : -EXO_ESRCH;
}

int decode_child(struct env *self, uint64_t id, struct env **out)
{
	for (int i = 0; i < NENV; i++)
		if (envs[i].state != EXO_ENV_FREE && envs[i].id == (int64_t)id &&
		    envs[i].parent == self && id != 0) {
			*out = &envs[i];
			return 0;
		}
	return -EXO_ESRCH;
}

int decode_uaddr(uint64_t va)
{
	return va != 0 && va < EXO_USER_TOP ? 0 : -EXO_EINVAL;
}

int64_t sys_exit(uint64_t status)
{
	env_exit((int)status);
}

int64_t sys_env_self(void)
{
	return env_current()->id;
}

/* A NUL-terminated name of at most ENV_NAME_MAX - 1 characters. */
static int decode_name(struct env *e, uint64_t uva, char *name)
{
	for (int i = 0; i < ENV_NAME_MAX; i++) {
		if (copy_from_user(&e->as, &name[i], uva + (uint64_t)i, 1) != 0)
			return -EXO_EFAULT;
		if (name[i] == '\0')
			return i > 0 ? 0 : -EXO_EINVAL;
	}
	return -EXO_EINVAL;
}

int64_t sys_env_create(uint64_t uname, uint64_t caps)
{
	struct env *self = env_current();
	char name[ENV_NAME_MAX];
	int err = decode_name(self, uname, name);

	if (err)
		return err;
	if (caps & ~(uint64_t)EXO_CAP_ALL)
		return -EXO_EINVAL;
	if (caps & ~(uint64_t)self->caps)
		return -EXO_EPERM;   /* only a subset of one's own */
	struct env *e = env_alloc(name, self, (uint8_t)caps);
	return e ? e->id : -EXO_ENOMEM;
}

int64_t sys_env_start(uint64_t env, uint64_t rip, uint64_t rsp)
{
	struct env *self = env_current(), *e;

	if (env == 0 || env_target(self, (int64_t)env, &e) != 0 || e == self)
		return -EXO_ESRCH;
	if (decode_uaddr(rip) || decode_uaddr(rsp) || (rsp & 15))
		return -EXO_EINVAL;
	e->tf.rip = rip;
	e->tf.rsp = rsp;
	e->tf.cs = USER_CS;
	e->tf.ss = USER_DS;
	e->tf.rflags = RFLAGS_FIXED | RFLAGS_IF;
	env_start(e);
	return 0;
}

int64_t sys_env_destroy(uint64_t env)
{
	struct env *self = env_current(), *e;

	if (decode_child(self, env, &e) != 0 || e->state == EXO_ENV_ZOMBIE)
		return -EXO_ESRCH;
	env_destroy(e);
	return 0;
}

int64_t sys_env_wait(uint64_t env)
{
	struct env *self = env_current(), *e;

	if (decode_child(self, env, &e) != 0)
		return -EXO_ESRCH;
	if (e->state == EXO_ENV_ZOMBIE) {
		int64_t st = e->bk->exit_status;
		e->state = EXO_ENV_FREE;
		env_book_sync(e);
		return st;
	}
	if (upcall_pending(self))
		return -EXO_EAGAIN;   /* the upcall first; the libOS calls again */
	self->wait_id = e->id;
	sched_block(self, syscall_tf(), BLOCK_WAIT);
}
