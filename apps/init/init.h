/* apps/init: the first user program. Its parts share these entry points. */
#ifndef APPS_INIT_H
#define APPS_INIT_H

#include <stdint.h>

/*
 * fault=KIND (test=user-faults, driven by the kernel): null, priv, gp, div,
 * ud, bp and int raise an exception and never return; "none" returns 0
 * (non-zero if it finds state left behind by an earlier env).
 */
int trigger_fault(const char *kind);

/* test=boot: the user-mode environment is sane. Returns failures. */
int test_boot(int argc, char **argv);

/* test=syscall-badptr: hostile pointers get errors. Returns failures. */
int test_badptr(void);

/* The initrd (initrd.c): bind and map it, list it, release it. */
int initrd_open(void);
int initrd_list(void);
uint32_t initrd_release(void);

/*
 * exec program `prog` from the initrd with the NULL-terminated extra
 * arguments: its env id, or a negative error.
 */
long spawn(const char *prog, unsigned caps, unsigned slices, ...)
	__attribute__((sentinel));

/* "key=v" in a small rotating buffer. */
const char *num_arg(const char *key, long v);

/* Wait for child id; 1 if it exited with status 0, else 0 (and says why). */
int child_ok(long id, const char *what);

/* The multi-env tests (tests.c, each returns its number of failures). */
int test_exec(void);
int test_single(const char *role);
int test_isolation(void);
int test_revoke_coop(void);
int test_revoke_abort(void);
int test_sched_ratio(void);
int test_sched_preempt(void);
int test_sched_yield(void);
int test_fuzz(void);
int test_bench(void);

/* test=demux-*: the network demux tests (demux.c); -1 if unknown. */
int test_demux(const char *test);

#endif /* APPS_INIT_H */
