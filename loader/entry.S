/*
 * loader.elf entry: from GRUB's 32-bit protected mode to C in long mode.
 *
 * Machine state on entry (Multiboot2 spec 3.3, "I386 machine state"):
 * EAX = 0x36d76289, EBX = physical address of the multiboot2 information,
 * flat 32-bit segments, paging off, interrupts off, no valid stack or GDT.
 *
 * Steps: zero bss, check EAX and the CPU (CPUID leaf 0x80000001: LM and NX),
 * build a bootstrap identity map of [0, 4 GiB) with 2 MiB pages, set
 * CR4.PAE, CR3, EFER.LME|NXE, CR0.PG (Intel SDM Vol. 3A 10.8.5
 * "Initializing IA-32e Mode"), load a GDT with a 64-bit code segment and
 * far-jump into it, then call loader_main(magic, mbi). Any failure prints
 * one line on COM1 and exits QEMU through isa-debug-exit (value 0x11).
 */

#define MB2_HEADER_MAGIC 0xe85250d6 /* Multiboot2 spec 3.1.2 */
#define MB2_ARCH_I386    0
#define MB2_TAG_END      0
#define MB2_TAG_MODALIGN 6          /* page-align modules (spec 3.1.11) */
#define MB2_BOOT_MAGIC   0x36d76289 /* in EAX at entry (spec 3.3) */

#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_FAIL 0x11        /* QEMU exits with (0x11 << 1) | 1 = 35 */

#define CR0_PE   (1 << 0)
#define CR0_WP   (1 << 16)
#define CR0_PG   (1 << 31)
#define CR4_PAE  (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define PTE_P    0x1
#define PTE_W    0x2
#define PTE_PS   0x80
#define EFLAGS_ID (1 << 21)

#define GDT_CODE64 0x08
#define GDT_DATA   0x10

/* ---- multiboot2 header ------------------------------------------------ */
	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long 0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	.balign 8
	.short MB2_TAG_MODALIGN, 0      /* type, flags (0: required) */
	.long 8                         /* size */
	.balign 8
	.short MB2_TAG_END, 0
	.long 8
mb2_header_end:

/* ---- 32-bit protected mode ---------------------------------------------- */
	.section .text.entry32, "ax"
	.code32
	.globl loader_entry32
loader_entry32:
	cli
	cld
	movl %eax, %ebp                 /* keep the magic; EBX = info address */
	movl $stack_top, %esp

	/* Zero bss: the stack and bootstrap tables must start clean whatever
	 * the boot loader did with the memory beyond p_filesz. */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl
	movl %ebx, saved_mbi            /* CPUID below overwrites EBX */

	call serial_init32

	cmpl $MB2_BOOT_MAGIC, %ebp
	movl $msg_no_mb2, %esi
	jne fail32

	/* CPUID exists iff EFLAGS.ID can be toggled (Intel SDM Vol. 1 19.1). */
	pushfl
	popl %eax
	movl %eax, %ecx
	xorl $EFLAGS_ID, %eax
	pushl %eax
	popfl
	pushfl
	popl %eax
	pushl %ecx
	popfl
	xorl %ecx, %eax
	movl $msg_no_cpuid, %esi
	jz fail32

	movl $0x80000000, %eax          /* highest extended leaf */
	cpuid
	cmpl $0x80000001, %eax
	movl $msg_no_lm, %esi
	jb fail32
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx                   /* LM: Intel SDM Vol. 2A, CPUID 80000001H EDX[29] */
	movl $msg_no_lm, %esi
	jnc fail32
	btl $20, %edx                   /* NX: EDX[20]; EFER.NXE faults without it */
	movl $msg_no_nx, %esi
	jnc fail32

	call build_boot_tables

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PE | CR0_WP | CR0_PG), %eax
	movl %eax, %cr0                 /* now in compatibility mode */

	lgdt gdt_ptr
	ljmp $GDT_CODE64, $loader_entry64

/*
 * Bootstrap identity map of [0, 4 GiB): PML4[0] -> PDPT, PDPT[0..3] ->
 * four page directories of 512 2-MiB pages each (Intel SDM Vol. 3A 4.5,
 * Table 4-17 "Format of a PDE that Maps a 2-MByte Page"). The tables are in
 * bss, already zero, so only present entries are written.
 */
build_boot_tables:
	movl $(boot_pdpt + PTE_P + PTE_W), boot_pml4

	movl $boot_pdpt, %edi
	movl $(boot_pd + PTE_P + PTE_W), %eax
	movl $4, %ecx
