/*
 * udpecho: the RFC 862 echo service over UDP, as a netapp service: every
 * datagram that arrives on the port goes back to its sender unchanged.
 * Pure socket code (host-tested in tests/apps/test_echo.c).
 */
#ifndef APPS_UDPECHO_H
#define APPS_UDPECHO_H

#include <libos/netapp.h>

#define UDPECHO_BATCH 64        /* datagrams per run, then others get a turn */

struct udpecho {
	struct netapp_service svc;
	int sd;
	uint64_t echoed, bytes, send_errors;
	uint8_t buf[65536];     /* the largest datagram reassembly delivers */
};

/* Bind port and register with the loop: 0 or a TCPIP_E* code. */
int udpecho_start(struct udpecho *u, struct netapp *na, uint16_t port);
void udpecho_stop(struct udpecho *u, struct netapp *na);

#endif /* APPS_UDPECHO_H */
