/*
 * IPv4 fragment reassembly (RFC 791 3.2, with the limits RFC 1122 3.3.2
 * asks for).
 *
 * A slot per datagram (source, destination, identification, protocol)
 * collects the payload into pool blocks at its final offset and marks every
 * received 8-byte unit in a bitmap; the datagram is complete when the last
 * fragment fixed the total length and every unit up to it is marked. The
 * whole datagram is then copied into st->reass_buf and delivered.
 *
 * Limits and policy:
 *  - TCPIP_REASS_SLOTS datagrams at once (a new one evicts the oldest) and
 *    TCPIP_REASS_BLOCKS blocks for all of them: a datagram that would
 *    exceed it is discarded;
 *  - a slot lives TCPIP_REASS_TIMEOUT_MS from its first fragment; on expiry
 *    it is discarded, with an ICMP time exceeded if fragment 0 had arrived;
 *  - a fragment entirely covered by data already held is a duplicate and is
 *    dropped alone; one that partly overlaps held data, or contradicts the
 *    total length, discards the whole datagram (overlaps are how reassembly
 *    attacks rewrite headers; RFC 5722 takes the same line for IPv6);
 *  - the reassembled payload must fit a 65535-byte datagram.
 */
#include "priv.h"

static bool unit_set(const struct reass *r, uint32_t u)
{
	return r->map[u / 8] & (1u << (u % 8));
}

static void reass_free(struct tcpip *st, struct reass *r)
{
	for (unsigned i = 0; i < REASS_CHUNKS; i++) {
		if (r->chunk[i]) {
			pb_free(st, r->chunk[i]);
			st->reass_blocks--;
		}
	}
	tcpip_memset(r, 0, sizeof *r);
}

static struct reass *reass_slot(struct tcpip *st, uint32_t src, uint32_t dst,
				uint16_t id, uint8_t proto)
{
	struct reass *oldest = NULL;

	for (unsigned i = 0; i < TCPIP_REASS_SLOTS; i++) {
		struct reass *r = &st->reass[i];
		if (r->used && r->src == src && r->dst == dst && r->id == id &&
		    r->proto == proto)
			return r;
	}
	for (unsigned i = 0; i < TCPIP_REASS_SLOTS; i++) {
		struct reass *r = &st->reass[i];
		if (!r->used) {
			oldest = r;
			break;
		}
		if (!oldest || r->deadline < oldest->deadline)
			oldest = r;
	}
	if (oldest->used)
		reass_free(st, oldest);
	oldest->used = true;
	oldest->src = src;
	oldest->dst = dst;
	oldest->id = id;
	oldest->proto = proto;
	oldest->deadline = st->now + TCPIP_REASS_TIMEOUT_MS;
	return oldest;
}

/* Copy a fragment's bytes to their offset; false if out of blocks. */
static bool reass_store(struct tcpip *st, struct reass *r, uint32_t off,
			const uint8_t *data, uint32_t len)
{
	while (len > 0) {
		uint32_t ci = off / TCPIP_BLOCK_SIZE, co = off % TCPIP_BLOCK_SIZE;
		if (!r->chunk[ci]) {
			if (st->reass_blocks >= TCPIP_REASS_BLOCKS)
				return false;
			r->chunk[ci] = pb_alloc(st);
			if (!r->chunk[ci])
				return false;
			st->reass_blocks++;
		}
		uint32_t n = TCPIP_MIN(len, TCPIP_BLOCK_SIZE - co);
		tcpip_memcpy(r->chunk[ci]->data + co, data, n);
		off += n;
		data += n;
		len -= n;
	}
	return true;
}

static void reass_complete(struct tcpip *st, struct reass *r)
{
	for (uint32_t off = 0; off < r->total; off += TCPIP_BLOCK_SIZE)
		tcpip_memcpy(st->reass_buf + off, r->chunk[off / TCPIP_BLOCK_SIZE]->data,
			     TCPIP_MIN(TCPIP_BLOCK_SIZE, r->total - off));
	struct ip_pkt pkt = {
		.src = r->src, .dst = r->dst, .proto = r->proto, .frag = true,
		.bcast = ip_is_bcast(st, r->dst), .hlen = r->hlen,
		.data = st->reass_buf, .len = r->total,
	};
	/* The header is quoted by ICMP errors; keep it outside the slot. */
	uint8_t hdr[60];
	tcpip_memcpy(hdr, r->hdr, r->hlen);
	pkt.hdr = hdr;
	reass_free(st, r);
	/* The payload is in reass_buf, not in the frame: nothing to hold. */
	void *cookie = st->rx_cookie;
	st->rx_cookie = NULL;
	EV(st, IP_REASS_OK);
	st->stats.rx[ip_deliver(st, &pkt)]++;
	st->rx_cookie = cookie;
}

