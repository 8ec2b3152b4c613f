/*
 * UDP (RFC 768, RFC 1122 4.1).
 *
 * A datagram is checked (length field against the IP payload, checksum
 * unless zero) and queued on the matching socket, preferring a connected
 * socket's exact match over a bound wildcard. The queue holds the datagram
 * by reference to the received frame when it can (pb_keep); a datagram
 * larger than a block (only after reassembly) is copied into a chain whose
 * follow-on pbufs carry mark = 1. Datagrams to no socket get an ICMP port
 * unreachable; a full receive buffer drops the datagram.
 */
#include "priv.h"

static struct sock *udp_sock_lookup(struct tcpip *st, uint32_t dst, uint16_t dport,
			     uint32_t src, uint16_t sport)
{
	struct sock *wild = NULL;

	for (unsigned i = 0; i < TCPIP_NSOCK; i++) {
		struct sock *s = &st->socks[i];
		if (s->type != TCPIP_SOCK_DGRAM || !(s->flags & SF_BOUND) || s->lport != dport)
			continue;
		if (s->lip && s->lip != dst && !ip_is_bcast(st, dst))
			continue;
		if (s->flags & SF_CONNECTED) {
			if (s->rip == src && s->rport == sport)
				return s;
			continue;
		}
		if (!wild)
			wild = s;
	}
	return wild;
}

void udp_fill(uint8_t *seg, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
	      uint32_t len)
{
	struct udp_hdr *uh = (struct udp_hdr *)seg;

	put16(uh->sport, sport);
	put16(uh->dport, dport);
	put16(uh->len, (uint16_t)len);
	put16(uh->sum, 0);
	uint16_t sum = cksum_fold(cksum_add(cksum_pseudo(src, dst, IP_PROTO_UDP, len), seg, len));
	put16(uh->sum, sum ? sum : 0xffff); /* RFC 768: 0 means "no checksum" */
}

int udp_output(struct tcpip *st, uint32_t src, uint16_t sport, uint32_t dst,
	       uint16_t dport, const uint8_t *data, uint32_t len, unsigned ipflags)
{
	uint32_t tot = UDP_HLEN + len;

	if (tot > IP_MAXPACKET - IP_HLEN)
		return TCPIP_EMSGSIZE;
	uint8_t *seg = tot <= TCPIP_MTU - IP_HLEN ? st->tx + TX_L4 : st->bigtx;
	tcpip_memmove(seg + UDP_HLEN, data, len);
	udp_fill(seg, src, sport, dst, dport, tot);
	EV(st, UDP_SENT);
	return ip_output(st, src, dst, IP_PROTO_UDP, seg, tot, ipflags);
}

/* Queue the payload of a datagram on s; false if out of memory. */
static bool udp_queue(struct tcpip *st, struct sock *s, const struct ip_pkt *pkt,
		      uint16_t sport, const uint8_t *data, uint32_t len)
{
	struct pbq chain = { 0 };
	struct pbuf *p = len <= TCPIP_BLOCK_SIZE || st->rx_cookie ? pb_keep(st, data, len) : NULL;

	if (p) {
		pbq_push(&chain, p);
	} else if (pbq_append(st, &chain, data, len) != len || !chain.head) {
		pbq_free(st, &chain);
		return false;
	}
	for (p = chain.head; p; p = p->next)
		p->mark = p != chain.head;
	chain.head->seq = len;
	chain.head->addr = pkt->src;
	chain.head->port = sport;
	while ((p = pbq_pop(&chain)))
		pbq_push(&s->rxq, p);
	return true;
}

int udp_input(struct tcpip *st, struct ip_pkt *pkt)
{
	if (pkt->len < UDP_HLEN)
		return RX_UDP_SHORT;
	const struct udp_hdr *uh = (const struct udp_hdr *)pkt->data;
	uint32_t ulen = get16(uh->len);
	if (ulen < UDP_HLEN || ulen > pkt->len)
		return RX_UDP_BAD_LEN;
	if (get16(uh->sum) != 0 &&
	    cksum_fold(cksum_add(cksum_pseudo(pkt->src, pkt->dst, IP_PROTO_UDP, ulen),
				 pkt->data, ulen)) != 0)
		return RX_UDP_BAD_CSUM;
	uint16_t sport = get16(uh->sport), dport = get16(uh->dport);
	const uint8_t *data = pkt->data + UDP_HLEN;
	uint32_t dlen = ulen - UDP_HLEN;

	if (dport == DHCP_CLIENT_PORT && st->use_dhcp)
		return dhcp_input(st, pkt, data, dlen);
	struct sock *s = udp_sock_lookup(st, pkt->dst, dport, pkt->src, sport);
	if (!s) {
		icmp_error(st, pkt, ICMP_UNREACH, ICMP_UNREACH_PORT);
		return RX_UDP_NO_PORT;
	}
	if ((s->flags & SF_SHUT_RD) || s->rxq.bytes + dlen > s->rcvbuf ||
	    !udp_queue(st, s, pkt, sport, data, dlen))
		return RX_UDP_FULL;
	sock_event(st, (int)(s - st->socks));
	return RX_UDP_OK;
}

/* An ICMP port unreachable about a datagram we sent (icmp.c). */
void udp_unreachable(struct tcpip *st, uint16_t lport, uint32_t rip, uint16_t rport)
{
	for (int i = 0; i < TCPIP_NSOCK; i++) {
		struct sock *s = &st->socks[i];
		if (s->type == TCPIP_SOCK_DGRAM && (s->flags & SF_CONNECTED) &&
		    s->lport == lport && s->rip == rip && s->rport == rport) {
			s->err = TCPIP_ECONNREFUSED;
			sock_event(st, i);
		}
	}
}
