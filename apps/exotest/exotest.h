/*
 * exotest: the test roles that apps/init starts for the resource-core
 * tests (role=NAME on the command line). Each role checks what it can
 * see from inside its env, prints what went wrong, and exits with its
 * number of failures (0 = pass).
 */
#ifndef APPS_EXOTEST_H
#define APPS_EXOTEST_H

#include <stddef.h>
#include <stdint.h>

#include <libos/libos.h>

#define CHECK(cond, ...)                                        \
	do {                                                    \
		if (!(cond)) {                                  \
			printf("exotest: %s: check failed: ", exotest_role); \
			printf(__VA_ARGS__);                    \
			failures++;                             \
		}                                               \
	} while (0)

extern const char *exotest_role;

/* Numeric argument key=N, or dflt. */
long arg_num(int argc, char **argv, const char *key, long dflt);

/*
 * Touch memory, surviving a fault: 1 if the access faulted (the fault
 * upcall skips it), 0 if not. The last fault's address and error code
 * are kept in probe_addr / probe_error.
 */
int probe_read(const void *p, uint64_t *val);
int probe_write(void *p, uint64_t val);
extern volatile uint64_t probe_addr, probe_error, probe_faults;

/* ipc_send, retried while the receiver's mailbox is full. */
long send_retry(long env, uint64_t w0, uint64_t w1);

int role_mem_bind(int argc, char **argv);
int role_mem_demand(int argc, char **argv);
int role_book(int argc, char **argv);
int role_iso_owner(int argc, char **argv);
int role_iso_peer(int argc, char **argv);
int role_revoke_coop(int argc, char **argv);
int role_revoke_abort(int argc, char **argv);
int role_bystander(int argc, char **argv);
int role_spin(int argc, char **argv);
int role_loop(int argc, char **argv);
int role_loop_bare(int argc, char **argv);
int role_ping(int argc, char **argv);
int role_pong(int argc, char **argv);
int role_fuzz(int argc, char **argv);
int role_www(int argc, char **argv);   /* www.c: a handed-over web root */

#endif /* APPS_EXOTEST_H */
