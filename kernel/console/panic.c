#include <stdarg.h>

#include <arch/cpu.h>
#include <arch/power.h>
#include <console/console.h>

static int panicking;

void panic(const char *fmt, ...)
{
	va_list ap;

	cli();
	if (panicking++) {
		/* A fault while printing the first panic: just stop. */
		arch_poweroff(POWER_EXIT_FAILURE);
	}
	printk("PANIC: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	arch_poweroff(POWER_EXIT_FAILURE);
}
