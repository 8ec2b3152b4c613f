/*
 * DHCP client (RFC 2131, options from RFC 2132), enough for QEMU's user
 * networking and ordinary servers:
 *
 *   SELECTING  --DISCOVER-->  OFFER   => REQUESTING
 *   REQUESTING --REQUEST -->  ACK     => BOUND (address, netmask, router, DNS)
 *   BOUND      at T1 (lease/2)        => RENEWING: REQUEST unicast to the server
 *   RENEWING   at T2 (lease*7/8)      => REBINDING: REQUEST broadcast
 *   REBINDING  at lease end           => unconfigured, SELECTING again
 *   a NAK in any requesting state     => unconfigured, SELECTING again
 *
 * Retransmission follows 4.1: 4 s, doubling up to 64 s; in RENEWING and
 * REBINDING half the remaining time, at least 60 s (4.4.5). Replies are
 * matched on xid and our hardware address. Not done: probing the offered
 * address with ARP before use (DECLINE), INIT-REBOOT, option overload.
 */
#include "priv.h"

#define OPT_PAD 0
#define OPT_NETMASK 1
#define OPT_ROUTER 3
#define OPT_DNS 6
#define OPT_REQ_IP 50
#define OPT_LEASE 51
#define OPT_MSG_TYPE 53
#define OPT_SERVER_ID 54
#define OPT_PARAMS 55
#define OPT_T1 58
#define OPT_T2 59
#define OPT_END 255

#define DHCPDISCOVER 1
#define DHCPOFFER 2
#define DHCPREQUEST 3
#define DHCPACK 5
#define DHCPNAK 6

static const char *const names[] = {
	[DHCP_OFF] = "static", [DHCP_SELECTING] = "selecting",
	[DHCP_REQUESTING] = "requesting", [DHCP_BOUND] = "bound",
	[DHCP_RENEWING] = "renewing", [DHCP_REBINDING] = "rebinding",
};

const char *dhcp_state_name(struct tcpip *st)
{
	return names[st->dhcp.state];
}

static void dhcp_send(struct tcpip *st, uint8_t type)
{
	struct dhcp *d = &st->dhcp;
	uint8_t *msg = st->tx + TX_L4 + UDP_HLEN;
	struct dhcp_msg *m = (struct dhcp_msg *)msg;
	bool renew = d->state == DHCP_RENEWING;
	bool have_ip = renew || d->state == DHCP_REBINDING;

	tcpip_memset(msg, 0, 300);
	m->op = 1; /* BOOTREQUEST */
	m->htype = 1;
	m->hlen = 6;
	put32(m->xid, d->xid);
	put16(m->flags, have_ip ? 0 : 0x8000); /* broadcast replies until configured */
	if (have_ip)
		put32(m->ciaddr, st->ip);
	tcpip_memcpy(m->chaddr, st->mac, 6);
	put32(m->magic, DHCP_MAGIC);
	uint8_t *o = msg + sizeof *m;
	*o++ = OPT_MSG_TYPE, *o++ = 1, *o++ = type;
	if (type == DHCPREQUEST && d->state == DHCP_REQUESTING) {
		*o++ = OPT_REQ_IP, *o++ = 4;
		put32(o, d->offered);
		o += 4;
		*o++ = OPT_SERVER_ID, *o++ = 4;
		put32(o, d->server);
		o += 4;
	}
	static const uint8_t params[] = { OPT_NETMASK, OPT_ROUTER, OPT_DNS, OPT_LEASE,
					  OPT_T1, OPT_T2 };
	*o++ = OPT_PARAMS, *o++ = sizeof params;
	tcpip_memcpy(o, params, sizeof params);
	o += sizeof params;
	*o++ = OPT_END;
	/* BOOTP's minimum message is 300 bytes (RFC 1542 2.1). */
	uint32_t len = (uint32_t)TCPIP_MAX(o - msg, 300);
	EV(st, DHCP_SENT);
	udp_output(st, have_ip ? st->ip : 0, DHCP_CLIENT_PORT, renew ? d->server : 0xffffffffu,
		   DHCP_SERVER_PORT, msg, len, renew ? 0 : IPO_BCAST);
}

