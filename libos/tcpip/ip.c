/*
 * IPv4 (RFC 791, host requirements of RFC 1122 3.2.1).
 *
 * Input checks everything before anything is used: version, header length,
 * total length against the bytes actually present (link padding beyond the
 * total length is ignored), header checksum, the option list's structure
 * (each option is skipped by its length; none is acted on), and the
 * addresses. Fragments go to ipfrag.c; whole datagrams to the transport.
 *
 * Output routes on a static configuration (address, netmask, gateway; or the
 * one DHCP obtained): on-link destinations are resolved directly, others
 * through the gateway. Datagrams larger than the MTU are fragmented unless
 * the caller set DF (TCP does; its segments always fit the MSS).
 */
#include "priv.h"

bool ip_is_bcast(struct tcpip *st, uint32_t a)
{
	if (a == 0xffffffffu)
		return true;
	return st->ip && st->netmask && st->netmask != 0xffffffffu &&
	       a == (st->ip | ~st->netmask);
}

bool ip_is_local(struct tcpip *st, uint32_t a)
{
	return st->ip && a == st->ip;
}

/* RFC 791 3.1: option lists are EOL, NOP or type-length-value. */
static bool ip_options_ok(const uint8_t *opt, uint32_t n)
{
	uint32_t i = 0;

	while (i < n) {
		if (opt[i] == IPOPT_EOL)
			return true;
		if (opt[i] == IPOPT_NOP) {
			i++;
			continue;
		}
		if (n - i < 2 || opt[i + 1] < 2 || opt[i + 1] > n - i)
			return false;
		i += opt[i + 1];
	}
	return true;
}

static bool bad_source(struct tcpip *st, uint32_t src)
{
	return src == 0 || ip_is_bcast(st, src) || (src >> 28) >= 0xe ||
	       (src >> 24) == 127 || ip_is_local(st, src);
}

int ip_input(struct tcpip *st, uint8_t *p, size_t len)
{
	if (len < IP_HLEN)
		return RX_IP_SHORT;
	const struct ip_hdr *ih = (const struct ip_hdr *)p;
	if (ih->vhl >> 4 != 4)
		return RX_IP_BAD_VERSION;
	uint32_t hlen = (ih->vhl & 0xfu) * 4u;
	if (hlen < IP_HLEN)
		return RX_IP_BAD_HLEN;
	if (hlen > len)
		return RX_IP_SHORT;
	uint32_t tot = get16(ih->len);
	if (tot < hlen)
		return RX_IP_BAD_LEN;
	if (tot > len)
		return RX_IP_SHORT;
	if (cksum_fold(cksum_add(0, p, hlen)) != 0)
		return RX_IP_BAD_CSUM;
	if (!ip_options_ok(p + IP_HLEN, hlen - IP_HLEN))
		return RX_IP_BAD_OPTIONS;

	uint32_t src = get32(ih->src), dst = get32(ih->dst);
	if (bad_source(st, src))
		return RX_IP_BAD_SRC;
	bool bcast = ip_is_bcast(st, dst);
	/* Unconfigured (DHCP in progress): a server may unicast the offer. */
	if (!bcast && !ip_is_local(st, dst) && !(st->ip == 0 && (dst >> 28) < 0xe))
		return RX_IP_NOT_US;

	uint16_t off = get16(ih->off);
	if (off & (IP_MF | IP_OFFMASK))
		return ip_reass_input(st, p, hlen, p + hlen, tot - hlen);

	struct ip_pkt pkt = {
		.src = src, .dst = dst, .proto = ih->proto, .bcast = bcast,
		.hdr = p, .hlen = hlen, .data = p + hlen, .len = tot - hlen,
	};
	return ip_deliver(st, &pkt);
}

int ip_deliver(struct tcpip *st, struct ip_pkt *pkt)
{
	switch (pkt->proto) {
	case IP_PROTO_ICMP:
		return icmp_input(st, pkt);
	case IP_PROTO_UDP:
		return udp_input(st, pkt);
	case IP_PROTO_TCP:
		return tcp_input(st, pkt);
	default:
		icmp_error(st, pkt, ICMP_UNREACH, 2); /* RFC 1122 3.2.2.1: protocol unreachable */
		return RX_IP_BAD_PROTO;
	}
}

static void ip_header(struct tcpip *st, uint8_t *h, uint32_t src, uint32_t dst,
		      uint8_t proto, uint32_t len, uint16_t id, uint16_t off)
{
	struct ip_hdr *ih = (struct ip_hdr *)h;

	ih->vhl = 0x45;
	ih->tos = 0;
	put16(ih->len, (uint16_t)(IP_HLEN + len));
	put16(ih->id, id);
	put16(ih->off, off);
	ih->ttl = TCPIP_DEFAULT_TTL;
	ih->proto = proto;
	put16(ih->sum, 0);
	put32(ih->src, src);
	put32(ih->dst, dst);
	put16(ih->sum, cksum_fold(cksum_add(0, h, IP_HLEN)));
	(void)st;
}

/*
 * Send len bytes of transport data at payload (which may already sit at
 * st->tx + TX_L4, the common, copy-free case). Returns 0 or TCPIP_E*.
 */
int ip_output(struct tcpip *st, uint32_t src, uint32_t dst, uint8_t proto,
	      uint8_t *payload, uint32_t len, unsigned flags)
{
	uint32_t nexthop;

	if ((flags & IPO_BCAST) || ip_is_bcast(st, dst)) {
		nexthop = 0xffffffffu;
	} else if (!st->ip || dst == st->ip || (dst >> 24) == 127 || dst == 0) {
		EV(st, IP_NO_ROUTE);
		return TCPIP_ENETUNREACH;
	} else if (((dst ^ st->ip) & st->netmask) == 0) {
		nexthop = dst;
	} else if (st->gateway) {
		nexthop = st->gateway;
	} else {
		EV(st, IP_NO_ROUTE);
		return TCPIP_ENETUNREACH;
	}
	uint16_t id = st->ip_id++;
	uint8_t *l4 = st->tx + TX_L4;
	if (len <= TCPIP_MTU - IP_HLEN) {
		if (payload != l4)
			tcpip_memmove(l4, payload, len);
		ip_header(st, st->tx + ETH_HLEN, src, dst, proto, len, id,
			  (flags & IPO_DF) ? IP_DF : 0);
		arp_output(st, nexthop, st->tx, TX_L4 + len);
		return 0;
	}
	if ((flags & IPO_DF) || len > IP_MAXPACKET - IP_HLEN)
		return TCPIP_EMSGSIZE;
	/* RFC 791 3.2 fragmentation: every piece but the last a multiple of 8. */
	const uint32_t max = (TCPIP_MTU - IP_HLEN) & ~7u;
	for (uint32_t off = 0; off < len; off += max) {
		uint32_t n = TCPIP_MIN(max, len - off);
		uint16_t fo = (uint16_t)(off / 8) | (off + n < len ? IP_MF : 0);
		tcpip_memcpy(l4, payload + off, n);
		ip_header(st, st->tx + ETH_HLEN, src, dst, proto, n, id, fo);
		EV(st, IP_FRAG_SENT);
		arp_output(st, nexthop, st->tx, TX_L4 + n);
	}
	return 0;
}
