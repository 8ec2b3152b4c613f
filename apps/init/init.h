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

/* The initrd (initrd.c): bind and map it, list it, release what init
 * still holds of it (the count of pages released). */
int initrd_open(void);
int initrd_list(void);
uint32_t initrd_release(void);
struct tar_file;
int initrd_file(const char *name, struct tar_file *f);   /* libos/tar.h's tar_find */

/*
 * exec program `prog` from the initrd with the NULL-terminated extra
 * arguments: its env id, or a negative error.
 */
long spawn(const char *prog, unsigned caps, unsigned slices, ...)
	__attribute__((sentinel));

/*
 * spawn, and also hand the child the initrd pages of the www/ members,
 * read-only at EXEC_PAGES_VA, with the argument www= that names them
 * (../httpd/webroot.h). init no longer holds those pages afterwards, and
 * cannot read the programs that share a page with them either. Without a
 * web root in the initrd, the child starts without one.
 */
long spawn_www(const char *prog, unsigned caps, unsigned slices, ...)
	__attribute__((sentinel));

/* "key=v" in a small rotating buffer. */
const char *num_arg(const char *key, long v);

/* Wait for child id; 1 if it exited with status 0, else 0 (and says why). */
int child_ok(long id, const char *what);

/* Start the network programs and wait until they serve (services.c). */
void start_network(int argc, char **argv);

/* The tests' check: counts into the caller's `failures` and says why. */
#define CHECK(cond, ...)                                            \
	do {                                                        \
		if (!(cond)) {                                      \
			printf("init: check failed: " __VA_ARGS__); \
			failures++;                                 \
		}                                                   \
	} while (0)

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
int test_www(void);   /* www_test.c */

/* test=demux-*: the network demux tests (demux.c); -1 if unknown. */
int test_demux(const char *test);

#endif /* APPS_INIT_H */
