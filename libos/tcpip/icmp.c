/*
 * ICMP (RFC 792, RFC 1122 3.2.2): echo replies, the errors this host
 * originates (port and protocol unreachable, reassembly time exceeded), and
 * the unreachables it receives.
 *
 * Errors are never sent about broadcasts, non-unicast sources, non-first
 * fragments or other ICMP errors (RFC 1122 3.2.2), and are rate-limited by a
 * token bucket of TCPIP_ICMP_RATE per second (RFC 1812 4.3.2.8), so a port
 * scan or a flood cannot make the stack amplify it. Echo replies are not
 * limited: they are one for one. Broadcast echo requests are ignored.
 */
#include "priv.h"

static bool icmp_is_error(uint8_t type)
{
	return type == ICMP_UNREACH || type == 4 || type == 5 ||
	       type == ICMP_TIME_EXCEEDED || type == 12;
}

static uint8_t *icmp_buf(struct tcpip *st, uint32_t len)
{
	return len <= TCPIP_MTU - IP_HLEN ? st->tx + TX_L4 : st->bigtx;
}

/*
 * A protocol or port unreachable is sent only by the destination host
 * itself (RFC 1122 3.2.2.1) and means nobody listens there: a TCP connect
 * in SYN-SENT fails with ECONNREFUSED (RFC 1122 4.2.3.9 calls it a hard
 * error; we act on it only before the connection exists, and only if the
 * quoted sequence number is our SYN's, as RFC 5927 advises), and a
 * connected UDP socket reports ECONNREFUSED on its next call, as BSD does.
 */
static void icmp_unreach_input(struct tcpip *st, const struct ip_pkt *pkt)
{
	const uint8_t *q = pkt->data + sizeof(struct icmp_hdr);
	uint32_t qlen = pkt->len - (uint32_t)sizeof(struct icmp_hdr);
	uint8_t code = pkt->data[1];

	if ((code != 2 && code != ICMP_UNREACH_PORT) || qlen < IP_HLEN || q[0] >> 4 != 4)
		return;
	uint32_t qhl = (q[0] & 0xfu) * 4u;
	if (qhl < IP_HLEN || qlen < qhl + 8 || get32(q + 12) != st->ip)
		return;
	uint32_t dst = get32(q + 16);
	uint16_t sport = get16(q + qhl), dport = get16(q + qhl + 2);
	if (q[9] == IP_PROTO_TCP)
		tcp_unreachable(st, st->ip, sport, dst, dport, get32(q + qhl + 4));
	else if (q[9] == IP_PROTO_UDP)
		udp_unreachable(st, sport, dst, dport);
}

int icmp_input(struct tcpip *st, struct ip_pkt *pkt)
{
	if (pkt->len < sizeof(struct icmp_hdr))
		return RX_ICMP_SHORT;
	if (cksum_fold(cksum_add(0, pkt->data, pkt->len)) != 0)
		return RX_ICMP_BAD_CSUM;
	if (pkt->data[0] == ICMP_UNREACH && !pkt->bcast) {
		icmp_unreach_input(st, pkt);
		return RX_ICMP_UNREACH;
	}
	if (pkt->data[0] != ICMP_ECHO || pkt->bcast || pkt->data[1] != 0)
		return RX_ICMP_OTHER;
	uint8_t *b = icmp_buf(st, pkt->len);
	tcpip_memmove(b, pkt->data, pkt->len);
	b[0] = ICMP_ECHO_REPLY;
	put16(b + 2, 0);
	put16(b + 2, cksum_fold(cksum_add(0, b, pkt->len)));
	ip_output(st, st->ip, pkt->src, IP_PROTO_ICMP, b, pkt->len, 0);
	return RX_ICMP_ECHO;
}

static bool icmp_allowed(struct tcpip *st, const struct ip_pkt *pkt)
{
	if (!st->ip || pkt->bcast || pkt->src == 0 || ip_is_bcast(st, pkt->src) ||
	    (pkt->src >> 28) >= 0xe)
		return false;
	const struct ip_hdr *ih = (const struct ip_hdr *)pkt->hdr;
	if (!pkt->frag && (get16(ih->off) & IP_OFFMASK))
		return false;
	if (pkt->proto == IP_PROTO_ICMP && (pkt->len < 1 || icmp_is_error(pkt->data[0])))
		return false;
	if (st->now - st->icmp_refill >= 1000 || st->icmp_refill == 0) {
		st->icmp_refill = st->now ? st->now : 1;
		st->icmp_tokens = TCPIP_ICMP_RATE;
	}
	if (st->icmp_tokens == 0) {
		EV(st, ICMP_RATELIMITED);
		return false;
	}
	st->icmp_tokens--;
	return true;
}

/* An error about pkt, quoting its IP header and 8 bytes (RFC 792). */
void icmp_error(struct tcpip *st, const struct ip_pkt *pkt, uint8_t type, uint8_t code)
{
	if (!icmp_allowed(st, pkt))
		return;
	uint32_t quote = pkt->hlen + TCPIP_MIN(pkt->len, 8u);
	uint8_t *b = st->tx + TX_L4;
	tcpip_memset(b, 0, sizeof(struct icmp_hdr));
	b[0] = type;
	b[1] = code;
	tcpip_memcpy(b + 8, pkt->hdr, pkt->hlen);
	tcpip_memcpy(b + 8 + pkt->hlen, pkt->data, quote - pkt->hlen);
	put16(b + 2, cksum_fold(cksum_add(0, b, 8 + quote)));
	EV(st, ICMP_ERR_SENT);
	ip_output(st, st->ip, pkt->src, IP_PROTO_ICMP, b, 8 + quote, 0);
}
