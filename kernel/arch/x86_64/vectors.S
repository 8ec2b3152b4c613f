/*
 * Interrupt entry stubs, one per IDT vector, and the common path that saves
 * a struct trapframe (arch/trap.h) and calls trap_dispatch().
 *
 * The stubs are generated here by an assembler loop rather than written
 * out: each is padded to 16 bytes, so idt.c finds vector v's stub at
 * trap_stubs + 16 * v. Vectors for which the CPU pushes an error code
 * (SDM Vol. 3A 6.13, Table 6-1: 8, 10-14, 17, 21, 29, 30) skip the dummy
 * push so that every frame has the same shape.
 */
#include <arch/trapframe_asm.h>

	.text
	.globl trap_stubs
	.align 16
trap_stubs:
	.set vec, 0
	.rept 256
	/* Stub v starts at trap_stubs + 16 * v; .org fails the build if the
	   previous stub grew past 16 bytes. Padding is int3. */
	.org trap_stubs + vec * 16, 0xcc
	.if (vec == 8) | (vec == 10) | (vec == 11) | (vec == 12) | (vec == 13) | (vec == 14) | (vec == 17) | (vec == 21) | (vec == 29) | (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.set vec, vec + 1
	.endr

trap_common:
	PUSH_GPRS
	cld
	/* From ring 3 the GS base is the user's: switch to the per-CPU one. */
	testb $3, TF_CS(%rsp)
	jz 1f
	swapgs
1:
	movq %rsp, %rdi
	call trap_dispatch
	movq %rsp, %rdi
	/* fall through */

/* void trap_return(const struct trapframe *tf): restore tf and iretq. */
	.globl trap_return
trap_return:
	/*
	 * tf may live outside any stack (an env's saved frame): no interrupt
	 * may push onto it between here and iretq.
	 */
	cli
	movq %rdi, %rsp
	testb $3, TF_CS(%rsp)
	jz 2f
	swapgs
2:
	POP_GPRS
	addq $16, %rsp  /* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
