/*
 * tcpecho: the RFC 862 echo service over TCP, as a netapp service. Every
 * connection gets a buffer; bytes read are written back as the send queue
 * takes them, and reading pauses while the buffer is full (so a client
 * that does not read gets flow control, not lost data). At end of stream
 * the rest is sent and the connection closed. Pure socket code
 * (host-tested in tests/apps/test_echo.c).
 */
#ifndef APPS_TCPECHO_H
#define APPS_TCPECHO_H

#include <libos/netapp.h>

#define TCPECHO_CONNS 32
#define TCPECHO_BUF 16384

struct tcpecho_conn {
	int sd;                 /* -1: free slot */
	size_t head, len;       /* pending bytes: buf[head, head + len) */
	bool eof;
	uint8_t buf[TCPECHO_BUF];
};

struct tcpecho {
	struct netapp_service svc;
	int lsd;
	unsigned active;
	uint64_t accepted, bytes, resets;
	struct tcpecho_conn conn[TCPECHO_CONNS];
};

int tcpecho_start(struct tcpecho *t, struct netapp *na, uint16_t port);
/* Close the listener and every connection. */
void tcpecho_stop(struct tcpecho *t, struct netapp *na);

#endif /* APPS_TCPECHO_H */
