/*
 * test=syscall-badptr: every hostile pointer or range passed to a system
 * call must come back as the documented error (docs/syscalls.md), and the
 * kernel must survive all of them. Table-driven: one row per case.
 */
#include <stdint.h>
#include <string.h>

#include <exo/layout.h>
#include <libos/libos.h>

#include "init.h"

struct bp_case {
	const char *what;
	long nr;
	uint64_t a0, a1;
	long want;
};

static char buf[600];

/* Does s contain the substring w? (lib/ has no strstr.) */
static int contains(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; *s; s++)
		if (strncmp(s, w, n) == 0)
			return 1;
	return 0;
}

static int run(const struct bp_case *c, int n)
{
	int failures = 0;

	for (int i = 0; i < n; i++) {
		long got = syscall6(c[i].nr, (long)c[i].a0, (long)c[i].a1, 0, 0, 0, 0);
		if (got != c[i].want) {
			printf("init: badptr: %s: got %ld, want %ld\n", c[i].what, got,
			       c[i].want);
			failures++;
		}
	}
	printf("init: badptr: %d cases, %d wrong\n", n, failures);
	return failures;
}

int test_badptr(void)
{
	const uint64_t text = (uint64_t)&test_badptr & ~0xfffUL;
	const uint64_t stack_lo = EXO_USER_STACK_TOP - EXO_USER_STACK_SIZE;
	const uint64_t b = (uint64_t)buf;
	const long n = sys_cmdline(NULL, 0);
	const struct bp_case cases[] = {
		/* cputs reads user memory */
		{ "cputs NULL", SYS_cputs, 0, 1, -EXO_EFAULT },
		{ "cputs NULL, len 0", SYS_cputs, 0, 0, 0 },
		{ "cputs kernel text", SYS_cputs, EXO_KERNEL_BASE + 0x100000, 16, -EXO_EFAULT },
		{ "cputs direct map", SYS_cputs, EXO_DIRECT_MAP + 0x100000, 16, -EXO_EFAULT },
		{ "cputs USER_TOP", SYS_cputs, EXO_USER_TOP, 1, -EXO_EFAULT },
		{ "cputs non-canonical", SYS_cputs, 0x8000000000000000UL, 1, -EXO_EFAULT },
		{ "cputs non-canonical 2", SYS_cputs, 0x00ff000000000000UL, 1, -EXO_EFAULT },
		{ "cputs unmapped user", SYS_cputs, 0x10000000UL, 1, -EXO_EFAULT },
		{ "cputs into stack guard", SYS_cputs, stack_lo - 8, 16, -EXO_EFAULT },
		{ "cputs past stack top", SYS_cputs, EXO_USER_STACK_TOP - 8, 16, -EXO_EFAULT },
		{ "cputs across USER_TOP", SYS_cputs, EXO_USER_TOP - 0x1000, 0x2000, -EXO_EFAULT },
		{ "cputs wrapping length", SYS_cputs, b, UINT64_MAX, -EXO_EFAULT },
		{ "cputs wrapping address", SYS_cputs, 0xfffffffffffff000UL, 0x2000, -EXO_EFAULT },
		{ "cputs huge length", SYS_cputs, b, 1UL << 46, -EXO_EFAULT },
		{ "cputs valid, len 0", SYS_cputs, b, 0, 0 },
		/* cmdline writes user memory */
		{ "cmdline NULL", SYS_cmdline, 0, 64, -EXO_EFAULT },
		{ "cmdline kernel", SYS_cmdline, EXO_KERNEL_BASE + 0x100000, 64, -EXO_EFAULT },
		{ "cmdline direct map", SYS_cmdline, EXO_DIRECT_MAP, 64, -EXO_EFAULT },
		{ "cmdline read-only text", SYS_cmdline, text, 64, -EXO_EFAULT },
		{ "cmdline across USER_TOP", SYS_cmdline, EXO_USER_TOP - 16, 64, -EXO_EFAULT },
		{ "cmdline non-canonical", SYS_cmdline, 0xdead000000000000UL, 64, -EXO_EFAULT },
		{ "cmdline too small", SYS_cmdline, b, 1, -EXO_ERANGE },
		{ "cmdline length query", SYS_cmdline, 0, 0, n },
		{ "cmdline exact fit", SYS_cmdline, b, (uint64_t)n + 1, n },
		{ "cmdline huge size", SYS_cmdline, b, UINT64_MAX, n },
		/* numbers that are not system calls */
		{ "number SYS_COUNT", SYS_COUNT, 0, 0, -EXO_ENOSYS },
		{ "number 1000", 1000, 0, 0, -EXO_ENOSYS },
		{ "number -1", -1, 0, 0, -EXO_ENOSYS },
		{ "number 2^32 + cputs", (1L << 32) + SYS_cputs, b, 1, -EXO_ENOSYS },
		{ "null call still works", SYS_null, 0, 0, 0 },
	};
	int failures = run(cases, (int)(sizeof(cases) / sizeof(cases[0])));

	/* The successful copies must also have copied the right bytes. */
	memset(buf, 0, sizeof(buf));
	if (sys_cmdline(buf, sizeof(buf)) != n || !contains(buf, "test=syscall-badptr")) {
		printf("init: badptr: cmdline contents wrong: '%s'\n", buf);
		failures++;
	}
	return failures;
}
