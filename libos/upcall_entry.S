/*
 * Upcall entry and user-level resume (docs/libos.md, "Upcalls").
 *
 * The kernel enters libos_upcall_entry on the upcall stack (16-byte
 * aligned) with rdi = kind, rsi, rdx, r8 = arguments, the interrupted
 * registers saved in libos_area.regs and libos_area.in_upcall = 1.
 */
#include <exo/resource.h>
#include <exo/syscall_nr.h>

#define R_RAX 0
#define R_RBX 8
#define R_RCX 16
#define R_RDX 24
#define R_RSI 32
#define R_RDI 40
#define R_RBP 48
#define R_R8  56
#define R_R9  64
#define R_R10 72
#define R_R11 80
#define R_R12 88
#define R_R13 96
#define R_R14 104
#define R_R15 112

	.text
	.globl libos_upcall_entry
	.type libos_upcall_entry, @function
libos_upcall_entry:
	movq %r8, %rcx               /* third argument: SYSRET clobbers rcx */
	subq $512, %rsp              /* the interrupted code's x87/SSE state */
	fxsave64 (%rsp)
	call libos_upcall            /* 0: resume, 1: give up the CPU */
	fxrstor64 (%rsp)
	testq %rax, %rax
	jz libos_resume
	movl $SYS_upcall_yield, %eax /* context = libos_area.regs, resumed later */
	xorl %edi, %edi
	syscall
	jmp libos_resume             /* only if the kernel refused */
	.size libos_upcall_entry, . - libos_upcall_entry

/*
 * Resume the context in libos_area.regs without entering the kernel.
 * The saved rip, rflags and r11 are first stored on the interrupted stack
 * below its 128-byte red zone; once in_upcall is cleared nothing reads
 * the area any more, so an upcall that arrives during the last three
 * instructions saves a context that finishes this same sequence.
 */
	.globl libos_resume
	.type libos_resume, @function
libos_resume:
	leaq libos_area(%rip), %r11
	movq EXO_UREGS_RSP(%r11), %rax
	leaq -152(%rax), %rax        /* r11, rflags, rip, then the red zone */
	movq R_R11(%r11), %rcx
	movq %rcx, 0(%rax)
	movq EXO_UREGS_RFLAGS(%r11), %rcx
	movq %rcx, 8(%rax)
	movq EXO_UREGS_RIP(%r11), %rcx
	movq %rcx, 16(%rax)
	movq %rax, %rsp
	movq R_RAX(%r11), %rax
	movq R_RBX(%r11), %rbx
	movq R_RCX(%r11), %rcx
	movq R_RDX(%r11), %rdx
	movq R_RSI(%r11), %rsi
	movq R_RDI(%r11), %rdi
	movq R_RBP(%r11), %rbp
	movq R_R8(%r11), %r8
	movq R_R9(%r11), %r9
	movq R_R10(%r11), %r10
	movq R_R12(%r11), %r12
	movq R_R13(%r11), %r13
	movq R_R14(%r11), %r14
	movq R_R15(%r11), %r15
	movq $0, EXO_AREA_IN_UPCALL(%r11)
	popq %r11
	popfq
	retq $128                    /* rip; then rsp = the saved rsp */
	.size libos_resume, . - libos_resume

	.section .note.GNU-stack, "", @progbits
