/*
 * The env table and the life of an env: birth (embryo, or the kernel's
 * loader for init), start, exit, exceptions (reflected or fatal), death
 * (every resource back to the free pool) and reaping by the parent.
 * Running and switching envs is the scheduler's (sched/sched.h).
 */
#include <string.h>

#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/percpu.h>
#include <console/console.h>
#include <env/env.h>
#include <env/grant.h>
#include <env/ipc.h>
#include <env/load.h>
#include <env/resource.h>
#include <env/revoke.h>
#include <env/upcall.h>
#include <exo/errno.h>
#include <fmt.h>
#include <mm/book.h>
#include <mm/kvm.h>
#include <sched/sched.h>

struct env envs[NENV];
static int next_id = 1;

struct env *env_from_tag(uint16_t tag)
{
	if (tag < 1 || tag > NENV)
		return NULL;
	struct env *e = &envs[tag - 1];
	return e->state == EXO_ENV_FREE || e->state == EXO_ENV_ZOMBIE ? NULL : e;
}

struct env *env_by_id(int64_t id)
{
	if (id <= 0)
		return NULL;
	for (int i = 0; i < NENV; i++)
		if (envs[i].id == id && envs[i].state != EXO_ENV_FREE &&
		    envs[i].state != EXO_ENV_ZOMBIE)
			return &envs[i];
	return NULL;
}

int env_target(struct env *self, int64_t id, struct env **out)
{
	if (id == 0 || id == self->id) {
		*out = self;
		return 0;
	}
	struct env *e = env_by_id(id);
	if (e == NULL || e->parent != self || e->state != EXO_ENV_EMBRYO)
		return -EXO_ESRCH;
	*out = e;
	return 0;
}

void env_book_sync(struct env *e)
{
	struct exo_book_env *b = e->bk;

	b->id = e->state == EXO_ENV_FREE ? 0 : e->id;
	b->state = (uint8_t)e->state;
	b->caps = e->caps;
	b->parent_slot = e->parent ? env_tag(e->parent) : 0;
	b->runs = e->runs;
	b->pages = handle_count(&e->ht, H_PAGE);
	b->slices = handle_count(&e->ht, H_SLICE);
}

struct env *env_alloc(const char *name, struct env *parent, uint8_t caps)
{
	for (int i = 0; i < NENV; i++) {
		struct env *e = &envs[i];
		if (e->state != EXO_ENV_FREE)
			continue;
		memset(e, 0, sizeof(*e));
		if (uvm_create(&e->as) != 0)
			return NULL;
		e->slot = i;
		e->id = next_id++;
		size_t n = strnlen(name, ENV_NAME_MAX - 1);
		memcpy(e->name, name, n);
		e->parent = parent;
		e->caps = caps;
		e->state = EXO_ENV_EMBRYO;
		e->fpu_fresh = 1;
		handle_table_init(&e->ht);
		e->bk = &book->env[i];
		memset(e->bk, 0, sizeof(*e->bk));
		memcpy(e->bk->name, e->name, ENV_NAME_MAX);
		env_book_sync(e);
		return e;
	}
	return NULL;
}

void env_start(struct env *e)
{
	e->state = EXO_ENV_RUNNABLE;
	env_book_sync(e);
}

struct env *env_create(const void *elf, size_t size, const char *const *argv,
		       int argc, char *why, size_t whylen)
{
	struct env *e = env_alloc(argc > 0 ? argv[0] : "?", NULL, 0);

	if (e == NULL) {
		fmt_snprintf(why, whylen, "env: no free env slot or out of memory");
		return NULL;
	}
	if (load_elf(e, elf, size, why, whylen) != 0 ||
	    load_stack(e, argv, argc, why, whylen) != 0 ||
	    load_slice(e, why, whylen) != 0) {
		env_destroy(e);
		e->state = EXO_ENV_FREE;   /* no parent to reap it */
		env_book_sync(e);
		return NULL;
	}
	env_start(e);
	return e;
}

struct env *env_current(void)
{
	return this_cpu()->env;
}

/* Give back everything e holds and leave it a zombie (or free). */
static void teardown(struct env *e)
{
	for (int h = 0; h < EXO_NHANDLE; h++)
		if (e->ht.h[h].type != H_FREE)
			resource_release(e, h, RELEASE_EXIT);
	grant_drop_env(e);
	revoke_drop_env(e);
	ipc_drop_env(e);
	for (int i = 0; i < NENV; i++) {
		struct env *c = &envs[i];
		if (c->state == EXO_ENV_FREE || c->parent != e)
			continue;
		if (c->state == EXO_ENV_ZOMBIE) {
			c->state = EXO_ENV_FREE;
			env_book_sync(c);
		} else if (c->state == EXO_ENV_EMBRYO) {
			env_destroy(c);     /* nobody else can start it */
		} else {
			c->parent = NULL;
		}
	}
	sched_died(e);
	fpu_forget(e->fpu);
	if ((read_cr3() & ~0xfffULL) == e->as.pml4)
		write_cr3(kvm_pml4());
	uvm_destroy(&e->as);
	sched_forget(e);
	e->bk->exit_status = e->stop.killed ? EXO_WAIT_KILLED | (int)e->stop.vector
					    : (e->stop.status & 0xff);
	e->state = e->parent ? EXO_ENV_ZOMBIE : EXO_ENV_FREE;
	env_book_sync(e);
	if (e->parent)
		env_reap_notify(e);
}

void env_destroy(struct env *e)
{
	e->stop.id = e->id;
	if (!e->stop.exited && !e->stop.killed)
		e->stop.killed = 1, e->stop.vector = 0;
	teardown(e);
}

void env_reap_notify(struct env *child)
{
	struct env *p = child->parent;

	if (p->state == EXO_ENV_BLOCKED && p->block == BLOCK_WAIT &&
	    p->wait_id == child->id) {
		p->tf.rax = (uint64_t)(int64_t)child->bk->exit_status;
		child->state = EXO_ENV_FREE;   /* collected */
		env_book_sync(child);
		p->block = BLOCK_NONE;
		p->state = EXO_ENV_RUNNABLE;
		env_book_sync(p);
	}
}

static void __attribute__((noreturn)) die_current(void)
{
	struct env *e = env_current();

	e->stop.id = e->id;
	teardown(e);
	sched_leave();
}

void env_exit(int status)
{
	struct env *e = env_current();

	e->stop.exited = 1;
	e->stop.status = status;
	die_current();
}

void env_fault(struct trapframe *tf)
{
	struct env *e = env_current();

	if (e == NULL) {
		trap_dump(tf);
		panic("%s from ring 3 with no env", trap_name(tf->vector));
	}
	uint64_t addr = tf->vector == T_PF ? read_cr2() : 0;
	if (upcall_sync(e, tf, EXO_SIG_EXC, tf->vector, tf->error, addr) == 0)
		return;   /* tf now enters the libOS's handler */
	e->tf = *tf;
	e->stop.killed = 1;
	e->stop.vector = tf->vector;
	e->stop.error = tf->error;
	e->stop.rip = tf->rip;
	e->stop.addr = addr;
	printk("kernel: env %d (%s) killed: %s at rip=0x%lx", e->id, e->name,
	       trap_name(tf->vector), (unsigned long)tf->rip);
	if (tf->vector == T_PF)
		printk(" addr=0x%lx", (unsigned long)addr);
	printk(" err=0x%lx%s\n", (unsigned long)tf->error,
	       e->sig[EXO_SIG_EXC] ? " (fault inside its upcall handler)" : "");
	die_current();
}
