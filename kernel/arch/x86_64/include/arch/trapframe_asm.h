/*
 * The struct trapframe layout (arch/trap.h) as the entry stubs see it:
 * field offsets, and assembler macros that push and pop the fifteen
 * general-purpose registers in the order of the struct's first fields.
 * vectors.S and syscall_entry.S both build and unwind this frame, so the
 * register order lives here once; trap.h checks the offsets against the
 * struct.
 */
#ifndef ARCH_TRAPFRAME_ASM_H
#define ARCH_TRAPFRAME_ASM_H

#define TF_RIP    136
#define TF_CS     144
#define TF_RFLAGS 152
#define TF_SS     168

#ifdef __ASSEMBLY__
/* Last pushed is lowest in memory: r15 ends up at offset 0. */
.macro PUSH_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

/* The reverse of PUSH_GPRS; leaves rsp at the vector field. */
.macro POP_GPRS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm
#endif /* __ASSEMBLY__ */

#endif /* ARCH_TRAPFRAME_ASM_H */