int ip_reass_input(struct tcpip *st, const uint8_t *hdr, uint32_t hlen,
		   const uint8_t *data, uint32_t len)
{
	const struct ip_hdr *ih = (const struct ip_hdr *)hdr;
	uint16_t field = get16(ih->off);
	uint32_t off = (uint32_t)(field & IP_OFFMASK) * 8;
	bool more = field & IP_MF;

	if (len == 0 || (more && len % 8) || off + len > IP_MAXPACKET - hlen)
		return RX_IP_FRAG_BAD;
	struct reass *r = reass_slot(st, get32(ih->src), get32(ih->dst),
				     get16(ih->id), ih->proto);
	uint32_t end = off + len;
	if ((!more && r->total && r->total != end) || (r->total && end > r->total)) {
		reass_free(st, r);
		return RX_IP_FRAG_BAD;
	}
	uint32_t u0 = off / 8, u1 = (end + 7) / 8, held = 0;
	for (uint32_t u = u0; u < u1; u++)
		held += unit_set(r, u);
	if (held == u1 - u0)
		return RX_IP_FRAG_BAD; /* duplicate */
	if (held) {
		reass_free(st, r);
		return RX_IP_FRAG_BAD;
	}
	if (!more) {
		/* Nothing may have arrived beyond the end. */
		for (uint32_t u = u1; u < REASS_UNITS; u++) {
			if (unit_set(r, u)) {
				reass_free(st, r);
				return RX_IP_FRAG_BAD;
			}
		}
		r->total = end;
	}
	if (!reass_store(st, r, off, data, len)) {
		reass_free(st, r);
		return RX_IP_FRAG_BAD;
	}
	for (uint32_t u = u0; u < u1; u++)
		r->map[u / 8] |= (uint8_t)(1u << (u % 8));
	r->have += u1 - u0;
	if (off == 0) {
		tcpip_memcpy(r->hdr, hdr, hlen);
		r->hlen = (uint8_t)hlen;
	}
	if (r->total && r->have == (r->total + 7) / 8)
		reass_complete(st, r);
	return RX_IP_FRAG_HELD;
}

void ip_reass_tick(struct tcpip *st)
{
	for (unsigned i = 0; i < TCPIP_REASS_SLOTS; i++) {
		struct reass *r = &st->reass[i];
		if (!r->used || st->now < r->deadline)
			continue;
		EV(st, IP_REASS_TIMEOUT);
		if (r->hlen && r->chunk[0]) {
			/* RFC 792: time exceeded, code 1, quoting fragment 0. */
			uint8_t quote[60 + 8];
			tcpip_memcpy(quote, r->hdr, r->hlen);
			tcpip_memcpy(quote + r->hlen, r->chunk[0]->data, 8);
			struct ip_pkt pkt = {
				.src = r->src, .dst = r->dst, .proto = r->proto,
				.bcast = ip_is_bcast(st, r->dst), .hdr = quote,
				.hlen = r->hlen, .data = quote + r->hlen, .len = 8,
			};
			icmp_error(st, &pkt, ICMP_TIME_EXCEEDED, 1);
		}
		reass_free(st, r);
	}
}

uint64_t ip_reass_deadline(struct tcpip *st)
{
	uint64_t d = UINT64_MAX;

	for (unsigned i = 0; i < TCPIP_REASS_SLOTS; i++)
		if (st->reass[i].used && st->reass[i].deadline < d)
			d = st->reass[i].deadline;
	return d;
}

void ip_reass_flush(struct tcpip *st)
{
	for (unsigned i = 0; i < TCPIP_REASS_SLOTS; i++)
		if (st->reass[i].used)
			reass_free(st, &st->reass[i]);
}
