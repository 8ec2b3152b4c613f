/*
 * Faults on purpose, for the kernel's user-faults test. Each is written in
 * inline assembly so that the compiler cannot turn it into something else
 * (GCC rewrites a C null dereference into ud2, for instance).
 */
#include <stdint.h>
#include <string.h>

#include <libos/libos.h>

#include "init.h"

/*
 * Every faulting run leaves a marker in xmm15; the clean run that follows
 * must not see it: a new env starts with clean SSE registers, not with the
 * previous env's (the compiler does not use xmm15 in this small program).
 */
#define XMM_MARKER 0x5ec7e7c0ffeeULL

static uint64_t read_xmm15(void)
{
	uint64_t v;

	__asm__ volatile("movq %%xmm15, %0" : "=r"(v));
	return v;
}

int trigger_fault(const char *kind)
{
	uint64_t v = 0, hi = 0;

	printf("init: raising fault '%s'\n", kind);
	if (strcmp(kind, "none") == 0) {
		if (read_xmm15() != 0) {
			printf("init: xmm15 holds %#lx from an earlier env\n",
			       (unsigned long)read_xmm15());
			return 4;
		}
		return 0;
	}
	/*
	 * No exception handler: the kernel must destroy the env (the libOS's
	 * default handler would otherwise see the fault first).
	 */
	sys_bind_signal(EXO_SIG_EXC, 0);
	__asm__ volatile("movq %0, %%xmm15" : : "r"(XMM_MARKER));
	if (strcmp(kind, "null") == 0)          /* #PF, not present, user read */
		__asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(0UL) : "memory");
	else if (strcmp(kind, "priv") == 0)     /* #GP: hlt needs CPL 0 */
		__asm__ volatile("hlt");
	else if (strcmp(kind, "gp") == 0)       /* #GP: non-canonical address */
		__asm__ volatile("movq (%1), %0" : "=r"(v)
				 : "r"(0x8000000000000000UL) : "memory");
	else if (strcmp(kind, "div") == 0)      /* #DE: divide by zero */
		__asm__ volatile("divq %2" : "+a"(v), "+d"(hi) : "r"(0UL));
	else if (strcmp(kind, "ud") == 0)       /* #UD */
		__asm__ volatile("ud2");
	else if (strcmp(kind, "bp") == 0)       /* #BP */
		__asm__ volatile("int3");
	else if (strcmp(kind, "int") == 0)      /* #GP: the timer's gate is DPL 0 */
		__asm__ volatile("int $48");
	else {
		printf("init: unknown fault '%s'\n", kind);
		return 2;
	}
	printf("init: fault '%s' did not fault (%lu)\n", kind, (unsigned long)v);
	return 3;
}
