/*
 * System call dispatch. The numbers, handler prototypes and the switch
 * come from kernel/syscall.tbl (scripts/gensyscalls.py); each handler
 * receives the raw argument registers and decodes and checks them all
 * before it acts (docs/syscalls.md). On the way out, a pending
 * asynchronous upcall may redirect the return into the libOS.
 */
#include <arch/syscall.h>
#include <env/env.h>
#include <env/upcall.h>
#include <kernel/syscall_table.h>
#include <syscall/syscall.h>

static struct trapframe *cur_tf;

struct trapframe *syscall_tf(void)
{
	return cur_tf;
}

void syscall_dispatch(struct trapframe *tf)
{
	const uint64_t args[6] = { tf->rdi, tf->rsi, tf->rdx,
				   tf->r10, tf->r8, tf->r9 };
	struct env *e = env_current();

	cur_tf = tf;
	e->bk->syscalls++;
	tf->rax = (uint64_t)syscall_invoke(tf->rax, args);
	upcall_async(e, tf);
}

/* The empty call, for measuring the entry and exit path. */
int64_t sys_null(void)
{
	return 0;
}
