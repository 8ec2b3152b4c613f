/*
 * System call dispatch. The numbers, handler prototypes and the switch
 * come from kernel/syscall.tbl (scripts/gensyscalls.py); each handler
 * receives the raw argument registers and decodes and checks them itself
 * before acting (docs/syscalls.md).
 */
#include <arch/syscall.h>
#include <kernel/syscall_table.h>

void syscall_dispatch(struct trapframe *tf)
{
	const uint64_t args[6] = { tf->rdi, tf->rsi, tf->rdx,
				   tf->r10, tf->r8, tf->r9 };

	tf->rax = (uint64_t)syscall_invoke(tf->rax, args);
}

/* The empty call, for measuring the entry and exit path. */
int64_t sys_null(void)
{
	return 0;
}
