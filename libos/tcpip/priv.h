/*
 * Internals of the stack: the state object, buffers, control blocks and the
 * functions the layers call on each other. Not for users of the stack.
 */
#ifndef TCPIP_PRIV_H
#define TCPIP_PRIV_H

#include "opts.h"
#include "socket.h"
#include "tcpip.h"
#include "wire.h"

/* ---- Buffers (pbuf.c) ---------------------------------------------------- */

/*
 * A pbuf describes len bytes at data. PB_BLOCK owns a pool block; PB_EXT
 * refers to a received frame that belongs to the embedder (cookie), which
 * gets it back through env->rx_release() when the pbuf is freed.
 */
enum { PB_FREE, PB_BLOCK, PB_EXT };

struct pbuf {
	struct pbuf *next;
	uint8_t *data;
	uint32_t len;
	uint8_t kind;
	uint8_t mark;       /* TCP ooo queue: carried FIN; UDP: continues a datagram */
	uint16_t port;      /* UDP: source port */
	uint32_t seq;       /* TCP: sequence number of data[0] */
	uint32_t addr;      /* UDP: source address */
	uint8_t *block;     /* PB_BLOCK: start of the block */
	void *cookie;       /* PB_EXT: the embedder's frame */
};

struct pbq {
	struct pbuf *head, *tail;
	uint32_t bytes;
	uint32_t count;
};

/* ---- Protocol state ------------------------------------------------------ */

/* An IPv4 datagram on its way up, parsed in place. */
struct ip_pkt {
	uint32_t src, dst;
	uint8_t proto;
	bool bcast;             /* to a broadcast address: never answer */
	bool frag;              /* reassembled from fragments */
	const uint8_t *hdr;     /* IP header, for quoting in ICMP errors */
	uint32_t hlen;
	const uint8_t *data;    /* transport header */
	uint32_t len;
};

enum { ARP_FREE, ARP_PENDING, ARP_VALID };

struct arp_entry {
	uint8_t state;
	uint8_t tries;
	uint8_t mac[6];
	uint32_t ip;
	uint64_t when;          /* VALID: expiry; PENDING: next request */
	struct pbq pending;     /* frames waiting for the address */
};

#define REASS_UNITS (IP_MAXPACKET / 8 + 1)
#define REASS_CHUNKS ((IP_MAXPACKET + TCPIP_BLOCK_SIZE - 1) / TCPIP_BLOCK_SIZE)

struct reass {
	bool used;
	uint8_t proto;
	uint16_t id;
	uint32_t src, dst;
	uint32_t total;         /* payload length, 0 until the last fragment */
	uint32_t have;          /* 8-byte units received */
	uint64_t deadline;
	uint8_t hdr[60];        /* header of the first fragment */
	uint8_t hlen;
	uint8_t map[(REASS_UNITS + 7) / 8];
	struct pbuf *chunk[REASS_CHUNKS];
};

enum tcp_state {
	TCP_CLOSED, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RCVD, TCP_ESTABLISHED,
	TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING,
	TCP_LAST_ACK, TCP_TIME_WAIT,
};

/* tcp_pcb.flags */
#define TF_ACK_NOW 0x0001       /* send an ACK at the next output */
#define TF_DELACK 0x0002        /* an ACK is being delayed */
#define TF_FIN_QUEUED 0x0004    /* the user closed: FIN after the data */
#define TF_NODELAY 0x0008       /* no Nagle */
#define TF_KEEPALIVE 0x0010
#define TF_WSCALE 0x0020        /* both sides sent window scale */
#define TF_RECOVERY 0x0040      /* in NewReno fast recovery */
#define TF_RTT 0x0080           /* timing a segment (rtt_seq) */
#define TF_RCVD_FIN 0x0100      /* the peer's FIN is in rcv_nxt */
#define TF_ORPHAN 0x0200        /* the socket is closed */
#define TF_FILTER 0x0400        /* a 4-tuple filter is installed */
#define TF_SHUT_RD 0x0800

struct tcp_pcb {
	uint8_t state;
	uint8_t rcv_scale, snd_scale;
	uint8_t dupacks;
	uint8_t nrexmit;        /* consecutive timeouts (backoff shift) */
	uint8_t probes;         /* keepalive / persist probes without reply */
	uint16_t flags;
	int16_t sd;             /* owning socket, -1 if none */
	uint16_t mss;           /* send MSS */
	uint16_t lport, rport;
	uint32_t lip, rip;

