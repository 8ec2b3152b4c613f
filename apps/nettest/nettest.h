/*
 * nettest: the network datapath's test program (tests/qemu/cases/demux-*).
 * One role per run (role=NAME); init starts one or more instances with
 * the capabilities a case needs. Roles talk to the host peer
 * (tests/net/demux_peer.py) by printing "@peer ..." request lines on the
 * console, which the peer reads from the serial log, and receive the
 * peer's answers as UDP datagrams on the control port.
 */
#ifndef APPS_NETTEST_H
#define APPS_NETTEST_H

#include <stddef.h>
#include <stdint.h>

#include <libos/net.h>

#define CTL_PORT 7000
#define TX_SPORT 7100
#define TX_DPORT 7101

extern int failures;

#define CHECK(cond, ...)                                      \
	do {                                                  \
		if (!(cond)) {                                \
			printf("nettest: check failed: " __VA_ARGS__); \
			failures++;                           \
		}                                             \
	} while (0)

/* The machine as the bookkeeping window describes device 0. */
struct netinfo {
	unsigned dev;
	uint32_t ip;            /* network order */
	uint8_t mac[6];
};
extern struct netinfo me;

/* Byte helpers for frames. */
uint16_t rd16(const uint8_t *p);
void wr16(uint8_t *p, uint16_t v);
/* The UDP header of an IPv4/UDP frame, or NULL if it is not one. */
const uint8_t *udp_of(const uint8_t *f, size_t len);
/* Build an IPv4/UDP frame from me to (dmac, dip); its length. */
size_t udp_frame(uint8_t *f, const uint8_t dmac[6], uint32_t dip, uint16_t sport,
		 uint16_t dport, uint16_t ipid, const uint8_t *data, size_t n);

/* Control channel: a ring with a filter for UDP to CTL_PORT. */
int ctl_open(struct net_ring *r);
/*
 * Wait up to `ticks` for a control datagram starting with `word`; copy
 * its payload (NUL-terminated) to buf and the sender's MAC to mac.
 * 1 if one came, 0 on timeout. Other datagrams are dropped.
 */
int ctl_wait(struct net_ring *r, const char *word, long ticks, char *buf,
	     size_t cap, uint8_t mac[6]);

/* Ring counters of device 0, RX ring 0, read until stable. */
struct exo_nic_ring ring_stats(void);
/* received == delivered + unmatched + dropped */
int ring_adds_up(const struct exo_nic_ring *s);

/* Roles. Each returns its number of failures. */
int role_rx(int argc, char **argv);
int role_refuse(int argc, char **argv);
int role_bind(int argc, char **argv);
int role_tx(int argc, char **argv);
int role_replay(int argc, char **argv);
int role_flood(int argc, char **argv);
int role_pps(int argc, char **argv);
int role_member(int argc, char **argv);
int role_shrefuse(int argc, char **argv);

/* role=member's IPC to its parent (apps/init/demux.c keeps the same
 * values): word 1 says what, word 2 carries a number. */
#define SHARE_BOUND 1      /* bound; word 2: the filter's slot */
#define SHARE_ROUND 100    /* + k: round k done; word 2: frames received */

long arg_num(int argc, char **argv, const char *key, long dflt);

#endif /* APPS_NETTEST_H */
