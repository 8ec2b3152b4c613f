/*
 * Env table and the run/stop cycle. The kernel's main flow calls
 * env_run(), which saves its own context (arch/kctx.h) and enters ring 3.
 * Traps and syscalls from the env arrive on the per-CPU kernel stack; when
 * the env stops, env_exit()/env_fault() resume the saved context, so
 * env_run() returns as if it were an ordinary call. A scheduler later
 * becomes a loop around env_run().
 */
#include <string.h>

#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/kctx.h>
#include <arch/percpu.h>
#include <console/console.h>
#include <fmt.h>
#include <env/env.h>
#include <env/load.h>
#include <mm/kvm.h>
#include <mm/pmem.h>

static struct env envs[NENV];
static int next_id = 1;
static struct kctx sched_ctx;  /* the main flow, while an env runs */

static struct env *env_alloc(const char *name)
{
	for (int i = 0; i < NENV; i++) {
		struct env *e = &envs[i];
		if (e->state != ENV_FREE)
			continue;
		memset(e, 0, sizeof(*e));
		e->id = next_id++;
		size_t n = strnlen(name, ENV_NAME_MAX - 1);
		memcpy(e->name, name, n);
		e->name[n] = '\0';
		return e;
	}
	return NULL;
}

static void env_free(struct env *e)
{
	uvm_destroy(&e->as);
	e->state = ENV_FREE;
}

struct env *env_create(const void *elf, size_t size, const char *const *argv,
		       int argc, char *why, size_t whylen)
{
	struct env *e = env_alloc(argc > 0 ? argv[0] : "?");

	if (e == NULL) {
		fmt_snprintf(why, whylen, "env: all %d envs in use", NENV);
		return NULL;
	}
	if (uvm_create(&e->as) != 0) {
		fmt_snprintf(why, whylen, "env: out of memory");
		e->state = ENV_FREE;
		return NULL;
	}
	if (load_elf(e, elf, size, why, whylen) != 0 ||
	    load_stack(e, argv, argc, why, whylen) != 0) {
		env_free(e);
		return NULL;
	}
	e->state = ENV_RUNNABLE;
	return e;
}

void env_run(struct env *e, struct env_stop *stop)
{
	struct percpu *cpu = this_cpu();

	cpu->env = e;
	if (e->runs++ == 0)
		fpu_reset();  /* first entry: nothing of the previous env's registers */
	e->state = ENV_RUNNING;
	if (kctx_save(&sched_ctx) == 0) {
		write_cr3(e->as.pml4);
		trap_return(&e->tf);
	}
	/* Resumed by env_exit() or env_fault(): e has stopped. */
	write_cr3(kvm_pml4());
	cpu->env = NULL;
	*stop = e->stop;
	if (e->state == ENV_DEAD)
		env_free(e);
}

struct env *env_current(void)
{
	return this_cpu()->env;
}

static void __attribute__((noreturn)) stop_current(void)
{
	struct env *e = env_current();

	e->stop.id = e->id;
	e->state = ENV_DEAD;
	kctx_resume(&sched_ctx, 1);
}

void env_exit(int status)
{
	struct env *e = env_current();

	e->stop.exited = 1;
	e->stop.status = status;
	stop_current();
}

void env_fault(struct trapframe *tf)
{
	struct env *e = env_current();

	if (e == NULL) {
		trap_dump(tf);
		panic("%s from ring 3 with no env", trap_name(tf->vector));
	}
	e->tf = *tf;
	e->stop.killed = 1;
	e->stop.vector = tf->vector;
	e->stop.error = tf->error;
	e->stop.rip = tf->rip;
	e->stop.addr = tf->vector == T_PF ? read_cr2() : 0;
	printk("kernel: env %d (%s) killed: %s at rip=0x%lx", e->id, e->name,
	       trap_name(tf->vector), (unsigned long)tf->rip);
	if (tf->vector == T_PF)
		printk(" addr=0x%lx", (unsigned long)e->stop.addr);
	printk(" err=0x%lx\n", (unsigned long)tf->error);
	stop_current();
}