	/* listener: children not yet accepted; child: its listener */
	struct tcp_pcb *parent;
	struct tcp_pcb *acc_next;
	struct tcp_pcb *acc_head, *acc_tail;
	uint16_t backlog, nchild;

	/* Send sequence space (RFC 9293 3.3.1). */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2;
	uint32_t max_snd_wnd;
	uint32_t sndq_seq;      /* sequence number of sndq's first byte */
	uint32_t cwnd, ssthresh, recover;
	struct pbq sndq;        /* unacknowledged and unsent data */
	uint32_t sndbuf;

	/* Receive sequence space. */
	uint32_t irs, rcv_nxt, rcv_adv;
	struct pbq rcvq;        /* in order, not yet read */
	struct pbq oooq;        /* out of order, sorted by seq */
	uint32_t rcvbuf;
	uint16_t segs_unacked;

	/* RTT estimation (RFC 6298), in ms: srtt8 = 8 SRTT, rttvar4 = 4 RTTVAR. */
	int32_t srtt8, rttvar4;
	uint32_t rto;
	uint32_t rtt_seq;
	uint64_t rtt_start;

	/* Timers: absolute ms, 0 = not running. */
	uint64_t t_rexmit, t_persist, t_delack, t_wait, t_keep;
	uint32_t persist_ms;
	uint64_t last_rx;
	uint32_t keepidle, keepintvl;
	uint8_t keepcnt;

	int err;                /* pending socket error (TCPIP_E*) */
};

/* sock.flags */
#define SF_REUSEADDR 0x01
#define SF_BROADCAST 0x02
#define SF_BOUND 0x04
#define SF_CONNECTED 0x08
#define SF_LISTEN 0x10
#define SF_SHUT_RD 0x20
#define SF_SHUT_WR 0x40
#define SF_FILTER 0x80

struct sock {
	uint8_t type;           /* 0 = free, TCPIP_SOCK_STREAM, TCPIP_SOCK_DGRAM */
	uint8_t flags;
	uint8_t tflags;         /* TF_NODELAY / TF_KEEPALIVE before a pcb exists */
	uint16_t lport, rport;
	uint32_t lip, rip;
	struct tcp_pcb *pcb;
	struct pbq rxq;         /* UDP datagrams */
	uint32_t rcvbuf, sndbuf;
	uint32_t keepidle, keepintvl;
	uint8_t keepcnt;
	int err;
	struct tcpip_filter filter;
};

enum dhcp_state {
	DHCP_OFF, DHCP_SELECTING, DHCP_REQUESTING, DHCP_BOUND, DHCP_RENEWING,
	DHCP_REBINDING,
};

struct dhcp {
	uint8_t state;
	uint32_t xid;
	uint32_t offered, server;
	uint32_t lease_s, t1_s, t2_s;
	uint64_t bound_at;
	uint64_t next;          /* retransmission or state change */
	uint32_t retry_ms;
	bool filter;
};

/* ---- The stack ----------------------------------------------------------- */

struct tcpip {
	struct tcpip_env env;
	uint8_t mac[6];
	bool use_dhcp;
	uint32_t ip, netmask, gateway, dns;
	uint64_t now;           /* env->now_ms() at the current entry point */
	struct tcpip_stats stats;

	/* Pools. */
	struct pbuf pbufs[TCPIP_NPBUF];
	struct pbuf *pb_freelist;
	unsigned pb_used, blk_used, held;
	uint16_t blk_free[TCPIP_NBLOCK];
	unsigned blk_top;
	void *rx_cookie;        /* the frame being input, if it may be kept */
	bool rx_taken;

	struct arp_entry arp[TCPIP_ARP_ENTRIES];
	struct reass reass[TCPIP_REASS_SLOTS];
	unsigned reass_blocks;
	uint16_t ip_id;
	uint32_t icmp_tokens;
	uint64_t icmp_refill;
	uint32_t challenge_count;
	uint64_t challenge_sec;
	uint32_t eph_next;

	struct sock socks[TCPIP_NSOCK];
	struct tcp_pcb tcp[TCPIP_NTCP];
	struct dhcp dhcp;
	uint8_t base_filters;   /* bit per TCPIP_FILTER_{ARP,ICMP,FRAG} */

