/*
 * libos/tcpip: the libOS TCP/IP stack, public interface for the code that
 * embeds it (the libOS network runtime, host tests). Applications use the
 * sockets API in socket.h.
 *
 * The stack is one object, struct tcpip, placed by the caller in memory of
 * tcpip_state_size() bytes; all its tables and buffer pools live inside, so
 * memory is bounded and there is no allocator. It is single-threaded and
 * event driven: the embedder calls tcpip_input() for each received frame,
 * tcpip_tick() when the clock passes tcpip_next_deadline(), and the socket
 * calls from the same thread. Nothing blocks.
 */
#ifndef TCPIP_H
#define TCPIP_H

#include "arch.h"

struct tcpip;

/* IPv4 addresses in the embedding API are host-order integers. */
#define TCPIP_IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/*
 * Demultiplexing filters the stack asks its environment to install, so that
 * the kernel's DPF steers the matching frames to this stack. Zero in an
 * address or port field is a wildcard.
 */
enum tcpip_filter_kind {
	TCPIP_FILTER_ARP,   /* every ARP frame */
	TCPIP_FILTER_ICMP,  /* ICMP to local_ip */
	TCPIP_FILTER_FRAG,  /* non-first IPv4 fragments to local_ip */
	TCPIP_FILTER_UDP,   /* UDP to local_ip:local_port [from remote] */
	TCPIP_FILTER_TCP,   /* TCP to local_ip:local_port [from remote] */
};

struct tcpip_filter {
	uint8_t kind;           /* enum tcpip_filter_kind */
	uint32_t local_ip;      /* host order, 0 = any */
	uint16_t local_port;
	uint32_t remote_ip;     /* 0 = any (listening or unconnected) */
	uint16_t remote_port;   /* 0 = any */
	/*
	 * Every stack on this machine's address needs these frames too (ARP,
	 * fragments, DHCP replies): the environment may let other stacks hold
	 * the same filter and give each a copy (the kernel's shared filters,
	 * docs/net.md). Ports and ICMP stay one stack's.
	 */
	bool shared;
};

/*
 * What the stack needs from its surroundings. Optional hooks may be NULL.
 * Hooks run in the middle of the stack's work: they must not call back
 * into it (an event loop notes the socket in sock_event and acts later).
 */
struct tcpip_env {
	void *ctx;                                   /* passed to every hook */
	uint64_t (*now_ms)(void *ctx);               /* monotonic milliseconds */
	uint32_t (*random)(void *ctx);               /* ISNs, ports, DHCP xid */
	/* Send one Ethernet frame. The frame is only valid during the call. */
	void (*output)(void *ctx, const void *frame, size_t len);
	/* A frame that tcpip_input() kept (returned true) is no longer used. */
	void (*rx_release)(void *ctx, void *cookie);
	/* Optional: steer matching frames here; nonzero return = refused. */
	int (*filter_install)(void *ctx, const struct tcpip_filter *f);
	void (*filter_remove)(void *ctx, const struct tcpip_filter *f);
	/* Optional: socket sd may have become readable/writable/errored. */
	void (*sock_event)(void *ctx, int sd);
	/* Optional: the IPv4 configuration changed (DHCP bound, lost). */
	void (*ip_changed)(void *ctx);
};

struct tcpip_config {
	uint8_t mac[6];
	bool dhcp;              /* obtain the address with DHCP */
	uint32_t ip;            /* static configuration when !dhcp */
	uint32_t netmask;
	uint32_t gateway;       /* 0 = no default route */
};

struct tcpip_ipconfig {
	uint32_t ip, netmask, gateway, dns, dhcp_server;
	uint32_t lease_s;       /* 0 = static */
	const char *dhcp_state; /* "static", "selecting", "bound", ... */
};

/*
 * Counters. rx_* entries are verdicts: every frame given to tcpip_input(),
 * and every datagram completed by reassembly, ends in exactly one of them,
 * so sum(rx) == ev[EV_RX_FRAMES] + ev[EV_IP_REASS_OK]. ev_* entries count
 * events. The lists generate the enum and the names printed by netstat.
 */
