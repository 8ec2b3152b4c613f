#include <arch/cpu.h>
#include <arch/power.h>
#include <portio.h>

#define ISA_DEBUG_EXIT_PORT 0xf4

void arch_halt(void)
{
	for (;;) {
		cli();
		hlt();
	}
}

void arch_poweroff(int code)
{
	outb(ISA_DEBUG_EXIT_PORT, (unsigned char)code);
	arch_halt();
}