	uint8_t tx[ETH_HLEN + TCPIP_MTU];      /* frame being built */
	uint8_t bigtx[IP_MAXPACKET];           /* datagram to fragment */
	uint8_t reass_buf[IP_MAXPACKET];       /* reassembled datagram */
	uint8_t blocks[TCPIP_NBLOCK][TCPIP_BLOCK_SIZE];
};

#define EV(st, name) ((st)->stats.ev[EV_##name]++)

/* Sequence-number comparisons modulo 2^32 (RFC 9293 3.4). */
#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define SEQ_GEQ(a, b) SEQ_LEQ(b, a)

/* Where in st->tx the transport header of an outgoing frame starts. */
#define TX_L4 (ETH_HLEN + IP_HLEN)

/* pbuf.c */
void pb_init(struct tcpip *st);
struct pbuf *pb_alloc(struct tcpip *st);
bool pb_can_ref(const struct tcpip *st, uint32_t len);
struct pbuf *pb_keep(struct tcpip *st, const uint8_t *data, uint32_t len);
void pb_free(struct tcpip *st, struct pbuf *p);
void pbq_push(struct pbq *q, struct pbuf *p);
struct pbuf *pbq_pop(struct pbq *q);
void pbq_free(struct tcpip *st, struct pbq *q);
uint32_t pbq_append(struct tcpip *st, struct pbq *q, const uint8_t *src, uint32_t len);
void pbq_drop(struct tcpip *st, struct pbq *q, uint32_t len);
void pbq_copy(const struct pbq *q, uint32_t off, uint8_t *dst, uint32_t len);

/* cksum.c */
uint32_t cksum_add(uint32_t sum, const uint8_t *p, size_t n);
uint16_t cksum_fold(uint32_t sum);
uint32_t cksum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint32_t len);

/* eth.c */
extern const uint8_t eth_bcast[6];
int eth_input(struct tcpip *st, uint8_t *frame, size_t len);
void eth_output(struct tcpip *st, const uint8_t dst[6], uint16_t type,
		uint8_t *frame, size_t len);

/* arp.c */
int arp_input(struct tcpip *st, const uint8_t *p, size_t len);
void arp_output(struct tcpip *st, uint32_t nexthop, uint8_t *frame, size_t len);
void arp_announce(struct tcpip *st);
void arp_tick(struct tcpip *st);
uint64_t arp_deadline(struct tcpip *st);
void arp_flush(struct tcpip *st);

/* ip.c */
#define IPO_DF 0x1
#define IPO_BCAST 0x2   /* link-layer broadcast (DHCP before an address) */
int ip_input(struct tcpip *st, uint8_t *p, size_t len);
int ip_deliver(struct tcpip *st, struct ip_pkt *pkt);
int ip_output(struct tcpip *st, uint32_t src, uint32_t dst, uint8_t proto,
	      uint8_t *payload, uint32_t len, unsigned flags);
bool ip_is_bcast(struct tcpip *st, uint32_t addr);
bool ip_is_local(struct tcpip *st, uint32_t addr);

/* ipfrag.c */
int ip_reass_input(struct tcpip *st, const uint8_t *hdr, uint32_t hlen,
		   const uint8_t *data, uint32_t len);
void ip_reass_tick(struct tcpip *st);
uint64_t ip_reass_deadline(struct tcpip *st);
void ip_reass_flush(struct tcpip *st);

/* icmp.c */
int icmp_input(struct tcpip *st, struct ip_pkt *pkt);
void icmp_error(struct tcpip *st, const struct ip_pkt *pkt, uint8_t type, uint8_t code);

/* udp.c */
int udp_input(struct tcpip *st, struct ip_pkt *pkt);
int udp_output(struct tcpip *st, uint32_t src, uint16_t sport, uint32_t dst,
	       uint16_t dport, const uint8_t *data, uint32_t len, unsigned ipflags);
void udp_unreachable(struct tcpip *st, uint16_t lport, uint32_t rip, uint16_t rport);
void udp_fill(uint8_t *seg, uint32_t src, uint16_t sport, uint32_t dst,
	      uint16_t dport, uint32_t len);

/* dhcp.c */
void dhcp_start(struct tcpip *st);
void dhcp_stop(struct tcpip *st);
int dhcp_input(struct tcpip *st, const struct ip_pkt *pkt, const uint8_t *msg,
	       uint32_t len);
void dhcp_tick(struct tcpip *st);
uint64_t dhcp_deadline(struct tcpip *st);
const char *dhcp_state_name(struct tcpip *st);