1:	movl %eax, (%edi)
	addl $4096, %eax
	addl $8, %edi
	loop 1b

	movl $boot_pd, %edi
	movl $(PTE_P + PTE_W + PTE_PS), %eax
	movl $2048, %ecx
2:	movl %eax, (%edi)
	addl $0x200000, %eax
	addl $8, %edi
	loop 2b
	ret

/* COM1: 115200 baud 8N1, FIFO on, interrupts off (PC16550D datasheet,
 * Table II "Summary of Registers"; divisor 1 = 1.8432 MHz / (16 * 115200)). */
serial_init32:
	movw $(COM1 + 1), %dx
	xorb %al, %al
	outb %al, %dx                   /* IER = 0 */
	movw $(COM1 + 3), %dx
	movb $0x80, %al
	outb %al, %dx                   /* LCR: DLAB */
	movw $COM1, %dx
	movb $1, %al
	outb %al, %dx                   /* divisor 1 = 115200 */
	movw $(COM1 + 1), %dx
	xorb %al, %al
	outb %al, %dx
	movw $(COM1 + 3), %dx
	movb $0x03, %al
	outb %al, %dx                   /* LCR: 8N1 */
	movw $(COM1 + 2), %dx
	movb $0xc7, %al
	outb %al, %dx                   /* FCR: enable + clear FIFOs */
	movw $(COM1 + 4), %dx
	movb $0x03, %al
	outb %al, %dx                   /* MCR: DTR, RTS */
	ret

/* Print the NUL-terminated string at ESI on COM1. */
serial_puts32:
1:	lodsb
	testb %al, %al
	jz 3f
	movb %al, %ah
	movw $(COM1 + 5), %dx
2:	inb %dx, %al
	testb $0x20, %al                /* LSR.THRE: transmitter ready */
	jz 2b
	movb %ah, %al
	movw $COM1, %dx
	outb %al, %dx
	jmp 1b
3:	ret

/* Print the message at ESI, leave QEMU with status 35, or halt forever. */
fail32:
	call serial_puts32
	movw $DEBUG_EXIT_PORT, %dx
	movb $DEBUG_EXIT_FAIL, %al
	outb %al, %dx
1:	cli
	hlt
	jmp 1b

/* ---- 64-bit long mode --------------------------------------------------- */
	.code64
loader_entry64:
	movl $GDT_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	/* The upper halves of the registers are undefined after the switch. */
	movq $stack_top, %rsp
	movl %ebp, %edi                 /* loader_main(magic, mbi) */
	movl saved_mbi, %esi
	xorl %ebp, %ebp
	call loader_main
1:	cli
	hlt
	jmp 1b

/*
 * void loader_enter_kernel(uint64_t entry, uint64_t bootinfo, uint64_t cr3)
 * Switch to the final page tables and jump to the kernel with rdi =
 * bootinfo, on this (identity-mapped) stack, aligned as after a call.
 */
	.globl loader_enter_kernel
loader_enter_kernel:
	movq %rdx, %cr3
	andq $-16, %rsp
	pushq $0                        /* fake return address: no way back */
	movq %rdi, %rax
	movq %rsi, %rdi
	xorl %ebp, %ebp
	jmp *%rax

/* ---- data ---------------------------------------------------------------- */
	.section .rodata
	.balign 8
gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: code, DPL 0, L=1 (SDM 3A 3.4.5) */
	.quad 0x00cf92000000ffff        /* 0x10: data, DPL 0, writable */
gdt_end:
	.balign 8
gdt_ptr:
	.short gdt_end - gdt - 1
	.long gdt

msg_no_mb2:
	.asciz "loader: not started by a multiboot2 boot loader (EAX is not 0x36d76289)\r\n"
msg_no_cpuid:
	.asciz "loader: this CPU has no CPUID instruction; a 64-bit CPU is required\r\n"
msg_no_lm:
	.asciz "loader: this CPU does not support 64-bit long mode (CPUID 0x80000001 EDX bit 29); use a 64-bit CPU, e.g. qemu -cpu max\r\n"
msg_no_nx:
	.asciz "loader: this CPU lacks no-execute pages (CPUID 0x80000001 EDX bit 20), needed for W^X kernel mappings\r\n"

	.section .bss
	.balign 4
saved_mbi:
	.skip 4
	.balign 4096
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_pd:
	.skip 4 * 4096
	.globl loader_stack_bottom
loader_stack_bottom:
	.skip 32768                     /* >= 16 KiB promised to the kernel */
stack_top:
