/*
 * SYSCALL entry and SYSRET exit. On entry (SDM Vol. 2B, SYSCALL): rcx =
 * user rip, r11 = user rflags, rsp still the user's, GS base the user's,
 * interrupts off (SFMASK). The entry switches to the per-CPU kernel stack
 * and builds a struct trapframe exactly like an interrupt's, so the rest
 * of the kernel sees one kind of saved user state.
 */
#include <arch/gdt.h>
#include <arch/percpu.h>
#include <arch/trapframe_asm.h>

#define T_SYSCALL 256

	.text
	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:PERCPU_USER_RSP
	movq %gs:PERCPU_KSTACK_TOP, %rsp
	pushq $USER_DS                  /* ss */
	pushq %gs:PERCPU_USER_RSP       /* rsp */
	pushq %r11                      /* rflags */
	pushq $USER_CS                  /* cs */
	pushq %rcx                      /* rip */
	pushq $0                        /* error */
	pushq $T_SYSCALL                /* vector */
	PUSH_GPRS
	movq %rsp, %rdi
	call syscall_dispatch
	movq %rsp, %rdi
	/* fall through */

/* void syscall_return(const struct trapframe *tf) */
	.globl syscall_return
syscall_return:
	cli
	movq %rdi, %rsp
	/*
	 * SYSRET is only safe to a user-half rip: with a non-canonical rcx
	 * Intel CPUs raise #GP in ring 0 on the user's stack (the SYSRET
	 * erratum, CVE-2012-0217). A frame the kernel changed to other
	 * selectors also needs the general IRETQ path.
	 */
	movq TF_RIP(%rsp), %rax
	shrq $47, %rax
	jnz 1f
	cmpq $USER_CS, TF_CS(%rsp)
	jne 1f
	cmpq $USER_DS, TF_SS(%rsp)
	jne 1f
	POP_GPRS
	/* rsp now points at the vector field: rip is at +16 */
	movq 16(%rsp), %rcx
	movq 32(%rsp), %r11
	movq 40(%rsp), %rsp
	swapgs
	sysretq
1:
	movq %rsp, %rdi
	jmp trap_return

	.section .note.GNU-stack, "", @progbits
