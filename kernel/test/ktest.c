#include <stdarg.h>
#include <string.h>

#include <arch/power.h>
#include <console/console.h>
#include <test/ktest.h>

void ktest_pass(const char *what)
{
	printk("PASS: %s\n", what);
	arch_poweroff(POWER_EXIT_SUCCESS);
}

void ktest_fail(const char *fmt, ...)
{
	va_list ap;

	printk("FAIL: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	arch_poweroff(POWER_EXIT_FAILURE);
}

void ktest_early(const char *name)
{
	if (strcmp(name, "kpanic") == 0)
		ktest_kpanic();
	if (strcmp(name, "kstack-overflow") == 0)
		ktest_kstack_overflow();
	if (strcmp(name, "timer") == 0)
		ktest_timer();
	if (strncmp(name, "net-", 4) == 0)
		ktest_net(name);  /* test/net_test.c */
}
