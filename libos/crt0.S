/*
 * Program entry. The kernel starts a program with rsp at the System V
 * initial stack (x86-64 psABI 3.4.1): argc at (rsp), then argv[], NULL,
 * envp[], NULL, auxv. rsp is 16-byte aligned here; the call below pushes
 * the return address exactly as a normal call would.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	xorl %ebp, %ebp              /* outermost frame */
	movq (%rsp), %rdi            /* argc */
	leaq 8(%rsp), %rsi           /* argv */
	leaq 8(%rsi,%rdi,8), %rdx    /* envp = argv + argc + 1 */
	call libos_start             /* does not return */
	ud2

	.section .note.GNU-stack, "", @progbits
