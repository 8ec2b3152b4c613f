/* netstat: see netstat.h. */
#include "netstat.h"

struct text {
	tcpip_print_fn fn;
	void *arg;
};

static void put(struct text *t, const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	t->fn(t->arg, s, n);
}

static void put_u64(struct text *t, uint64_t v)
{
	char d[21];
	int n = 20;
	d[n] = 0;
	do {
		d[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(t, d + n);
}

static void put_field(struct text *t, const char *name, uint64_t v)
{
	put(t, " ");
	put(t, name);
	put(t, " ");
	put_u64(t, v);
}

void netstat_write(struct netapp *na, tcpip_print_fn fn, void *arg)
{
	struct text t = { fn, arg };
	struct tcpip_pool_usage u;

	tcpip_dump_arp(na->st, fn, arg);
	tcpip_dump_conns(na->st, fn, arg);
	tcpip_pool_usage(na->st, &u);
	/* One line that is the same whenever the stack is at rest: the tests
	 * compare it before and after a load. */
	put(&t, "pool:");
	put_field(&t, "pbufs", u.pbufs);
	put_field(&t, "blocks", u.blocks);
	put_field(&t, "held", u.held_frames);
	put_field(&t, "sockets", u.sockets);
	put_field(&t, "pcbs", u.tcp_pcbs);
	put_field(&t, "reass", u.reass_slots);
	put(&t, "\n");
	tcpip_dump_stats(na->st, fn, arg);
	put(&t, "netapp:");
	put_field(&t, "passes", na->c.passes);
	put_field(&t, "frames", na->c.frames);
	put_field(&t, "kept", na->c.kept);
	put_field(&t, "tx", na->c.tx);
	put_field(&t, "tx_dropped", na->c.tx_dropped);
	put_field(&t, "waits", na->c.waits);
	put(&t, "\n");
	if (na->nif->report)
		na->nif->report(na->nif->ctx, fn, arg);
	put(&t, "end\n");
}

/* Reply assembly: whole lines into datagrams of at most NETSTAT_DGRAM. */
struct reply {
	struct netstat *ns;
	struct netapp *na;
};

static void flush_dgram(struct reply *r)
{
	struct netstat *ns = r->ns;
	if (ns->len)
		tcpip_sendto(r->na->st, ns->sd, ns->dgram, ns->len, 0, &ns->to);
	ns->len = 0;
}

static void add_line(struct reply *r)
{
	struct netstat *ns = r->ns;
	if (ns->len + ns->linelen > sizeof ns->dgram)
		flush_dgram(r);
	__builtin_memcpy(ns->dgram + ns->len, ns->line, ns->linelen);
	ns->len += ns->linelen;
	if (ns->console)
		ns->console(ns->console_arg, ns->line, ns->linelen);
	ns->linelen = 0;
}

static void reply_text(void *arg, const char *text, size_t len)
{
	struct reply *r = arg;
	struct netstat *ns = r->ns;
	for (size_t i = 0; i < len; i++) {
		if (ns->linelen < sizeof ns->line)
			ns->line[ns->linelen++] = text[i];
		if (text[i] == '\n' || ns->linelen == sizeof ns->line)
			add_line(r);   /* an over-long line is split, never lost */
	}
}

static void netstat_run(struct netapp *na, void *arg)
{
	struct netstat *ns = arg;
	char q[64];

	/* Queries are answered one per pass: a flood cannot hold the loop. */
	if (tcpip_recvfrom(na->st, ns->sd, q, sizeof q, 0, &ns->to) < 0)
		return;
	ns->queries++;
	struct reply r = { ns, na };
	ns->len = ns->linelen = 0;
	netstat_write(na, reply_text, &r);
	if (ns->linelen)
		add_line(&r);
	flush_dgram(&r);
}

int netstat_start(struct netstat *ns, struct netapp *na, uint16_t port,
		  tcpip_print_fn console, void *console_arg)
{
	ns->console = console;
	ns->console_arg = console_arg;
	ns->queries = 0;
	ns->sd = tcpip_socket(na->st, TCPIP_SOCK_DGRAM);
	if (ns->sd < 0)
		return ns->sd;
	struct tcpip_sockaddr_in a = { .sin_family = TCPIP_AF_INET,
				       .sin_port = tcpip_htons(port) };
	int r = tcpip_bind(na->st, ns->sd, &a);
	if (r < 0) {
		tcpip_close(na->st, ns->sd);
		return r;
	}
	ns->svc = (struct netapp_service){ .name = "netstat", .arg = ns, .run = netstat_run };
	netapp_add_service(na, &ns->svc);
	return 0;
}

void netstat_stop(struct netstat *ns, struct netapp *na)
{
	netapp_remove_service(na, &ns->svc);
	tcpip_close(na->st, ns->sd);
	ns->sd = -1;
}
