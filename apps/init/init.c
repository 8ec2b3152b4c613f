/*
 * init: the first env. It greets, reports its arguments (the kernel
 * command line), binds the initrd, and then either runs the test selected
 * by test=NAME (ending it with the test-only poweroff call) or starts the
 * initrd's "hello" program, waits for it, starts the network programs
 * (services.c: each in an env of its own, httpd with the initrd's web
 * root pages handed over; they run on), and releases the rest of the initrd.
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

int child_ok(long id, const char *what)
{
	if (id < 0) {
		printf("init: %s: could not start (error %ld)\n", what, id);
		return 0;
	}
	long st = wait_env(id);
	if (st != 0)
		printf("init: %s (env %ld) ended with %#lx\n", what, id, st);
	return st == 0;
}

static const struct {
	const char *name;
	int (*run)(void);
} tests[] = {
	{ "exec", test_exec },
	{ "mem-isolation", test_isolation },
	{ "revoke-coop", test_revoke_coop },
	{ "revoke-abort", test_revoke_abort },
	{ "sched-ratio", test_sched_ratio },
	{ "sched-preempt", test_sched_preempt },
	{ "sched-yield", test_sched_yield },
	{ "syscall-fuzz", test_fuzz },
	{ "bench", test_bench },
	{ "www", test_www },
};

/* Tests that are one exotest role each. */
static const char *const single[] = { "mem-bind", "mem-demand", "book" };

static int run_test(const char *test)
{
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (strcmp(test, tests[i].name) == 0)
			return tests[i].run();
	for (size_t i = 0; i < sizeof(single) / sizeof(single[0]); i++)
		if (strcmp(test, single[i]) == 0)
			return test_single(test);
	if (strncmp(test, "demux-", 6) == 0)
		return test_demux(test);   /* the network demux (demux.c) */
	return -1;
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
	int have_initrd = initrd_open() == 0;
	if (test) {
		int failures = have_initrd ? run_test(test) : 1;
		if (failures >= 0)
			finish(test, failures);
		printf("init: unknown test '%s'\n", test);
		printf("init: nothing more to do\n");
		return 1;
	}
	if (have_initrd && child_ok(spawn("hello", 0, 1, NULL), "hello"))
		printf("init: hello finished\n");
	/* The network programs (services.c, docs/apps.md): they run on after init. */
	if (have_initrd)
		start_network(argc, argv);
	if (have_initrd)
		printf("init: released the rest of the initrd (%u pages)\n", initrd_release());
	printf("init: nothing more to do\n");
	return 0;
}
