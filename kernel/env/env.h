/*
 * Environments: the kernel's only process-like object. Today an env is an
 * address space plus saved user registers, run by the kernel's main flow
 * until it exits or faults; later issues add handle tables, upcall entry
 * points and time slices to struct env.
 */
#ifndef ENV_ENV_H
#define ENV_ENV_H

#include <stddef.h>
#include <stdint.h>

#include <arch/trap.h>
#include <mm/uvm.h>

#define NENV 64
#define ENV_NAME_MAX 16

enum env_state {
	ENV_FREE = 0,
	ENV_RUNNABLE,
	ENV_RUNNING,
	ENV_DEAD,      /* stopped for good; memory freed by env_run() */
};

/* Why an env stopped. */
struct env_stop {
	int id;
	int exited;        /* called exit(status) */
	int status;
	int killed;        /* took an exception with nobody to reflect it to */
	uint64_t vector, error, rip, addr;  /* the exception; addr = CR2 for #PF */
};

struct env {
	int id;                   /* > 0, never reused */
	char name[ENV_NAME_MAX];
	enum env_state state;
	struct uvm as;
	struct trapframe tf;      /* user registers while not running */
	uint64_t runs;            /* times env_run() entered it */
	struct env_stop stop;
};

/*
 * Make an env running the ELF64 image elf[0, size) with the given argv
 * (argv[0] is its name). Returns NULL and a reason in why on failure
 * (a bad image, too many arguments, out of memory); nothing leaks.
 */
struct env *env_create(const void *elf, size_t size, const char *const *argv,
		       int argc, char *why, size_t whylen);

/*
 * Run e until it stops. A dead env's memory is freed before this returns;
 * *stop says why it stopped.
 */
void env_run(struct env *e, struct env_stop *stop);

/* The env whose syscall or trap is being handled, or NULL. */
struct env *env_current(void);

/* The current env calls exit(status). */
void env_exit(int status) __attribute__((noreturn));

/* The current env took exception tf in ring 3: stop it and report it. */
void env_fault(struct trapframe *tf) __attribute__((noreturn));

#endif /* ENV_ENV_H */
