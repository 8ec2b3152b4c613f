/*
 * Compile-time limits of the stack. Memory is bounded: every table and pool
 * below lives inside struct tcpip, whose size tcpip_state_size() reports, so
 * a libOS allocates the whole stack once and it never grows.
 */
#ifndef TCPIP_OPTS_H
#define TCPIP_OPTS_H

/* Pools (pbuf.c). A block holds one full Ethernet frame or 2 KiB of data. */
#define TCPIP_NPBUF 768          /* buffer descriptors */
#define TCPIP_NBLOCK 384         /* 2 KiB data blocks (768 KiB) */
#define TCPIP_BLOCK_SIZE 2048
#define TCPIP_MAX_HELD_FRAMES 128 /* receive frames kept by reference */
#define TCPIP_COPYBREAK 256      /* payloads shorter than this are copied */

/* Tables. */
#define TCPIP_NSOCK 64           /* sockets */
#define TCPIP_NTCP 96            /* TCP control blocks (incl. TIME_WAIT) */
#define TCPIP_ARP_ENTRIES 32
#define TCPIP_ARP_PENDING 4      /* frames queued per unresolved entry */
#define TCPIP_REASS_SLOTS 4      /* datagrams being reassembled at once */
#define TCPIP_REASS_BLOCKS 48    /* data blocks all reassemblies may hold */

/* Ethernet / IPv4. */
#define TCPIP_MTU 1500
#define TCPIP_DEFAULT_TTL 64
#define TCPIP_ARP_TTL_MS 120000u     /* a resolved entry lives this long */
#define TCPIP_ARP_RETRY_MS 1000u     /* request retransmission interval */
#define TCPIP_ARP_TRIES 3            /* requests before giving up */
#define TCPIP_REASS_TIMEOUT_MS 30000u
#define TCPIP_ICMP_RATE 20           /* ICMP errors per second (token bucket) */

/* TCP (RFC 9293, RFC 6298, RFC 5681). */
#define TCP_DEFAULT_BUF 65536u       /* default SO_RCVBUF / SO_SNDBUF */
#define TCP_MAX_BUF (512u * 1024u)   /* setsockopt clamps to this */
#define TCP_MIN_BUF 2048u
#define TCP_DEFAULT_MSS 536u         /* RFC 9293 3.7.1: when no MSS option */
#define TCP_RTO_INITIAL_MS 1000u     /* RFC 6298 (2.1) */
#define TCP_RTO_MIN_MS 200u          /* RFC 6298 (2.4) says 1 s; see docs */
#define TCP_RTO_MAX_MS 60000u        /* RFC 6298 (2.5) */
#define TCP_SYN_RETRIES 6
#define TCP_MAX_RETRIES 12
#define TCP_DELACK_MS 100u           /* RFC 9293 3.8.6.3: less than 0.5 s */
#define TCP_MSL_MS 30000u            /* TIME_WAIT lasts 2 * MSL */
#define TCP_FIN_WAIT2_MS 60000u      /* orphaned FIN_WAIT_2 give-up time */
#define TCP_PERSIST_MIN_MS 500u
#define TCP_PERSIST_MAX_MS 60000u
#define TCP_KEEPIDLE_MS 7200000u     /* RFC 1122 4.2.3.6: two hours */
#define TCP_KEEPINTVL_MS 75000u
#define TCP_KEEPCNT 9
#define TCP_CHALLENGE_ACKS 100       /* RFC 5961 section 7: per second */
#define TCP_EPHEMERAL_LO 49152u      /* RFC 6335 dynamic port range */

/* DHCP (RFC 2131 4.1: 4 s first retransmission, doubling to 64 s). */
#define DHCP_RETRY_MIN_MS 4000u
#define DHCP_RETRY_MAX_MS 64000u

#endif /* TCPIP_OPTS_H */
