/*
 * A simulated Ethernet between two netapps, for the host tests of the
 * network apps: virtual clock, deterministic loss / reordering / delay,
 * and the struct netif each side's loop runs on. Side 0 is the server
 * (10.0.0.1), side 1 the client (10.0.0.2).
 *
 * Both loops live in one thread. Test code blocks in the netapp helpers
 * on one side; that side's netif wait() is where the rest of the world
 * moves: it runs a pass of the other side's loop (its services answer),
 * and when nothing is left to do now, jumps the clock to the next frame
 * delivery or timer. A world with nothing in flight and no timer while
 * someone waits for ever is a deadlock: the test fails.
 */
#ifndef TESTS_APPS_SIMNET_H
#define TESTS_APPS_SIMNET_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libos/netapp.h>

#define SIM_SERVER_IP TCPIP_IP4(10, 0, 0, 1)
#define SIM_CLIENT_IP TCPIP_IP4(10, 0, 0, 2)

struct simframe {
	struct simframe *next;
	uint64_t due;
	size_t len;
	uint8_t data[];
};

struct simnet;

struct simside;

/*
 * Optional demultiplexing hooks (tests/apps/test_filter.c), set before
 * simnet_new: each side's filter requests, and every frame about to be
 * delivered to a side, which the hook may drop.
 */
struct simnet_filters {
	int (*install)(struct simside *s, const struct tcpip_filter *f);
	void (*remove)(struct simside *s, const struct tcpip_filter *f);
	/* false: the frame is dropped, as the kernel drops what no filter takes */
	bool (*deliver)(struct simside *s, const uint8_t *frame, size_t len);
};
extern const struct simnet_filters *simnet_filters;

struct simside {
	struct simnet *net;
	int idx;
	void *user;             /* for the hooks above */
	struct netif nif;
	struct netapp na;
	void *mem;
	struct simframe *q;     /* frames on their way to this side, by due time */
	long held;              /* frames the stack kept and has not released */
	uint64_t rng;
};

struct simnet {
	uint64_t now;
	uint64_t rng;
	unsigned loss, reorder;   /* percent */
	uint64_t delay;           /* ms */
	unsigned long sent, lost, reordered;
	struct simside side[2];
};

/* Two started stacks; the link as given (all zero = perfect, 1 ms). */
struct simnet *simnet_new(uint64_t seed, unsigned loss, unsigned reorder, uint64_t delay);
/* Stop both stacks; fail if a frame, buffer, pcb or socket is left over. */
void simnet_free(struct simnet *sn);
static inline struct netapp *sim_server(struct simnet *sn) { return &sn->side[0].na; }
static inline struct netapp *sim_client(struct simnet *sn) { return &sn->side[1].na; }
/* Run both loops for ms of virtual time. */
void simnet_run(struct simnet *sn, uint64_t ms);

/* Client helpers: a connected TCP socket to the server's port. */
int sim_connect(struct simnet *sn, uint16_t port);
struct tcpip_sockaddr_in sim_addr(uint32_t ip, uint16_t port);

/* Pools and tables of one side at rest: no buffers, pcbs as given. */
void sim_assert_rest(struct netapp *na, unsigned sockets, unsigned pcbs);

/* The byte at offset i of a test stream (seed tells streams apart). */
uint8_t sim_pattern(uint32_t seed, size_t i);

#endif /* TESTS_APPS_SIMNET_H */
