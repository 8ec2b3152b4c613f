/*
 * init: the first env. Today it greets, reports its arguments (the kernel
 * command line), and runs the user-mode tests selected by test=NAME,
 * ending them with the test-only poweroff call. Later issues make it start
 * further programs from the initrd.
 */
#include <string.h>

#include <libos/args.h>
#include <libos/libos.h>

#include "init.h"

static void finish(const char *test, int failures)
{
	if (failures == 0)
		printf("PASS: %s\n", test);
	else
		printf("FAIL: %s: %d check(s) failed\n", test, failures);
	sys_poweroff(failures != 0);
	printf("init: poweroff refused\n");
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	printf("init: hello from ring 3 (pid %ld)\n", sys_env_self());
	printf("init: argv:");
	for (int i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");

	const char *fault = arg_value(argc, argv, "fault");
	if (fault)
		return trigger_fault(fault);

	const char *test = arg_value(argc, argv, "test");
	if (test && strcmp(test, "boot") == 0)
		finish(test, test_boot(argc, argv));
	else if (test && strcmp(test, "syscall-badptr") == 0)
		finish(test, test_badptr());
	printf("init: nothing more to do\n");
	return 0;
}
