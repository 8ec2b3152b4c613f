/*
 * Helpers shared by the TCP tests: open a connection with the node either
 * way, with the test playing the peer at PEER_IP.
 */
#ifndef TCPIP_TEST_TCP_UTIL_H
#define TCPIP_TEST_TCP_UTIL_H

#include "harness.h"

#define NPORT 80        /* the node's listening port */
#define PPORT 40000     /* the peer's port */
#define PISS 1000000u   /* the peer's initial sequence number */

struct conn {
	struct node *n;
	int lsd, sd;
	uint16_t nport;         /* the node's port */
	uint32_t iss;           /* node's ISS */
	uint32_t snd;           /* peer: next sequence number to send */
	uint32_t rcv;           /* peer: next sequence number expected */
};

static inline struct tcp_pcb *pcb_of(struct conn *c)
{
	return c->n->st->socks[c->sd].pcb;
}

/* Passive open: the peer connects to the node's listening socket. */
static inline void conn_passive(struct conn *c, struct node *n, const struct tcp_opts *o)
{
	struct pkt p;
	memset(c, 0, sizeof *c);
	c->n = n;
	c->nport = NPORT;
	c->lsd = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(0, NPORT);
	assert_int_equal(tcpip_bind(n->st, c->lsd, &a), 0);
	assert_int_equal(tcpip_listen(n->st, c->lsd, 8), 0);
	struct tcp_opts def = { .mss = 1460, .wscale = -1 };
	peer_tcp(n, PPORT, NPORT, PISS, 0, TCP_SYN, 65535, o ? o : &def, NULL, 0);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_SYN | TCP_ACK);
	assert_int_equal(p.ack, PISS + 1);
	c->iss = p.seq;
	c->snd = PISS + 1;
	c->rcv = p.seq + 1;
	assert_int_equal(tcpip_accept(n->st, c->lsd, NULL), TCPIP_EAGAIN);
	peer_tcp(n, PPORT, NPORT, c->snd, c->rcv, TCP_ACK, 65535, NULL, NULL, 0);
	expect_none(n);
	c->sd = tcpip_accept(n->st, c->lsd, NULL);
	assert_true(c->sd >= 0);
}

/* Active open: the node connects to the peer. */
static inline void conn_active(struct conn *c, struct node *n, const struct tcp_opts *o,
			       uint16_t wnd)
{
	struct pkt p;
	memset(c, 0, sizeof *c);
	c->n = n;
	c->lsd = -1;
	c->sd = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(PEER_IP, PPORT);
	assert_int_equal(tcpip_connect(n->st, c->sd, &a), TCPIP_EINPROGRESS);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_SYN);
	c->iss = p.seq;
	c->nport = p.sport;
	struct tcp_opts def = { .mss = 1460, .wscale = -1 };
	peer_tcp(n, PPORT, c->nport, PISS, c->iss + 1, TCP_SYN | TCP_ACK, wnd, o ? o : &def,
		 NULL, 0);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_ACK);
	assert_int_equal(p.ack, PISS + 1);
	c->snd = PISS + 1;
	c->rcv = c->iss + 1;
}

/* The peer sends data / acks. */
static inline void conn_send(struct conn *c, uint32_t seq, const void *data, size_t len,
			     uint8_t flags)
{
	peer_tcp(c->n, PPORT, c->nport, seq, c->rcv, flags, 65535, NULL, data, len);
}

static inline void conn_ack(struct conn *c, uint32_t ack, uint16_t wnd)
{
	peer_tcp(c->n, PPORT, c->nport, c->snd, ack, TCP_ACK, wnd, NULL, NULL, 0);
}

static inline void conn_close_all(struct conn *c)
{
	if (c->sd >= 0)
		tcpip_close(c->n->st, c->sd);
	if (c->lsd >= 0)
		tcpip_close(c->n->st, c->lsd);
	c->sd = c->lsd = -1;
}

#endif