/* tcp.c */
struct tcp_pcb *tcp_alloc(struct tcpip *st);
void tcp_free(struct tcpip *st, struct tcp_pcb *pcb);
void tcp_abort(struct tcpip *st, struct tcp_pcb *pcb, int err);
void tcp_set_state(struct tcpip *st, struct tcp_pcb *pcb, uint8_t state);
struct tcp_pcb *tcp_lookup(struct tcpip *st, uint32_t lip, uint16_t lport,
			   uint32_t rip, uint16_t rport);
int tcp_connect(struct tcpip *st, struct tcp_pcb *pcb);
void tcp_close(struct tcpip *st, struct tcp_pcb *pcb);
void tcp_shutdown_wr(struct tcpip *st, struct tcp_pcb *pcb);
uint32_t tcp_rcv_window(const struct tcp_pcb *pcb);
void tcp_recved(struct tcpip *st, struct tcp_pcb *pcb);
void tcp_notify(struct tcpip *st, struct tcp_pcb *pcb);
bool tcp_port_used(struct tcpip *st, uint32_t lip, uint16_t port);
const char *tcp_state_name(uint8_t state);
void tcp_filter(struct tcpip *st, struct tcp_pcb *pcb, bool install);
void tcp_unreachable(struct tcpip *st, uint32_t lip, uint16_t lport, uint32_t rip,
		     uint16_t rport, uint32_t seq);
uint8_t tcp_wscale_for(uint32_t buf);

/* An arriving segment, parsed (tcp_in.c). */
struct seg {
	uint32_t seq, ack, wnd;
	uint32_t len;           /* payload bytes */
	const uint8_t *data;
	uint8_t flags;
	uint16_t mss;           /* 0 = option absent */
	int wscale;             /* -1 = option absent */
};

/* tcp_in.c */
int tcp_input(struct tcpip *st, struct ip_pkt *pkt);
int tcp_challenge_ack(struct tcpip *st, struct tcp_pcb *pcb);

/* tcp_ack.c: a verdict, or TCP_CONTINUE to go on with the segment */
#define TCP_CONTINUE (-1)
int tcp_ack(struct tcpip *st, struct tcp_pcb *pcb, const struct seg *sg);

/* tcp_rcv.c */
int tcp_data(struct tcpip *st, struct tcp_pcb *pcb, uint32_t seq, const uint8_t *data,
	     uint32_t len, bool fin);

/* tcp_out.c */
void tcp_output(struct tcpip *st, struct tcp_pcb *pcb);
void tcp_output_force(struct tcpip *st, struct tcp_pcb *pcb);
void tcp_send_ack(struct tcpip *st, struct tcp_pcb *pcb);
void tcp_send_rst(struct tcpip *st, uint32_t lip, uint16_t lport, uint32_t rip,
		  uint16_t rport, uint32_t seq, uint32_t ack, uint8_t flags);
void tcp_rexmit_one(struct tcpip *st, struct tcp_pcb *pcb);
void tcp_send_probe(struct tcpip *st, struct tcp_pcb *pcb, bool keepalive);

/* tcp_timer.c */
void tcp_tick(struct tcpip *st);
uint64_t tcp_deadline(struct tcpip *st);
void tcp_rtt_sample(struct tcp_pcb *pcb, uint32_t ms);

/* stack.c */
void tcpip_base_filters(struct tcpip *st, bool install);
int filter_hook(struct tcpip *st, const struct tcpip_filter *f, bool install);

/* socket.c */
void sock_event(struct tcpip *st, int sd);
struct sock *sock_get(struct tcpip *st, int sd);
int sock_check_addr(const struct tcpip_sockaddr_in *a);
int sock_bind(struct tcpip *st, struct sock *s, uint32_t lip, uint16_t port);

/* sockio.c */
struct pbq *sock_tcp_rxq(struct sock *s);
void sock_release_all(struct tcpip *st);

/* stats.c */
struct outbuf {
	tcpip_print_fn fn;
	void *arg;
	char buf[160];
	size_t n;
};
void out_str(struct outbuf *o, const char *s);
void out_u64(struct outbuf *o, uint64_t v, unsigned width);
void out_ip(struct outbuf *o, uint32_t ip);
void out_mac(struct outbuf *o, const uint8_t mac[6]);
void out_flush(struct outbuf *o);

#endif /* TCPIP_PRIV_H */
