#include <string.h>

#include <libos/args.h>

#include "exotest.h"

const char *exotest_role = "?";
volatile uint64_t probe_addr, probe_error, probe_faults;
volatile uint64_t probe_resume __attribute__((used));

long arg_num(int argc, char **argv, const char *key, long dflt)
{
	const char *v = arg_value(argc, argv, key);
	long n = 0, sign = 1;

	if (v == NULL || *v == '\0')
		return dflt;
	if (*v == '-')
		sign = -1, v++;
	for (; *v >= '0' && *v <= '9'; v++)
		n = n * 10 + (*v - '0');
	return sign * n;
}

/* A fault inside a probe resumes after it; anything else is the default's. */
static int probe_exception(uint64_t vector, uint64_t error, uint64_t addr)
{
	if (probe_resume == 0)
		return libos_default_exception(vector, error, addr);
	libos_area.regs.rip = probe_resume;
	probe_resume = 0;
	probe_addr = addr;
	probe_error = error;
	probe_faults++;
	return 0;
}

int probe_read(const void *p, uint64_t *val)
{
	uint64_t before = probe_faults, v = 0;

	__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
			 "movq %%rax, probe_resume(%%rip)\n\t"
			 "movq (%1), %0\n"
			 "1:\n\t"
			 "movq $0, probe_resume(%%rip)"
			 : "+r"(v) : "r"(p) : "rax", "memory");
	if (val)
		*val = v;
	return probe_faults != before;
}

int probe_write(void *p, uint64_t val)
{
	uint64_t before = probe_faults;

	__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
			 "movq %%rax, probe_resume(%%rip)\n\t"
			 "movq %1, (%0)\n"
			 "1:\n\t"
			 "movq $0, probe_resume(%%rip)"
			 : : "r"(p), "r"(val) : "rax", "memory");
	return probe_faults != before;
}

long send_retry(long env, uint64_t w0, uint64_t w1)
{
	long r;

	while ((r = sys_ipc_send(env, (long)w0, (long)w1)) == -EXO_EAGAIN)
		sys_yield(0);
	return r;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} roles[] = {
	{ "mem-bind", role_mem_bind },
	{ "mem-demand", role_mem_demand },
	{ "book", role_book },
	{ "iso-owner", role_iso_owner },
	{ "iso-peer", role_iso_peer },
	{ "revoke-coop", role_revoke_coop },
	{ "revoke-abort", role_revoke_abort },
	{ "bystander", role_bystander },
	{ "spin", role_spin },
	{ "loop", role_loop },
	{ "loop-bare", role_loop_bare },
	{ "ping", role_ping },
	{ "pong", role_pong },
	{ "fuzz", role_fuzz },
	{ "www", role_www },
};

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	const char *r = arg_value(argc, argv, "role");

	libos_handlers.exception = probe_exception;
	for (size_t i = 0; r && i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(r, roles[i].name) == 0) {
			exotest_role = r;
			int failures = roles[i].run(argc, argv);
			if (failures)
				printf("exotest: %s: %d failure(s)\n", r, failures);
			return failures;
		}
	printf("exotest: unknown role '%s'\n", r ? r : "(none)");
	return 100;
}
