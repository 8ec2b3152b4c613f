/*
 * netstat: the network statistics of one stack as text — address, ARP
 * cache, connections, pool usage, drop and event counters — and a netapp
 * service that prints it on demand: a datagram to its UDP port gets the
 * text back (in datagrams of whole lines, the last line "end") and, if a
 * console is given, printed there too. From the host:
 *   echo | socat -t2 - udp:10.77.0.2:7001
 * Pure socket code (host-tested in tests/apps/test_netstat.c).
 */
#ifndef APPS_NETSTAT_H
#define APPS_NETSTAT_H

#include <libos/netapp.h>

#define NETSTAT_DGRAM 1200      /* reply datagrams stay below one frame */

/*
 * The whole report through fn: "ip:", "arp:", "conn:", "pool:", "event:"
 * and "rx:" lines (tcpip.h's dumps), then "netapp:" and "end".
 */
void netstat_write(struct netapp *na, tcpip_print_fn fn, void *arg);

struct netstat {
	struct netapp_service svc;
	int sd;
	tcpip_print_fn console;         /* optional */
	void *console_arg;
	uint64_t queries;
	/* The reply being assembled. */
	struct tcpip_sockaddr_in to;
	size_t len;
	char line[256];
	size_t linelen;
	char dgram[NETSTAT_DGRAM];
};

int netstat_start(struct netstat *ns, struct netapp *na, uint16_t port,
		  tcpip_print_fn console, void *console_arg);
void netstat_stop(struct netstat *ns, struct netapp *na);

#endif /* APPS_NETSTAT_H */
