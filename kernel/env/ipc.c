#include <env/env.h>
#include <env/ipc.h>
#include <env/upcall.h>
#include <exo/errno.h>
#include <mm/usercopy.h>
#include <sched/sched.h>

int ipc_send(struct env *from, struct env *to, uint64_t w0, uint64_t w1)
{
	if (to->mbox_full)
		return -EXO_EAGAIN;
	to->mbox[0] = (uint64_t)from->id;
	to->mbox[1] = w0;
	to->mbox[2] = w1;
	if (to->state == EXO_ENV_BLOCKED && to->block == BLOCK_IPC) {
		int r = copy_to_user(&to->as, to->recv_buf, to->mbox, sizeof(to->mbox));
		to->tf.rax = (uint64_t)(int64_t)r;
		to->block = BLOCK_NONE;
		to->state = EXO_ENV_RUNNABLE;
		return 0;
	}
	to->mbox_full = 1;
	if (to->sig[EXO_SIG_IPC])
		to->pend |= PEND_IPC;
	return 0;
}

int ipc_recv(struct env *e, uint64_t buf, struct trapframe *tf)
{
	if (user_check(&e->as, buf, sizeof(e->mbox), 1) != 0)
		return -EXO_EFAULT;
	if (e->mbox_full) {
		e->mbox_full = 0;
		e->pend &= ~PEND_IPC;
		return copy_to_user(&e->as, buf, e->mbox, sizeof(e->mbox));
	}
	if (upcall_pending(e))
		return -EXO_EAGAIN;   /* the upcall first; the libOS calls again */
	e->recv_buf = buf;
	sched_block(e, tf, BLOCK_IPC);
}

int ipc_take(struct env *e, uint64_t a[3])
{
	e->pend &= ~PEND_IPC;
	if (!e->mbox_full)
		return 0;
	e->mbox_full = 0;
	a[0] = e->mbox[0], a[1] = e->mbox[1], a[2] = e->mbox[2];
	return 1;
}

void ipc_drop_env(struct env *e)
{
	e->mbox_full = 0;
	e->pend = 0;
}