#define TCPIP_RX_VERDICTS(X) \
	X(ETH_SHORT, "eth short frame") \
	X(ETH_NOT_US, "eth not for us") \
	X(ETH_BAD_TYPE, "eth unknown type") \
	X(ARP_OK, "arp processed") \
	X(ARP_IGNORED, "arp not for us") \
	X(ARP_MALFORMED, "arp malformed") \
	X(ARP_BAD_ADDR, "arp bad address") \
	X(IP_SHORT, "ip truncated") \
	X(IP_BAD_VERSION, "ip bad version") \
	X(IP_BAD_HLEN, "ip bad header length") \
	X(IP_BAD_LEN, "ip bad total length") \
	X(IP_BAD_CSUM, "ip bad checksum") \
	X(IP_BAD_OPTIONS, "ip bad options") \
	X(IP_BAD_SRC, "ip bad source") \
	X(IP_NOT_US, "ip not for us") \
	X(IP_BAD_PROTO, "ip unknown protocol") \
	X(IP_FRAG_HELD, "ip fragment queued") \
	X(IP_FRAG_BAD, "ip fragment dropped") \
	X(ICMP_SHORT, "icmp truncated") \
	X(ICMP_BAD_CSUM, "icmp bad checksum") \
	X(ICMP_ECHO, "icmp echo answered") \
	X(ICMP_OTHER, "icmp other type") \
	X(ICMP_UNREACH, "icmp unreachable received") \
	X(UDP_SHORT, "udp truncated") \
	X(UDP_BAD_LEN, "udp bad length") \
	X(UDP_BAD_CSUM, "udp bad checksum") \
	X(UDP_OK, "udp delivered") \
	X(UDP_NO_PORT, "udp no socket") \
	X(UDP_FULL, "udp receive buffer full") \
	X(DHCP_OK, "dhcp processed") \
	X(DHCP_BAD, "dhcp ignored") \
	X(TCP_SHORT, "tcp truncated") \
	X(TCP_BAD_OFF, "tcp bad data offset") \
	X(TCP_BAD_CSUM, "tcp bad checksum") \
	X(TCP_BAD_FLAGS, "tcp bad flags") \
	X(TCP_BAD_OPTS, "tcp bad options") \
	X(TCP_BAD_PORT, "tcp port zero") \
	X(TCP_NO_PCB, "tcp no connection") \
	X(TCP_OK, "tcp processed") \
	X(TCP_NOT_ACCEPTABLE, "tcp out of window") \
	X(TCP_BAD_ACK, "tcp unacceptable ack") \
	X(TCP_BAD_RST, "tcp rst ignored") \
	X(TCP_CHALLENGE, "tcp challenge ack") \
	X(TCP_STATE_DROP, "tcp dropped in state") \
	X(TCP_LISTEN_FULL, "tcp backlog full") \
	X(TCP_NOMEM, "tcp no buffer")

#define TCPIP_EVENTS(X) \
	X(RX_FRAMES, "frames received") \
	X(TX_FRAMES, "frames sent") \
	X(RX_HELD, "frames kept by reference") \
	X(RX_COPIED, "payloads copied") \
	X(NOMEM, "pool exhausted") \
	X(ARP_REQ_SENT, "arp requests sent") \
	X(ARP_REPLY_SENT, "arp replies sent") \
	X(ARP_TIMEOUT, "arp resolutions failed") \
	X(ARP_QUEUE_DROP, "arp pending frames dropped") \
	X(ARP_CONFLICT, "arp address conflicts") \
	X(IP_NO_ROUTE, "ip no route") \
	X(IP_FRAG_SENT, "ip fragments sent") \
	X(IP_REASS_OK, "ip datagrams reassembled") \
	X(IP_REASS_TIMEOUT, "ip reassembly timeouts") \
	X(ICMP_ERR_SENT, "icmp errors sent") \
	X(ICMP_RATELIMITED, "icmp errors rate-limited") \
	X(UDP_SENT, "udp datagrams sent") \
	X(TCP_SEG_SENT, "tcp segments sent") \
	X(TCP_RST_SENT, "tcp resets sent") \
	X(TCP_RTO, "tcp retransmission timeouts") \
	X(TCP_FAST_REXMIT, "tcp fast retransmits") \
	X(TCP_DUPACK, "tcp duplicate acks") \
	X(TCP_OOO, "tcp out-of-order segments queued") \
	X(TCP_PROBE, "tcp window probes") \
	X(TCP_KEEPALIVE, "tcp keepalive probes") \
	X(TCP_ESTAB, "tcp connections established") \
	X(TCP_RESET, "tcp connections reset") \
	X(TCP_TIMEOUT, "tcp connections timed out") \
	X(TCP_TW_RECYCLED, "tcp time_wait recycled") \
	X(DHCP_SENT, "dhcp messages sent") \
	X(DHCP_BOUND, "dhcp leases bound")

