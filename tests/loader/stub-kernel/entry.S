/* Stub kernel entry: rdi = bootinfo (direct map). Keep the loader's stack
 * (stub_main checks it), call the checks, never return. */
	.section .text.entry, "ax"
	.globl stub_entry
stub_entry:
	movq %rsp, %rsi             /* stub_main(bootinfo, loader rsp) */
	call stub_main
1:	cli
	hlt
	jmp 1b
