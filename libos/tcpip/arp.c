/*
 * ARP (RFC 826) with a small cache.
 *
 * An entry is PENDING while its address is being resolved: up to
 * TCPIP_ARP_PENDING outgoing frames wait on it (copied into pool blocks,
 * since the caller's frame buffer is reused), a request goes out every
 * TCPIP_ARP_RETRY_MS, and after TCPIP_ARP_TRIES unanswered requests the
 * waiting frames are dropped. A VALID entry expires TCPIP_ARP_TTL_MS after it
 * was last confirmed by a packet from that host; the next frame to it
 * resolves again. When the cache is full the entry closest to expiry goes.
 *
 * Learning follows RFC 826's merge rule: an existing entry is updated by any
 * ARP packet from its address; a new one is created only if the packet is
 * addressed to us. Packets with multicast/zero sender MACs or non-unicast
 * sender addresses never enter the cache.
 */
#include "priv.h"

static void arp_send(struct tcpip *st, uint16_t op, const uint8_t *tha, uint32_t tpa,
		     const uint8_t *dst_mac)
{
	uint8_t frame[60];
	struct arp_pkt *a = (struct arp_pkt *)(frame + ETH_HLEN);

	put16(a->htype, 1);
	put16(a->ptype, ETH_TYPE_IPV4);
	a->hlen = 6;
	a->plen = 4;
	put16(a->op, op);
	tcpip_memcpy(a->sha, st->mac, 6);
	put32(a->spa, st->ip);
	tcpip_memcpy(a->tha, tha, 6);
	put32(a->tpa, tpa);
	st->stats.ev[op == ARP_OP_REQUEST ? EV_ARP_REQ_SENT : EV_ARP_REPLY_SENT]++;
	eth_output(st, dst_mac, ETH_TYPE_ARP, frame, ETH_HLEN + sizeof *a);
}

static void arp_request(struct tcpip *st, uint32_t ip)
{
	static const uint8_t zero[6];
	arp_send(st, ARP_OP_REQUEST, zero, ip, eth_bcast);
}

/* Gratuitous ARP (RFC 5227 2.3): a request for our own address. */
void arp_announce(struct tcpip *st)
{
	if (st->ip)
		arp_request(st, st->ip);
}

static struct arp_entry *arp_find(struct tcpip *st, uint32_t ip)
{
	for (unsigned i = 0; i < TCPIP_ARP_ENTRIES; i++)
		if (st->arp[i].state != ARP_FREE && st->arp[i].ip == ip)
			return &st->arp[i];
	return NULL;
}

static void arp_release(struct tcpip *st, struct arp_entry *e)
{
	st->stats.ev[EV_ARP_QUEUE_DROP] += e->pending.count;
	pbq_free(st, &e->pending);
	e->state = ARP_FREE;
}

/* A free entry, else the valid entry nearest expiry; NULL if all pending. */
static struct arp_entry *arp_new(struct tcpip *st, uint32_t ip)
{
	struct arp_entry *victim = NULL;

	for (unsigned i = 0; i < TCPIP_ARP_ENTRIES; i++) {
		struct arp_entry *e = &st->arp[i];
		if (e->state == ARP_FREE) {
			victim = e;
			break;
		}
		if (e->state == ARP_VALID && (!victim || e->when < victim->when))
			victim = e;
	}
	if (!victim)
		return NULL;
	if (victim->state != ARP_FREE)
		arp_release(st, victim);
	tcpip_memset(victim, 0, sizeof *victim);
	victim->ip = ip;
	return victim;
}

static void arp_resolved(struct tcpip *st, struct arp_entry *e, const uint8_t *mac)
{
	struct pbuf *p;

	tcpip_memcpy(e->mac, mac, 6);
	e->state = ARP_VALID;
	e->when = st->now + TCPIP_ARP_TTL_MS;
	while ((p = pbq_pop(&e->pending))) {
		eth_output(st, mac, ETH_TYPE_IPV4, p->data, p->len);
		pb_free(st, p);
	}
}

static bool unicast_mac(const uint8_t *m)
{
	static const uint8_t zero[6];
	return !(m[0] & 1) && tcpip_memcmp(m, zero, 6) != 0;
}

