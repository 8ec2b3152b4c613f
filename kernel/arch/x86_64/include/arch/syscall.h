/*
 * SYSCALL/SYSRET set-up (SDM Vol. 3A 5.8.8; Vol. 2B SYSCALL, SYSRET).
 * Convention: number in rax, arguments in rdi rsi rdx r10 r8 r9 (r10
 * instead of rcx, which SYSCALL overwrites with the return rip), result in
 * rax; rcx and r11 are clobbered. The entry builds a struct trapframe with
 * vector T_SYSCALL on the per-CPU kernel stack and calls syscall_dispatch().
 */
#ifndef ARCH_SYSCALL_H
#define ARCH_SYSCALL_H

#include <arch/trap.h>

void syscall_init(void);

/* Generic C handler (kernel/syscall): reads tf->rax and the args, sets tf->rax. */
void syscall_dispatch(struct trapframe *tf);

/* Return to ring 3 from tf with SYSRET when safe, else IRETQ. */
void syscall_return(const struct trapframe *tf) __attribute__((noreturn));

#endif /* ARCH_SYSCALL_H */
