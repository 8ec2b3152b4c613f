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
	uint64_t a0, a1, a2, a3;
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
		long got = syscall6(c[i].nr, (long)c[i].a0, (long)c[i].a1, (long)c[i].a2,
				    (long)c[i].a3, 0, 0);
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
		{ "cputs NULL", SYS_cputs, 0, 1, 0, 0, -EXO_EFAULT },
		{ "cputs NULL, len 0", SYS_cputs, 0, 0, 0, 0, 0 },
		{ "cputs kernel text", SYS_cputs, EXO_KERNEL_BASE + 0x100000, 16, 0, 0, -EXO_EFAULT },
		{ "cputs direct map", SYS_cputs, EXO_DIRECT_MAP + 0x100000, 16, 0, 0, -EXO_EFAULT },
		{ "cputs USER_TOP", SYS_cputs, EXO_USER_TOP, 1, 0, 0, -EXO_EFAULT },
		{ "cputs non-canonical", SYS_cputs, 0x8000000000000000UL, 1, 0, 0, -EXO_EFAULT },
		{ "cputs non-canonical 2", SYS_cputs, 0x00ff000000000000UL, 1, 0, 0, -EXO_EFAULT },
		{ "cputs unmapped user", SYS_cputs, 0x10000000UL, 1, 0, 0, -EXO_EFAULT },
		{ "cputs into stack guard", SYS_cputs, stack_lo - 8, 16, 0, 0, -EXO_EFAULT },
		{ "cputs past stack top", SYS_cputs, EXO_USER_STACK_TOP - 8, 16, 0, 0, -EXO_EFAULT },
		{ "cputs across USER_TOP", SYS_cputs, EXO_USER_TOP - 0x1000, 0x2000, 0, 0, -EXO_EFAULT },
		{ "cputs wrapping length", SYS_cputs, b, UINT64_MAX, 0, 0, -EXO_EFAULT },
		{ "cputs wrapping address", SYS_cputs, 0xfffffffffffff000UL, 0x2000, 0, 0, -EXO_EFAULT },
		{ "cputs huge length", SYS_cputs, b, 1UL << 46, 0, 0, -EXO_EFAULT },
		{ "cputs valid, len 0", SYS_cputs, b, 0, 0, 0, 0 },
		/* cmdline writes user memory */
		{ "cmdline NULL", SYS_cmdline, 0, 64, 0, 0, -EXO_EFAULT },
		{ "cmdline kernel", SYS_cmdline, EXO_KERNEL_BASE + 0x100000, 64, 0, 0, -EXO_EFAULT },
		{ "cmdline direct map", SYS_cmdline, EXO_DIRECT_MAP, 64, 0, 0, -EXO_EFAULT },
		{ "cmdline read-only text", SYS_cmdline, text, 64, 0, 0, -EXO_EFAULT },
		{ "cmdline across USER_TOP", SYS_cmdline, EXO_USER_TOP - 16, 64, 0, 0, -EXO_EFAULT },
		{ "cmdline non-canonical", SYS_cmdline, 0xdead000000000000UL, 64, 0, 0, -EXO_EFAULT },
		{ "cmdline too small", SYS_cmdline, b, 1, 0, 0, -EXO_ERANGE },
		{ "cmdline length query", SYS_cmdline, 0, 0, 0, 0, n },
		{ "cmdline exact fit", SYS_cmdline, b, (uint64_t)n + 1, 0, 0, n },
		{ "cmdline huge size", SYS_cmdline, b, UINT64_MAX, 0, 0, n },
		/* numbers that are not system calls */
		{ "number SYS_COUNT", SYS_COUNT, 0, 0, 0, 0, -EXO_ENOSYS },
		{ "number 1000", 1000, 0, 0, 0, 0, -EXO_ENOSYS },
		{ "number -1", -1, 0, 0, 0, 0, -EXO_ENOSYS },
		{ "number 2^32 + cputs", (1L << 32) + SYS_cputs, b, 1, 0, 0, -EXO_ENOSYS },
		/* resource-core calls that take pointers or addresses */
		{ "upcall_setup NULL", SYS_upcall_setup, 0, stack_lo + 64, 0, 0, -EXO_EFAULT },
		{ "upcall_setup kernel", SYS_upcall_setup, EXO_KERNEL_BASE, stack_lo + 64, 0, 0, -EXO_EFAULT },
		{ "upcall_setup read-only", SYS_upcall_setup, text, stack_lo + 64, 0, 0, -EXO_EFAULT },
		{ "upcall_setup misaligned", SYS_upcall_setup, b + 1, stack_lo + 64, 0, 0, -EXO_EINVAL },
		{ "upcall_setup kernel stack", SYS_upcall_setup, b, EXO_KERNEL_BASE, 0, 0, -EXO_EINVAL },
		{ "env_create NULL name", SYS_env_create, 0, 0, 0, 0, -EXO_EFAULT },
		{ "env_create kernel name", SYS_env_create, EXO_KERNEL_BASE, 0, 0, 0, -EXO_EFAULT },
		{ "env_create direct map", SYS_env_create, EXO_DIRECT_MAP, 0, 0, 0, -EXO_EFAULT },
		{ "ipc_recv NULL", SYS_ipc_recv, 0, 0, 0, 0, -EXO_EFAULT },
		{ "ipc_recv kernel", SYS_ipc_recv, EXO_KERNEL_BASE, 0, 0, 0, -EXO_EFAULT },
		{ "ipc_recv read-only", SYS_ipc_recv, text, 0, 0, 0, -EXO_EFAULT },
		{ "page_map at kernel", SYS_page_map, 0, 0, EXO_KERNEL_BASE, 0, -EXO_EINVAL },
		{ "page_map at direct map", SYS_page_map, 0, 0, EXO_DIRECT_MAP, 0, -EXO_EINVAL },
		{ "page_map non-canonical", SYS_page_map, 0, 0, 0x8000000000000000UL, 0, -EXO_EINVAL },
		{ "page_map at USER_TOP", SYS_page_map, 0, 0, EXO_USER_TOP, 0, -EXO_EINVAL },
		{ "page_unmap kernel", SYS_page_unmap, 0, EXO_KERNEL_BASE, 0, 0, -EXO_EINVAL },
		{ "bind_signal kernel entry", SYS_bind_signal, 0, EXO_KERNEL_BASE, 0, 0, -EXO_EINVAL },
		{ "env_start kernel rip", SYS_env_start, 99, EXO_KERNEL_BASE, 0, 0, -EXO_ESRCH },
		{ "null call still works", SYS_null, 0, 0, 0, 0, 0 },
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
