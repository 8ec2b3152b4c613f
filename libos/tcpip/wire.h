/*
 * Wire formats: Ethernet II, ARP, IPv4, ICMP, UDP, TCP and DHCP headers.
 *
 * Every field is a byte array, so each struct has alignment 1 and may be
 * overlaid on a frame at any offset (frames are parsed in place; the IP
 * header sits at offset 14, which is not 4-byte aligned). Multi-byte fields
 * are big-endian on the wire and read with get16/get32, written with
 * put16/put32.
 */
#ifndef TCPIP_WIRE_H
#define TCPIP_WIRE_H

#include "arch.h"

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Ethernet II (IEEE 802.3 clause 3.1.1, type field >= 0x0600). */
struct eth_hdr {
	uint8_t dst[6];
	uint8_t src[6];
	uint8_t type[2];
};
_Static_assert(sizeof(struct eth_hdr) == 14, "eth_hdr");
#define ETH_HLEN 14
#define ETH_TYPE_IPV4 0x0800
#define ETH_TYPE_ARP 0x0806

/* ARP for IPv4 over Ethernet (RFC 826). */
struct arp_pkt {
	uint8_t htype[2];  /* 1 = Ethernet */
	uint8_t ptype[2];  /* 0x0800 */
	uint8_t hlen;      /* 6 */
	uint8_t plen;      /* 4 */
	uint8_t op[2];     /* 1 request, 2 reply */
	uint8_t sha[6];
	uint8_t spa[4];
	uint8_t tha[6];
	uint8_t tpa[4];
};
_Static_assert(sizeof(struct arp_pkt) == 28, "arp_pkt");
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

/* IPv4 (RFC 791 3.1). */
struct ip_hdr {
	uint8_t vhl;       /* version << 4 | header length in words */
	uint8_t tos;
	uint8_t len[2];    /* total length */
	uint8_t id[2];
	uint8_t off[2];    /* flags (3 bits) and fragment offset (8-byte units) */
	uint8_t ttl;
	uint8_t proto;
	uint8_t sum[2];
	uint8_t src[4];
	uint8_t dst[4];
};
_Static_assert(sizeof(struct ip_hdr) == 20, "ip_hdr");
#define IP_HLEN 20
#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_OFFMASK 0x1fff
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17
#define IPOPT_EOL 0        /* RFC 791: end of option list */
#define IPOPT_NOP 1
#define IP_MAXPACKET 65535

/* ICMP (RFC 792). Echo uses rest[] as identifier and sequence number. */
struct icmp_hdr {
	uint8_t type;
	uint8_t code;
	uint8_t sum[2];
	uint8_t rest[4];
};
_Static_assert(sizeof(struct icmp_hdr) == 8, "icmp_hdr");
#define ICMP_ECHO_REPLY 0
#define ICMP_UNREACH 3
#define ICMP_UNREACH_PORT 3
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11

/* UDP (RFC 768). */
struct udp_hdr {
	uint8_t sport[2];
	uint8_t dport[2];
	uint8_t len[2];
	uint8_t sum[2];
};
_Static_assert(sizeof(struct udp_hdr) == 8, "udp_hdr");
#define UDP_HLEN 8

/* TCP (RFC 9293 3.1). */
struct tcp_hdr {
	uint8_t sport[2];
	uint8_t dport[2];
	uint8_t seq[4];
	uint8_t ack[4];
	uint8_t off;       /* data offset in words << 4 */
	uint8_t flags;
	uint8_t wnd[2];
	uint8_t sum[2];
	uint8_t urp[2];
};
_Static_assert(sizeof(struct tcp_hdr) == 20, "tcp_hdr");
#define TCP_HLEN 20
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCPOPT_EOL 0       /* RFC 9293 3.2 */
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_WSCALE 3    /* RFC 7323 2.2 */
#define TCP_MAX_WSCALE 14  /* RFC 7323 2.3 */

/* DHCP / BOOTP (RFC 2131 2, RFC 2132). Options follow the magic cookie. */
struct dhcp_msg {
	uint8_t op, htype, hlen, hops;
	uint8_t xid[4];
	uint8_t secs[2];
	uint8_t flags[2];
	uint8_t ciaddr[4];
	uint8_t yiaddr[4];
	uint8_t siaddr[4];
	uint8_t giaddr[4];
	uint8_t chaddr[16];
	uint8_t sname[64];
	uint8_t file[128];
	uint8_t magic[4];
};
_Static_assert(sizeof(struct dhcp_msg) == 240, "dhcp_msg");
#define DHCP_MAGIC 0x63825363u
#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68

#endif /* TCPIP_WIRE_H */
