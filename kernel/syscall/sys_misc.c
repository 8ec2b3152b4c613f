/* cmdline, ticks, poweroff. */
#include <string.h>

#include <arch/power.h>
#include <boot/boot.h>
#include <console/console.h>
#include <env/env.h>
#include <kernel/syscall_table.h>
#include <mm/usercopy.h>
#include <time/timer.h>

int64_t sys_cmdline(uint64_t buf, uint64_t size)
{
	struct env *e = env_current();
	const char *s = boot_info.cmdline;
	uint64_t n = strlen(s);

	if (size == 0)
		return (int64_t)n;  /* a length query, like snprintf(NULL, 0) */
	uint64_t want = n + 1 < size ? n + 1 : size;
	if (user_check(&e->as, buf, want, 1) != 0)
		return -EXO_EFAULT;
	if (size < n + 1)
		return -EXO_ERANGE;
	copy_to_user(&e->as, buf, s, n + 1);
	return (int64_t)n;
}

int64_t sys_ticks(void)
{
	return (int64_t)timer_ticks();
}

int64_t sys_poweroff(uint64_t status)
{
	struct env *e = env_current();

	if (boot_test() == NULL)
		return -EXO_EPERM;  /* only test runs may end the machine */
	printk("kernel: env %d (%s) powers off, status %d\n", e->id, e->name,
	       (int)status);
	arch_poweroff((int)status == 0 ? POWER_EXIT_SUCCESS : POWER_EXIT_FAILURE);
}