static void dhcp_unconfigure(struct tcpip *st)
{
	if (!st->ip)
		return;
	tcpip_base_filters(st, false);
	st->ip = st->netmask = st->gateway = st->dns = 0;
	tcpip_base_filters(st, true);
	if (st->env.ip_changed)
		st->env.ip_changed(st->env.ctx);
}

static void dhcp_discover(struct tcpip *st)
{
	struct dhcp *d = &st->dhcp;

	dhcp_unconfigure(st);
	d->state = DHCP_SELECTING;
	d->xid = st->env.random(st->env.ctx);
	d->retry_ms = DHCP_RETRY_MIN_MS;
	d->next = st->now + d->retry_ms;
	dhcp_send(st, DHCPDISCOVER);
}

void dhcp_start(struct tcpip *st)
{
	struct tcpip_filter f = { .kind = TCPIP_FILTER_UDP, .local_port = DHCP_CLIENT_PORT,
				  .shared = true };

	st->dhcp.filter = filter_hook(st, &f, true) == 0;
	dhcp_discover(st);
}

void dhcp_stop(struct tcpip *st)
{
	struct tcpip_filter f = { .kind = TCPIP_FILTER_UDP, .local_port = DHCP_CLIENT_PORT,
				  .shared = true };

	if (st->dhcp.filter)
		filter_hook(st, &f, false);
	st->dhcp.filter = false;
	st->dhcp.state = DHCP_OFF;
}

struct dhcp_opts {
	uint8_t type;
	uint32_t server, lease, t1, t2, netmask, router, dns;
};

static bool dhcp_parse(const uint8_t *o, uint32_t n, struct dhcp_opts *r)
{
	uint32_t i = 0;

	while (i < n && o[i] != OPT_END) {
		if (o[i] == OPT_PAD) {
			i++;
			continue;
		}
		if (n - i < 2 || o[i + 1] > n - i - 2)
			return false;
		uint8_t code = o[i], len = o[i + 1];
		const uint8_t *v = o + i + 2;
		if (code == OPT_MSG_TYPE && len == 1)
			r->type = v[0];
		else if (len >= 4 && code == OPT_SERVER_ID)
			r->server = get32(v);
		else if (len >= 4 && code == OPT_LEASE)
			r->lease = get32(v);
		else if (len >= 4 && code == OPT_T1)
			r->t1 = get32(v);
		else if (len >= 4 && code == OPT_T2)
			r->t2 = get32(v);
		else if (len >= 4 && code == OPT_NETMASK)
			r->netmask = get32(v);
		else if (len >= 4 && code == OPT_ROUTER)
			r->router = get32(v);
		else if (len >= 4 && code == OPT_DNS)
			r->dns = get32(v);
		i += 2u + len;
	}
	return r->type != 0;
}

static bool usable_addr(uint32_t a)
{
	return a && a != 0xffffffffu && (a >> 28) < 0xe && (a >> 24) != 127;
}

static void dhcp_bind(struct tcpip *st, uint32_t ip, const struct dhcp_opts *o)
{
	struct dhcp *d = &st->dhcp;
	uint32_t mask = o->netmask;

	if (!mask || (~mask & (~mask + 1)) != 0)
		mask = 0xffffff00u; /* missing or not contiguous */
	bool changed = st->ip != ip;
	if (changed)
		tcpip_base_filters(st, false);
	st->ip = ip;
	st->netmask = mask;
	st->gateway = usable_addr(o->router) ? o->router : 0;
	st->dns = usable_addr(o->dns) ? o->dns : 0;
	d->lease_s = o->lease ? o->lease : 3600;
	if (d->lease_s > 0x7fffffffu / 1000)
		d->lease_s = 0x7fffffffu / 1000; /* "infinite": about 24 days */
	d->t1_s = o->t1 && o->t1 < d->lease_s ? o->t1 : d->lease_s / 2;
	d->t2_s = o->t2 && o->t2 < d->lease_s && o->t2 > d->t1_s ? o->t2
								: d->lease_s / 8 * 7;
	if (d->t2_s <= d->t1_s)
		d->t2_s = d->lease_s;
	d->bound_at = st->now;
	d->state = DHCP_BOUND;
	d->next = st->now + (uint64_t)d->t1_s * 1000;
	EV(st, DHCP_BOUND);
	if (changed) {
		tcpip_base_filters(st, true);
		arp_announce(st);
		if (st->env.ip_changed)
			st->env.ip_changed(st->env.ctx);
	}
}