#define TCPIP_ENUM_RX(name, text) RX_##name,
#define TCPIP_ENUM_EV(name, text) EV_##name,
enum tcpip_rx_verdict { TCPIP_RX_VERDICTS(TCPIP_ENUM_RX) TCPIP_RX_N };
enum tcpip_event { TCPIP_EVENTS(TCPIP_ENUM_EV) TCPIP_EV_N };

struct tcpip_stats {
	uint64_t rx[TCPIP_RX_N];
	uint64_t ev[TCPIP_EV_N];
};

struct tcpip_pool_usage {
	unsigned pbufs, blocks, held_frames;  /* in use now */
	unsigned sockets, tcp_pcbs, arp_entries, reass_slots;
};

/* Text output for the dumps below: called with pieces of lines. */
typedef void (*tcpip_print_fn)(void *arg, const char *text, size_t len);

/*
 * Fill cfg from text such as a kernel command line ("ip=10.0.2.15/24
 * gw=10.0.2.2 mac=52:54:00:12:34:56", or "ip=dhcp"); unknown words are
 * skipped. Returns 0, or -22 with *bad at the malformed word.
 */
int tcpip_config_parse(struct tcpip_config *cfg, const char *text, const char **bad);

size_t tcpip_state_size(void);
/* NULL if mem is too small or the configuration is invalid. */
struct tcpip *tcpip_init(void *mem, size_t size, const struct tcpip_config *cfg,
			 const struct tcpip_env *env);
/* Install the base filters; announce the address or start DHCP. */
void tcpip_start(struct tcpip *st);
/* Abort every connection, free every buffer, remove every filter. */
void tcpip_stop(struct tcpip *st);

/*
 * One received Ethernet frame. The frame is parsed in place. If cookie is
 * non-NULL the stack may keep referring to the frame (queued TCP data, UDP
 * datagrams, fragments): it then returns true and later calls
 * env->rx_release(cookie) exactly once. Otherwise the caller may reuse the
 * frame as soon as the call returns.
 */
bool tcpip_input(struct tcpip *st, const void *frame, size_t len, void *cookie);
/* Run every timer that is due at env->now_ms(). */
void tcpip_tick(struct tcpip *st);
/* Absolute time of the earliest pending timer, UINT64_MAX if none. */
uint64_t tcpip_next_deadline(struct tcpip *st);

void tcpip_get_ipconfig(struct tcpip *st, struct tcpip_ipconfig *out);
const struct tcpip_stats *tcpip_get_stats(struct tcpip *st);
const char *tcpip_rx_name(unsigned verdict);
const char *tcpip_ev_name(unsigned event);
void tcpip_pool_usage(struct tcpip *st, struct tcpip_pool_usage *out);
bool tcpip_arp_lookup(struct tcpip *st, uint32_t ip, uint8_t mac[6]);

void tcpip_dump_arp(struct tcpip *st, tcpip_print_fn fn, void *arg);
void tcpip_dump_conns(struct tcpip *st, tcpip_print_fn fn, void *arg);
void tcpip_dump_stats(struct tcpip *st, tcpip_print_fn fn, void *arg);

#endif /* TCPIP_H */