int arp_input(struct tcpip *st, const uint8_t *p, size_t len)
{
	if (len < sizeof(struct arp_pkt))
		return RX_ARP_MALFORMED;
	const struct arp_pkt *a = (const struct arp_pkt *)p;
	uint16_t op = get16(a->op);
	if (get16(a->htype) != 1 || get16(a->ptype) != ETH_TYPE_IPV4 || a->hlen != 6 ||
	    a->plen != 4 || (op != ARP_OP_REQUEST && op != ARP_OP_REPLY))
		return RX_ARP_MALFORMED;
	uint32_t spa = get32(a->spa), tpa = get32(a->tpa);
	if (!unicast_mac(a->sha) || ip_is_bcast(st, spa) || (spa >> 28) == 0xe)
		return RX_ARP_BAD_ADDR;
	if (st->ip && spa == st->ip) {
		/* Someone else claims our address (RFC 5227 2.4): defend once. */
		if (tcpip_memcmp(a->sha, st->mac, 6) != 0) {
			EV(st, ARP_CONFLICT);
			arp_announce(st);
		}
		return RX_ARP_OK;
	}
	bool for_us = st->ip && tpa == st->ip;
	struct arp_entry *e = spa ? arp_find(st, spa) : NULL;
	if (e)
		arp_resolved(st, e, a->sha);
	else if (for_us && spa && (e = arp_new(st, spa)))
		arp_resolved(st, e, a->sha);
	if (for_us && op == ARP_OP_REQUEST)
		arp_send(st, ARP_OP_REPLY, a->sha, spa, a->sha);
	return (e || for_us) ? RX_ARP_OK : RX_ARP_IGNORED;
}

/* Send an IPv4 frame (header space included) to nexthop on the link. */
void arp_output(struct tcpip *st, uint32_t nexthop, uint8_t *frame, size_t len)
{
	if (ip_is_bcast(st, nexthop)) {
		eth_output(st, eth_bcast, ETH_TYPE_IPV4, frame, len);
		return;
	}
	struct arp_entry *e = arp_find(st, nexthop);
	if (e && e->state == ARP_VALID && st->now < e->when) {
		eth_output(st, e->mac, ETH_TYPE_IPV4, frame, len);
		return;
	}
	if (!e || e->state == ARP_VALID) {
		if (!e)
			e = arp_new(st, nexthop);
		if (!e) {
			EV(st, ARP_QUEUE_DROP);
			return;
		}
		e->state = ARP_PENDING;
		e->tries = 1;
		e->when = st->now + TCPIP_ARP_RETRY_MS;
		arp_request(st, nexthop);
	}
	if (e->pending.count >= TCPIP_ARP_PENDING) {
		EV(st, ARP_QUEUE_DROP);
		pb_free(st, pbq_pop(&e->pending));
	}
	struct pbuf *p = pb_alloc(st);
	if (!p) {
		EV(st, ARP_QUEUE_DROP);
		return;
	}
	tcpip_memcpy(p->data, frame, len);
	p->len = (uint32_t)len;
	pbq_push(&e->pending, p);
}

void arp_tick(struct tcpip *st)
{
	for (unsigned i = 0; i < TCPIP_ARP_ENTRIES; i++) {
		struct arp_entry *e = &st->arp[i];
		if (e->state == ARP_FREE || st->now < e->when)
			continue;
		if (e->state == ARP_VALID) {
			e->state = ARP_FREE;
		} else if (e->tries >= TCPIP_ARP_TRIES) {
			EV(st, ARP_TIMEOUT);
			arp_release(st, e);
		} else {
			e->tries++;
			e->when = st->now + TCPIP_ARP_RETRY_MS;
			arp_request(st, e->ip);
		}
	}
}

uint64_t arp_deadline(struct tcpip *st)
{
	uint64_t d = UINT64_MAX;

	for (unsigned i = 0; i < TCPIP_ARP_ENTRIES; i++)
		if (st->arp[i].state != ARP_FREE && st->arp[i].when < d)
			d = st->arp[i].when;
	return d;
}

void arp_flush(struct tcpip *st)
{
	for (unsigned i = 0; i < TCPIP_ARP_ENTRIES; i++)
		if (st->arp[i].state != ARP_FREE)
			arp_release(st, &st->arp[i]);
}

bool tcpip_arp_lookup(struct tcpip *st, uint32_t ip, uint8_t mac[6])
{
	struct arp_entry *e = arp_find(st, ip);

	if (!e || e->state != ARP_VALID)
		return false;
	tcpip_memcpy(mac, e->mac, 6);
	return true;
}

void tcpip_dump_arp(struct tcpip *st, tcpip_print_fn fn, void *arg)
{
	struct outbuf o = { .fn = fn, .arg = arg };

	out_str(&o, "arp: address         hwaddress          state    ttl(ms)\n");
	for (unsigned i = 0; i < TCPIP_ARP_ENTRIES; i++) {
		struct arp_entry *e = &st->arp[i];
		if (e->state == ARP_FREE)
			continue;
		out_str(&o, "arp: ");
		out_ip(&o, e->ip);
		out_str(&o, " ");
		out_mac(&o, e->mac);
		out_str(&o, e->state == ARP_VALID ? " valid   " : " pending ");
		out_u64(&o, e->when > st->now ? e->when - st->now : 0, 8);
		out_str(&o, "\n");
	}
	out_flush(&o);
}
