/*
 * Where every interrupt and exception lands (after vectors.S saved the
 * registers): interrupts are handled and returned from; an exception
 * raised by ring-3 code is the current env's problem: env_fault() reflects
 * it to the env's libOS or destroys the env; an exception in ring 0 (or a machine check or double fault
 * anywhere) is a kernel or hardware problem and ends in a register dump
 * and a panic.
 */
#include <stdint.h>

#include <arch/clock.h>
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/features.h>
#include <arch/fpu.h>
#include <arch/lapic.h>
#include <arch/trap.h>
#include <console/console.h>
#include <env/env.h>
#include <sched/sched.h>
#include <time/timer.h>

static const char *const exc_names[32] = {
	[T_DE] = "#DE", [T_DB] = "#DB", [T_NMI] = "NMI", [T_BP] = "#BP",
	[T_OF] = "#OF", [T_BR] = "#BR", [T_UD] = "#UD", [T_NM] = "#NM",
	[T_DF] = "#DF", [9] = "#CSO", [T_TS] = "#TS", [T_NP] = "#NP",
	[T_SS] = "#SS", [T_GP] = "#GP", [T_PF] = "#PF", [15] = "#15",
	[T_MF] = "#MF", [T_AC] = "#AC", [T_MC] = "#MC", [T_XM] = "#XM",
	[T_VE] = "#VE", [T_CP] = "#CP",
};

static unsigned long stray_pic, stray_other;

const char *trap_name(uint64_t vector)
{
	if (vector < 32)
		return exc_names[vector] ? exc_names[vector] : "#reserved";
	if (vector == T_SYSCALL)
		return "syscall";
	return "IRQ";
}

void trap_dispatch(struct trapframe *tf)
{
	if (tf->vector >= 32 && tf->vector != T_SYSCALL)
		irq_seq_bump();   /* the idle loop's "something happened" */
	if (clock_irq(tf->vector)) {
		timer_tick();
		irq_tick();  /* deferred device polls (arch/irq.h) */
		sched_tick(tf);  /* slices, deadlines; may switch envs */
		return;
	}
	if (irq_dispatch(tf->vector))
		return;
	if (tf->vector == T_SPURIOUS)
		return;  /* not an interrupt: no EOI (SDM Vol. 3A 11.9) */
	if (tf->vector >= T_PIC_BASE && tf->vector < T_PIC_BASE + 16) {
		/*
		 * Every unused PIC line is masked; what still arrives is the
		 * 8259's spurious IRQ 7/15, which wants no EOI. Count, don't crash.
		 */
		if (stray_pic++ == 0)
			printk("kernel: stray PIC interrupt (vector %lu)\n",
			       (unsigned long)tf->vector);
		return;
	}
	if (tf->vector >= 32) {
		/* No device is programmed for it: acknowledge and carry on. */
		if (stray_other++ == 0)
			printk("kernel: unexpected interrupt (vector %lu)\n",
			       (unsigned long)tf->vector);
		if (cpu_has.apic)
			lapic_eoi();
		return;
	}
	if (tf->vector == T_NMI) {
		/* Not caused by the interrupted code, whichever ring it was in. */
		printk("kernel: NMI at rip=0x%lx\n", (unsigned long)tf->rip);
		return;
	}
	if (tf->vector == T_NM && trap_from_user(tf) && env_current() &&
	    fpu_trap(env_current()->fpu, &env_current()->fpu_fresh))
		return;  /* lazy x87/SSE switch (arch/fpu.h) */
	if (trap_from_user(tf) && tf->vector != T_MC && tf->vector != T_DF) {
		env_fault(tf);  /* the env's own doing: reflected, or it dies */
		return;
	}

	trap_dump(tf);
	panic("%s (vector %lu) in ring %lu at rip=0x%lx", trap_name(tf->vector),
	      (unsigned long)tf->vector, (unsigned long)(tf->cs & 3),
	      (unsigned long)tf->rip);
}
