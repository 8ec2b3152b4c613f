/*
 * Test harness for libos/tcpip: a virtual clock, a deterministic PRNG, a
 * stack "node" whose environment records every transmitted frame, filter
 * call and released frame, packet builders for crafting input, a parser
 * that checks the stack's output (checksums included), and a leak check.
 *
 * Tests include the stack's private header so they can look at control
 * blocks directly when a state is not observable from the wire.
 */
#ifndef TCPIP_TEST_HARNESS_H
#define TCPIP_TEST_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../../libos/tcpip/priv.h"

extern uint64_t h_now;                  /* the virtual clock, ms */

uint32_t prng_next(uint64_t *s);        /* xorshift64*, deterministic */

struct frame {
	struct frame *next;
	size_t len;
	uint64_t due;                   /* link simulation: delivery time */
	uint8_t data[];
};

#define MAX_FILTER_LOG 256

struct node {
	struct tcpip *st;
	uint8_t mac[6];
	uint32_t ip;
	struct frame *txq, *txtail;     /* frames the stack sent */
	unsigned ntx;
	uint64_t rng;
	long cookies_out;               /* frames kept and not yet released */
	int filters_active;
	int filter_refuse;              /* refuse installs of this kind + 1 */
	unsigned nfilter_log;
	struct tcpip_filter filter_log[MAX_FILTER_LOG];
	bool filter_log_install[MAX_FILTER_LOG];
	unsigned sock_events;
	unsigned ip_changes;
};

/* The test peer's addresses (crafted packets come from here). */
extern const uint8_t PEER_MAC[6];
extern const uint8_t NODE_MAC[6];
#define NODE_IP TCPIP_IP4(10, 0, 0, 1)
#define PEER_IP TCPIP_IP4(10, 0, 0, 2)
#define GW_IP TCPIP_IP4(10, 0, 0, 254)
#define MASK TCPIP_IP4(255, 255, 255, 0)

struct node *node_new(const uint8_t mac[6], uint32_t ip, bool dhcp);
/* The default node: NODE_MAC/NODE_IP/24, gateway GW_IP, started, TX drained. */
struct node *node_std(void);
/* Stop the stack and fail the test if anything leaked. */
void node_free(struct node *n);
/* Fail unless pools, held frames and filters are at rest (sockets closed). */
void node_assert_baseline(struct node *n);

/* Feed a frame; with_cookie lets the stack keep it (released via hook). */
bool node_input(struct node *n, const void *frame, size_t len, bool with_cookie);
/* Pop the oldest transmitted frame (caller frees), or NULL. */
struct frame *node_pop(struct node *n);
void node_drain(struct node *n);
/* Advance the clock by ms and run the timers. */
void node_advance(struct node *n, uint64_t ms);
/* Make the node learn PEER_MAC for PEER_IP (an ARP request from the peer). */
void node_learn_peer(struct node *n);

/* CMocka fixtures: *state is node_std(), or node_std() that already knows
 * the peer; node_teardown frees it (failing the test on a leak). */
int node_setup(void **state);
int node_setup_peer(void **state);
int node_teardown(void **state);

/* Counter shorthands. */
static inline uint64_t rxv(struct node *n, unsigned v)
{
	return tcpip_get_stats(n->st)->rx[v];
}

static inline uint64_t evv(struct node *n, unsigned e)
{
	return tcpip_get_stats(n->st)->ev[e];
}

/* Every received frame (and every reassembled datagram) is counted under
 * exactly one rx verdict. */
void node_assert_counters_add_up(struct node *n);

/* Builders; each returns the frame length. */
size_t build_eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type);
size_t build_arp(uint8_t *f, uint16_t op, const uint8_t sha[6], uint32_t spa,
		 const uint8_t tha[6], uint32_t tpa, const uint8_t dst[6]);
/* IPv4 header + payload after an Ethernet header from the peer to the node. */
size_t build_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto, uint16_t id,
		uint16_t off, const uint8_t *payload, size_t len);
size_t build_ip_opts(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto, uint16_t id,
		     uint16_t off, const uint8_t *opts, size_t optlen,
		     const uint8_t *payload, size_t len);
size_t build_udp(uint8_t *f, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
		 const void *data, size_t len);
size_t build_icmp_echo(uint8_t *f, uint32_t src, uint32_t dst, uint16_t id, uint16_t seq,
		       const void *data, size_t len);

/* An ICMP destination unreachable from the peer quoting an output frame. */
size_t build_icmp_unreach(uint8_t *f, uint8_t code, const struct frame *quoted);

struct tcp_opts {
	uint16_t mss;   /* 0 = none */
	int wscale;     /* -1 = none */
};
size_t build_tcp(uint8_t *f, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
		 uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
		 const struct tcp_opts *o, const void *data, size_t len);

/* A parsed output frame; checksums verified by the parser. */
struct pkt {
	uint16_t ethtype;
	uint8_t dst_mac[6], src_mac[6];
	/* ARP */
	uint16_t arp_op;
	uint32_t arp_spa, arp_tpa;
	uint8_t arp_sha[6], arp_tha[6];
	/* IPv4 */
	uint32_t src, dst;
	uint8_t proto, ttl;
	uint16_t ipid, ipoff;
	/* ICMP */
	uint8_t icmp_type, icmp_code;
	/* UDP / TCP */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	uint16_t mss;
	int wscale;
	const uint8_t *data;
	size_t len;
};
void parse_frame(const struct frame *fr, struct pkt *p);
/* Pop the next frame and parse it; fails the test if there is none. */
struct frame *expect_frame(struct node *n, struct pkt *p);
/* Same, and it must be TCP. */
void expect_tcp(struct node *n, struct pkt *p);
void expect_none(struct node *n);

/* Inject a TCP segment from PEER to NODE. */
void peer_tcp(struct node *n, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
	      uint8_t flags, uint16_t wnd, const struct tcp_opts *o, const void *data,
	      size_t len);

/* Socket helpers. */
struct tcpip_sockaddr_in sin_of(uint32_t ip, uint16_t port);

/* Repair the IPv4 and transport checksums of a frame, if it parses. */
void fix_checksums(uint8_t *f, size_t len);

/* Read the pcap file and call fn for each packet record; -1 if unreadable. */
int pcap_foreach(const char *path, void (*fn)(void *arg, const uint8_t *p, size_t len),
		 void *arg);

#endif
