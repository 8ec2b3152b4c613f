/*
 * Statistics as text, for a netstat-style command: the ARP cache (arp.c),
 * the connection table and the counters. Output goes through a caller's
 * print function in line-sized pieces; the formatting here is the little
 * the stack needs, so it depends on no printf.
 */
#include "priv.h"

#define TCPIP_NAME(name, text) text,
static const char *const rx_names[] = { TCPIP_RX_VERDICTS(TCPIP_NAME) };
static const char *const ev_names[] = { TCPIP_EVENTS(TCPIP_NAME) };

const char *tcpip_rx_name(unsigned v)
{
	return v < TCPIP_RX_N ? rx_names[v] : "?";
}

const char *tcpip_ev_name(unsigned e)
{
	return e < TCPIP_EV_N ? ev_names[e] : "?";
}

void out_flush(struct outbuf *o)
{
	if (o->n)
		o->fn(o->arg, o->buf, o->n);
	o->n = 0;
}

static void out_char(struct outbuf *o, char c)
{
	if (o->n == sizeof o->buf)
		out_flush(o);
	o->buf[o->n++] = c;
	if (c == '\n')
		out_flush(o);
}

void out_str(struct outbuf *o, const char *s)
{
	while (*s)
		out_char(o, *s++);
}

/* Decimal, right-aligned in width columns. */
void out_u64(struct outbuf *o, uint64_t v, unsigned width)
{
	char tmp[20];
	unsigned n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (width-- > n)
		out_char(o, ' ');
	while (n)
		out_char(o, tmp[--n]);
}

void out_ip(struct outbuf *o, uint32_t ip)
{
	for (int i = 3; i >= 0; i--) {
		out_u64(o, (ip >> (i * 8)) & 0xff, 0);
		if (i)
			out_char(o, '.');
	}
}

void out_mac(struct outbuf *o, const uint8_t mac[6])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 6; i++) {
		out_char(o, hex[mac[i] >> 4]);
		out_char(o, hex[mac[i] & 15]);
		if (i < 5)
			out_char(o, ':');
	}
}

static void out_endpoint(struct outbuf *o, uint32_t ip, uint16_t port)
{
	out_ip(o, ip);
	out_char(o, ':');
	out_u64(o, port, 0);
	out_char(o, ' ');
}

void tcpip_dump_conns(struct tcpip *st, tcpip_print_fn fn, void *arg)
{
	struct outbuf o = { .fn = fn, .arg = arg };

	out_str(&o, "conn: proto local remote state sndq rcvq ooo rto cwnd\n");
	for (unsigned i = 0; i < TCPIP_NTCP; i++) {
		const struct tcp_pcb *p = &st->tcp[i];
		if (p->state == TCP_CLOSED)
			continue;
		out_str(&o, "conn: tcp ");
		out_endpoint(&o, p->lip, p->lport);
		out_endpoint(&o, p->rip, p->rport);
		out_str(&o, tcp_state_name(p->state));
		out_u64(&o, p->sndq.bytes, 7);
		out_u64(&o, p->rcvq.bytes, 7);
		out_u64(&o, p->oooq.bytes, 7);
		out_u64(&o, p->rto, 6);
		out_u64(&o, p->cwnd, 8);
		out_str(&o, p->sd < 0 ? " orphan\n" : "\n");
	}
	for (unsigned i = 0; i < TCPIP_NSOCK; i++) {
		const struct sock *s = &st->socks[i];
		if (s->type != TCPIP_SOCK_DGRAM)
			continue;
		out_str(&o, "conn: udp ");
		out_endpoint(&o, s->lip, s->lport);
		out_endpoint(&o, s->rip, s->rport);
		out_str(&o, (s->flags & SF_BOUND) ? "BOUND" : "UNBOUND");
		out_u64(&o, 0, 7);
		out_u64(&o, s->rxq.bytes, 7);
		out_str(&o, "\n");
	}
	out_flush(&o);
}

void tcpip_dump_stats(struct tcpip *st, tcpip_print_fn fn, void *arg)
{
	struct outbuf o = { .fn = fn, .arg = arg };
	struct tcpip_ipconfig c;

	tcpip_get_ipconfig(st, &c);
	out_str(&o, "ip: ");
	out_ip(&o, c.ip);
	out_str(&o, " mask ");
	out_ip(&o, c.netmask);
	out_str(&o, " gw ");
	out_ip(&o, c.gateway);
	out_str(&o, " ");
	out_str(&o, c.dhcp_state);
	out_str(&o, "\n");
	for (unsigned i = 0; i < TCPIP_EV_N; i++) {
		if (!st->stats.ev[i])
			continue;
		out_str(&o, "event: ");
		out_str(&o, ev_names[i]);
		out_str(&o, " ");
		out_u64(&o, st->stats.ev[i], 0);
		out_str(&o, "\n");
	}
	for (unsigned i = 0; i < TCPIP_RX_N; i++) {
		if (!st->stats.rx[i])
			continue;
		out_str(&o, "rx: ");
		out_str(&o, rx_names[i]);
		out_str(&o, " ");
		out_u64(&o, st->stats.rx[i], 0);
		out_str(&o, "\n");
	}
	out_flush(&o);
}
