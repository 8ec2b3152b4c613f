/* Program the SYSCALL MSRs (SDM Vol. 3A 5.8.8). */
#include <stdint.h>

#include <arch/cpu.h>
#include <arch/gdt.h>
#include <arch/msr.h>
#include <arch/syscall.h>

extern const char syscall_entry[];  /* syscall_entry.S */

void syscall_init(void)
{
	/*
	 * STAR[47:32]: SYSCALL CS (SS = +8). STAR[63:48]: SYSRET base; 64-bit
	 * SYSRET uses base+16 for CS and base+8 for SS, both with RPL 3.
	 */
	wrmsr(MSR_STAR, ((uint64_t)GDT_KDATA << 48) | ((uint64_t)GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/*
	 * Cleared on entry: IF (the entry runs with interrupts off until it is
	 * on the kernel stack, and the handlers stay so), DF (ABI), TF (no
	 * single-step into the kernel), AC (keeps SMAP armed), NT.
	 */
	wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC |
			  RFLAGS_NT | RFLAGS_IOPL);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