int dhcp_input(struct tcpip *st, const struct ip_pkt *pkt, const uint8_t *msg, uint32_t len)
{
	struct dhcp *d = &st->dhcp;
	const struct dhcp_msg *m = (const struct dhcp_msg *)msg;
	struct dhcp_opts o = { 0 };

	if (len < sizeof *m || m->op != 2 || get32(m->xid) != d->xid ||
	    tcpip_memcmp(m->chaddr, st->mac, 6) != 0 || get32(m->magic) != DHCP_MAGIC ||
	    !dhcp_parse(msg + sizeof *m, len - (uint32_t)sizeof *m, &o))
		return RX_DHCP_BAD;
	uint32_t yi = get32(m->yiaddr);
	bool requesting = d->state == DHCP_REQUESTING || d->state == DHCP_RENEWING ||
			  d->state == DHCP_REBINDING;
	if (d->state == DHCP_SELECTING && o.type == DHCPOFFER && usable_addr(yi)) {
		d->offered = yi;
		d->server = usable_addr(o.server) ? o.server : pkt->src;
		d->state = DHCP_REQUESTING;
		d->retry_ms = DHCP_RETRY_MIN_MS;
		d->next = st->now + d->retry_ms;
		dhcp_send(st, DHCPREQUEST);
		return RX_DHCP_OK;
	}
	if (requesting && o.type == DHCPACK && usable_addr(yi)) {
		if (usable_addr(o.server))
			d->server = o.server;
		dhcp_bind(st, yi, &o);
		return RX_DHCP_OK;
	}
	if (requesting && o.type == DHCPNAK) {
		dhcp_discover(st);
		return RX_DHCP_OK;
	}
	return RX_DHCP_BAD;
}

static uint64_t at(const struct dhcp *d, uint32_t s)
{
	return d->bound_at + (uint64_t)s * 1000;
}

/* RFC 2131 4.4.5: retry after half the time left, at least 60 s. */
static void renew_retry(struct tcpip *st, uint64_t until)
{
	uint64_t half = until > st->now ? (until - st->now) / 2 : 0;
	st->dhcp.next = TCPIP_MIN(st->now + TCPIP_MAX(half, 60000u), until);
}

void dhcp_tick(struct tcpip *st)
{
	struct dhcp *d = &st->dhcp;

	if (d->state == DHCP_OFF || st->now < d->next)
		return;
	switch (d->state) {
	case DHCP_SELECTING:
	case DHCP_REQUESTING:
		d->retry_ms = TCPIP_MIN(d->retry_ms * 2, DHCP_RETRY_MAX_MS);
		if (d->state == DHCP_REQUESTING && d->retry_ms >= DHCP_RETRY_MAX_MS) {
			dhcp_discover(st); /* the server went away */
			return;
		}
		d->next = st->now + d->retry_ms;
		dhcp_send(st, d->state == DHCP_SELECTING ? DHCPDISCOVER : DHCPREQUEST);
		return;
	case DHCP_BOUND:
		d->state = DHCP_RENEWING;
		/* fall through */
	case DHCP_RENEWING:
		if (st->now >= at(d, d->t2_s)) {
			d->state = DHCP_REBINDING;
		} else {
			renew_retry(st, at(d, d->t2_s));
			dhcp_send(st, DHCPREQUEST);
			return;
		}
		/* fall through */
	case DHCP_REBINDING:
		if (st->now >= at(d, d->lease_s)) {
			dhcp_discover(st);
			return;
		}
		renew_retry(st, at(d, d->lease_s));
		dhcp_send(st, DHCPREQUEST);
		return;
	}
}

uint64_t dhcp_deadline(struct tcpip *st)
{
	return st->dhcp.state == DHCP_OFF ? UINT64_MAX : st->dhcp.next;
}
