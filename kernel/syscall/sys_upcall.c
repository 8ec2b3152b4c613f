/* Upcall registration and IPC: bind_signal, upcall_setup, ipc_send, ipc_recv. */
#include <env/env.h>
#include <env/ipc.h>
#include <exo/resource.h>
#include <kernel/syscall_table.h>
#include <mm/usercopy.h>
#include <syscall/syscall.h>

int64_t sys_bind_signal(uint64_t kind, uint64_t entry)
{
	struct env *self = env_current();

	if (kind >= EXO_NSIG)
		return -EXO_EINVAL;
	if (entry != 0 && decode_uaddr(entry) != 0)
		return -EXO_EINVAL;
	self->sig[kind] = entry;
	return 0;
}

int64_t sys_upcall_setup(uint64_t area, uint64_t stack_top)
{
	struct env *self = env_current();
	uint64_t zero = 0;

	if (area & 7)
		return -EXO_EINVAL;
	if (user_check(&self->as, area, sizeof(struct exo_upcall_area), 1) != 0)
		return -EXO_EFAULT;
	if (decode_uaddr(stack_top) != 0 || (stack_top & 15))
		return -EXO_EINVAL;
	copy_to_user(&self->as, area + EXO_AREA_IN_UPCALL, &zero, sizeof(zero));
	self->area = area;
	self->upstack = stack_top;
	return 0;
}

int64_t sys_ipc_send(uint64_t env, uint64_t w0, uint64_t w1)
{
	struct env *to;

	if (decode_env(env, &to) != 0)
		return -EXO_ESRCH;
	return ipc_send(env_current(), to, w0, w1);
}

int64_t sys_ipc_recv(uint64_t msg)
{
	return ipc_recv(env_current(), msg, syscall_tf());
}
