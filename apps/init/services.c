/*
 * The network programs init starts on a normal boot (docs/apps.md, "One
 * address, several stacks"): each in an env of its own, with a stack of
 * its own, holding the filters of its own ports and connections:
 *
 *   pingd    ICMP echo (its stack holds the address's ICMP filter), the
 *            statistics service on UDP 7001
 *   udpecho  UDP 7              statistics on UDP 7002
 *   tcpecho  TCP 7              statistics on UDP 7003
 *   httpd    TCP 80, the initrd's www/ pages handed over read-only,
 *            statistics on UDP 7004
 *
 * net=netd starts the single-env alternative instead: netd, all of the
 * above on one stack. Either way each program reports (IPC SERVICE_READY,
 * apps/netstat/service.h) once it serves, and init prints "init: net
 * ready" when all have, or says which did not within NET_READY_TICKS.
 * httpd goes last: handing it the web root gives away the initrd page
 * that also holds the end of the program before it.
 */
#include <string.h>

#include <exo/book.h>
#include <libos/args.h>
#include <libos/libos.h>
#include <libos/upcall.h>

#include "../netstat/service.h"
#include "init.h"

#define NET_READY_TICKS 20000
#define MAX_SERVICES 4

static struct {
	const char *name;
	long id;
} svc[MAX_SERVICES];
static unsigned nsvc;

/* Senders of SERVICE_READY so far. A program can report before spawn()
 * has returned its id to init, so reports are kept, not matched at once. */
#define MAX_REPORTS 16
static volatile long reported[MAX_REPORTS];
static volatile unsigned nreported;

static void on_ipc(uint64_t sender, uint64_t w0, uint64_t w1)
{
	(void)w1;
	if (w0 == SERVICE_READY && nreported < MAX_REPORTS)
		reported[nreported++] = (long)sender;
}

static int has_reported(long id)
{
	for (unsigned i = 0; i < nreported; i++)
		if (reported[i] == id)
			return 1;
	return 0;
}

static int alive(long id)
{
	const struct exo_book_env *e = book_env(id);
	return e && e->state != EXO_ENV_FREE && e->state != EXO_ENV_ZOMBIE;
}

static void started(const char *name, long id)
{
	if (id < 0) {
		printf("init: %s: could not start (error %ld)\n", name, id);
		return;
	}
	printf("init: started %s as env %ld\n", name, id);
	svc[nsvc].name = name;
	svc[nsvc].id = id;
	nsvc++;
}

/* Every started program ready: 1; one died or the time ran out: 0. */
static int wait_ready(void)
{
	long end = sys_ticks() + NET_READY_TICKS;

	for (;;) {
		unsigned ready = 0;
		for (unsigned i = 0; i < nsvc; i++) {
			if (has_reported(svc[i].id)) {
				ready++;
				continue;
			}
			if (!alive(svc[i].id)) {
				printf("init: %s (env %ld) ended before it was ready\n",
				       svc[i].name, svc[i].id);
				return 0;
			}
		}
		if (ready == nsvc)
			return 1;
		if (sys_ticks() >= end) {
			for (unsigned i = 0; i < nsvc; i++)
				if (!has_reported(svc[i].id))
					printf("init: %s not ready after %d ticks\n", svc[i].name,
					       NET_READY_TICKS);
			return 0;
		}
		sys_sleep(5);
	}
}

void start_network(int argc, char **argv)
{
	const char *mode = arg_value(argc, argv, "net");

	libos_handlers.ipc = on_ipc;
	if (sys_bind_signal(EXO_SIG_IPC, (void *)libos_upcall_entry) < 0) {
		printf("init: cannot take IPC upcalls; not starting the network\n");
		return;
	}
	if (mode && strcmp(mode, "netd") == 0) {
		started("netd", spawn_www("netd", 0, 1, NULL));
	} else {
		if (mode && strcmp(mode, "apps") != 0)
			printf("init: net=%s unknown (apps or netd); starting the apps\n", mode);
		started("pingd", spawn("pingd", 0, 1, "stats=7001", NULL));
		started("udpecho", spawn("udpecho", 0, 1, "stats=7002", NULL));
		started("tcpecho", spawn("tcpecho", 0, 1, "stats=7003", NULL));
		started("httpd", spawn_www("httpd", 0, 1, "stats=7004", NULL));
	}
	if (nsvc == 0)
		return;
	if (wait_ready()) {
		printf("init: net ready:");
		for (unsigned i = 0; i < nsvc; i++)
			printf(" %s", svc[i].name);
		printf("\n");
	}
	sys_bind_signal(EXO_SIG_IPC, 0);
}
