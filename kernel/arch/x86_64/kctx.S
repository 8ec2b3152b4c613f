/* kctx_save / kctx_resume: see arch/kctx.h. Offsets follow struct kctx. */
	.text
	.globl kctx_save
kctx_save:
	movq %rbx, 0(%rdi)
	movq %rbp, 8(%rdi)
	movq %r12, 16(%rdi)
	movq %r13, 24(%rdi)
	movq %r14, 32(%rdi)
	movq %r15, 40(%rdi)
	leaq 8(%rsp), %rax      /* the caller's rsp after our return */
	movq %rax, 48(%rdi)
	movq (%rsp), %rax       /* our return address */
	movq %rax, 56(%rdi)
	xorl %eax, %eax
	ret

	.globl kctx_resume
kctx_resume:
	movq 0(%rdi), %rbx
	movq 8(%rdi), %rbp
	movq 16(%rdi), %r12
	movq 24(%rdi), %r13
	movq 32(%rdi), %r14
	movq 40(%rdi), %r15
	movq 48(%rdi), %rsp
	movl %esi, %eax
	jmpq *56(%rdi)

/* void kctx_start(uint64_t stack_top, void (*fn)(void)): run fn on a new stack. */
	.globl kctx_start
kctx_start:
	movq %rdi, %rsp
	xorl %ebp, %ebp      /* a fresh frame-pointer chain */
	call *%rsi
1:	cli
	hlt
	jmp 1b

	.section .note.GNU-stack, "", @progbits
