/*
 * test=user-faults: a user program that faults with no exception handler
 * must be destroyed and reported, its memory must all come back, and the
 * kernel must go on. The init image is run once per fault (apps/init
 * unregisters its exception upcall and triggers the fault named by its
 * "fault=" argument), then once more without a fault.
 */
#include <string.h>

#include <arch/trap.h>
#include <console/console.h>
#include <env/env.h>
#include <mm/pmem.h>
#include <sched/sched.h>
#include <test/ktest.h>

/*
 * Expected error codes as (mask, value). A #GP from a gate's DPL names the
 * IDT entry: bit 1 set, bit 0 (external) clear (SDM Vol. 3A 6.13, Figure
 * 6-7); the index bits are not checked because QEMU's TCG scales them by
 * 16 rather than 8.
 */
#define ANY 0, 0
#define EXACT(v) UINT64_MAX, (v)

static const struct {
	const char *arg;
	uint64_t vector;
	uint64_t err_mask, err_want;
} cases[] = {
	{ "fault=null", T_PF, EXACT(PF_U) },  /* user read of address 0, not present */
	{ "fault=priv", T_GP, EXACT(0) },     /* hlt in ring 3 */
	{ "fault=gp", T_GP, EXACT(0) },       /* load from a non-canonical address */
	{ "fault=div", T_DE, ANY },           /* divide by zero */
	{ "fault=ud", T_UD, ANY },            /* ud2 */
	{ "fault=bp", T_BP, ANY },            /* int3: the one DPL-3 gate */
	/* int $48 must not fake a timer interrupt: the gate is DPL 0 */
	{ "fault=int", T_GP, 3, 2 },
};

#define MAX_ARGS 72

static void run(const void *elf, size_t size, const char *const *argv,
		int argc, const char *extra, struct env_stop *stop)
{
	const char *args[MAX_ARGS];
	char why[160];

	if (argc + 1 > MAX_ARGS)
		ktest_fail("user-faults: too many arguments");
	memcpy(args, argv, (size_t)argc * sizeof(*argv));
	args[argc] = extra;
	struct env *e = env_create(elf, size, args, argc + 1, why, sizeof(why));
	if (e == NULL)
		ktest_fail("user-faults: %s", why);
	sched_run_until(e, stop);
}

void ktest_user_faults(const void *elf, size_t size, const char *const *argv,
		       int argc)
{
	uint64_t before = pmem_free_pages();
	struct env_stop st;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(elf, size, argv, argc, cases[i].arg, &st);
		uint64_t after = pmem_free_pages();
		if (!st.killed || st.vector != cases[i].vector)
			ktest_fail("user-faults: %s: want %s, got %s (vector %lu, exit %d)",
				   cases[i].arg, trap_name(cases[i].vector),
				   st.killed ? trap_name(st.vector) : "no fault",
				   (unsigned long)st.vector, st.status);
		if ((st.error & cases[i].err_mask) != cases[i].err_want)
			ktest_fail("user-faults: %s: error code 0x%lx, want 0x%lx under mask 0x%lx",
				   cases[i].arg, (unsigned long)st.error,
				   (unsigned long)cases[i].err_want,
				   (unsigned long)cases[i].err_mask);
		if (cases[i].vector == T_PF && st.addr != 0)
			ktest_fail("user-faults: null: CR2 0x%lx, want 0",
				   (unsigned long)st.addr);
		if (after != before)
			ktest_fail("user-faults: %s: %lu free pages before, %lu after",
				   cases[i].arg, (unsigned long)before,
				   (unsigned long)after);
		printk("ktest: %s contained as %s; free pages %lu == %lu\n",
		       cases[i].arg, trap_name(st.vector), (unsigned long)before,
		       (unsigned long)after);
	}
	run(elf, size, argv, argc, "fault=none", &st);
	if (st.killed || st.status != 0)
		ktest_fail("user-faults: clean run: killed=%d status=%d", st.killed,
			   st.status);
	if (pmem_free_pages() != before)
		ktest_fail("user-faults: clean run leaked %ld pages",
			   (long)(before - pmem_free_pages()));
	ktest_pass("user faults contained");
}
