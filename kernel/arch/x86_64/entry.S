/*
 * kernel.elf's entry point. The loader jumps here with rdi = the virtual
 * address of struct exo_bootinfo, interrupts off, its own page tables and
 * stack (include/exo/bootinfo.h). Move onto the kernel's boot stack at
 * once: the loader's stack is in memory the kernel will reclaim.
 */
#define BOOT_STACK_SIZE 16384

	.section .text.entry, "ax"
	.globl kernel_entry
kernel_entry:
	cli
	cld
	leaq boot_stack_top(%rip), %rsp
	xorl %ebp, %ebp      /* end of the frame-pointer chain for backtraces */
	call kmain           /* rdi passes straight through */
1:	cli
	hlt
	jmp 1b

	.bss
	.align 16
	.globl boot_stack_bottom
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
