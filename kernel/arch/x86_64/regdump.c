/*
 * Register dump for an unexpected exception, in a fixed layout that tests
 * and humans can grep ("RIP=", "CR2=").
 */
#include <stdint.h>

#include <arch/cpu.h>
#include <arch/trap.h>
#include <console/console.h>

void trap_dump(const struct trapframe *tf)
{
	printk("%s vector %lu error %#lx from ring %lu\n",
	       trap_name(tf->vector), (unsigned long)tf->vector,
	       (unsigned long)tf->error, (unsigned long)(tf->cs & 3));
	printk("RIP=%016lx CS=%04lx RFLAGS=%016lx\n", tf->rip, tf->cs,
	       tf->rflags);
	printk("RSP=%016lx SS=%04lx\n", tf->rsp, tf->ss);
	printk("RAX=%016lx RBX=%016lx RCX=%016lx RDX=%016lx\n", tf->rax,
	       tf->rbx, tf->rcx, tf->rdx);
	printk("RSI=%016lx RDI=%016lx RBP=%016lx R8 =%016lx\n", tf->rsi,
	       tf->rdi, tf->rbp, tf->r8);
	printk("R9 =%016lx R10=%016lx R11=%016lx R12=%016lx\n", tf->r9,
	       tf->r10, tf->r11, tf->r12);
	printk("R13=%016lx R14=%016lx R15=%016lx\n", tf->r13, tf->r14,
	       tf->r15);
	if (tf->vector == T_PF)
		printk("CR2=%016lx (%s %s %s)\n", read_cr2(),
		       tf->error & PF_P ? "protection" : "not-present",
		       tf->error & PF_I ? "fetch" :
		       tf->error & PF_W ? "write" : "read",
		       tf->error & PF_U ? "user" : "kernel");
	printk("CR3=%016lx CR0=%016lx CR4=%016lx\n", read_cr3(), read_cr0(),
	       read_cr4());
}
