/*
 * test=boot: the user-mode environment the kernel promises is really
 * there: argv[0] is "init" and argv[1..] are the words of the kernel
 * command line (cross-checked with the cmdline call), timer interrupts
 * arrive while in ring 3, and SSE works (the kernel set CR0/CR4 for it).
 */
#include <string.h>

#include <libos/libos.h>

#include "init.h"

#define BOOT_CHECK(cond, ...)                                  \
	do {                                              \
		if (!(cond)) {                            \
			printf("init: boot: " __VA_ARGS__); \
			failures++;                       \
		}                                         \
	} while (0)

static int argv_matches_cmdline(int argc, char **argv)
{
	static char line[512];
	long n = sys_cmdline(line, sizeof(line));
	char *p = line;
	int i = 1;

	if (n < 0)
		return 0;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		char *w = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		size_t len = (size_t)(p - w);
		if (i >= argc || strlen(argv[i]) != len || memcmp(argv[i], w, len) != 0)
			return 0;
		i++;
	}
	return i == argc;
}

static int ticks_advance(void)
{
	long t0 = sys_ticks();

	/* ~10^9 iterations would take seconds; a tick is 1 ms. */
	for (volatile long spin = 0; spin < 200000000; spin++)
		if (sys_ticks() != t0)
			return 1;
	return 0;
}

static int sse_works(void)
{
	volatile double a = 1.5, b = 3.0;

	return a * b == 4.5;
}

int test_boot(int argc, char **argv)
{
	int failures = 0;

	BOOT_CHECK(argc >= 2 && strcmp(argv[0], "init") == 0, "argv[0] is not init\n");
	BOOT_CHECK(argv_matches_cmdline(argc, argv), "argv differs from the command line\n");
	BOOT_CHECK(ticks_advance(), "the tick counter does not move in ring 3\n");
	BOOT_CHECK(sse_works(), "SSE arithmetic is wrong\n");
	BOOT_CHECK(sys_null() == 0, "null call returned non-zero\n");
	return failures;
}
