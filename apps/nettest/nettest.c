/*
 * nettest (nettest.h): common pieces and the receive-side roles.
 *
 *   role=rx port=P count=N arp=M [upcall=1]   bind UDP port P (and ARP
 *       if M > 0), ask the peer for N datagrams, M ARP requests and 5
 *       decoys to an unbound port; receive exactly those (each once,
 *       intact), nothing else, and find the counters in the bookkeeping
 *       window agreeing; with upcall=1 also take EXO_SIG_PACKET upcalls.
 *   role=refuse port=P             P is another env's: overlapping,
 *       broad and catch-all filters, bad bytecode, bad handles and
 *       devices are refused with the documented errors.
 *   role=bind port=P               binding P succeeds (its old owner died).
 */
#include <string.h>

#include <exo/errno.h>
#include <fmt.h>
#include <libos/args.h>
#include <libos/libos.h>

#include "nettest.h"

int failures;
struct netinfo me;

long arg_num(int argc, char **argv, const char *key, long dflt)
{
	const char *v = arg_value(argc, argv, key);
	long n = 0;

	if (v == NULL || *v == '\0')
		return dflt;
	for (; *v >= '0' && *v <= '9'; v++)
		n = n * 10 + (*v - '0');
	return n;
}

uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

const uint8_t *udp_of(const uint8_t *f, size_t len)
{
	if (len < 14 + 20 + 8 || rd16(f + 12) != 0x0800 || f[23] != 17)
		return NULL;
	size_t ihl = (size_t)(f[14] & 0xf) * 4;
	if (ihl < 20 || len < 14 + ihl + 8)
		return NULL;
	return f + 14 + ihl;
}

/* RFC 1071 checksum of the IPv4 header. */
static uint16_t ip_cksum(const uint8_t *h, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < n; i += 2)
		sum += rd16(h + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t udp_frame(uint8_t *f, const uint8_t dmac[6], uint32_t dip, uint16_t sport,
		 uint16_t dport, uint16_t ipid, const uint8_t *data, size_t n)
{
	memcpy(f, dmac, 6);
	memcpy(f + 6, me.mac, 6);
	wr16(f + 12, 0x0800);
	uint8_t *ip = f + 14;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	wr16(ip + 2, (uint16_t)(20 + 8 + n));
	wr16(ip + 4, ipid);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, &me.ip, 4);
	memcpy(ip + 16, &dip, 4);
	wr16(ip + 10, ip_cksum(ip, 20));
	uint8_t *u = ip + 20;
	wr16(u, sport);
	wr16(u + 2, dport);
	wr16(u + 4, (uint16_t)(8 + n));
	wr16(u + 6, 0);     /* no checksum (RFC 768) */
	memcpy(u + 8, data, n);
	return 14 + 20 + 8 + n;
}

int ctl_open(struct net_ring *r)
{
	uint8_t prog[256];
	int err = net_ring_open(r, 5);

	if (err < 0)
		return err;
	size_t len = net_filter_udp(prog, sizeof(prog), me.ip, CTL_PORT);
	long h = net_bind(r, me.dev, prog, len);
	return h < 0 ? (int)h : 0;
}

int ctl_wait(struct net_ring *r, const char *word, long ticks, char *buf,
	     size_t cap, uint8_t mac[6])
{
	long end = sys_ticks() + ticks;
	size_t wl = strlen(word);

	while (sys_ticks() < end) {
		const struct exo_pktslot *s = net_recv(r, end - sys_ticks());
		if (s == NULL)
			break;
		const uint8_t *u = udp_of(s->data, s->len);
		int hit = 0;
		if (u) {
			size_t n = rd16(u + 4) >= 8 ? rd16(u + 4) - 8u : 0;
			const uint8_t *d = u + 8;
			if (d + n > s->data + s->len)
				n = (size_t)(s->data + s->len - d);
			if (n >= wl && memcmp(d, word, wl) == 0) {
				hit = 1;
				n = n < cap - 1 ? n : cap - 1;
				memcpy(buf, d, n);
				buf[n] = 0;
				if (mac)
					memcpy(mac, s->data + 6, 6);
			}
		}
		net_recv_done(r);
		if (hit)
			return 1;
	}
	return 0;
}

struct exo_nic_ring ring_stats(void)
{
	const volatile struct exo_nic_ring *v = &net_book()->dev[me.dev].ring[0];
	struct exo_nic_ring a, b;

	do {
		memcpy(&a, (const void *)v, sizeof(a));
		memcpy(&b, (const void *)v, sizeof(b));
	} while (memcmp(&a, &b, sizeof(a)) != 0);
	return a;
}

int ring_adds_up(const struct exo_nic_ring *s)
{
	return s->received == s->delivered + s->unmatched + s->dropped;
}

/* ---- role=rx ------------------------------------------------------------ */

/* Is this ARP request the peer's "who has me"? */
static int is_our_arp(const uint8_t *f, size_t len)
{
	return len >= 42 && rd16(f + 12) == 0x0806 && memcmp(f + 38, &me.ip, 4) == 0;
}

static volatile uint64_t packet_upcalls;
static volatile int64_t upcall_ring;

static void on_packet(int64_t ring, uint64_t filter)
{
	(void)filter;
	upcall_ring = ring;
	packet_upcalls++;
}

/* The sequence number in a "seq=N" payload, or -1. */
static long seq_of(const uint8_t *u, const uint8_t *end)
{
	const uint8_t *d = u + 8;
	long n = 0;

	if (end - d < 5 || memcmp(d, "seq=", 4) != 0)
		return -1;
	for (d += 4; d < end && *d >= '0' && *d <= '9'; d++)
		n = n * 10 + (*d - '0');
	return n;
}

int role_rx(int argc, char **argv)
{
	long port = arg_num(argc, argv, "port", 7001);
	long count = arg_num(argc, argv, "count", 20);
	long arps = arg_num(argc, argv, "arp", 0);
	static uint8_t seen[1024];
	uint8_t prog[256];
	struct net_ring r;

	CHECK(count <= 1024, "count %ld too large\n", count);
	CHECK(net_ring_open(&r, 17) == 0, "ring setup\n");
	if (failures)
		return failures;
	size_t len = net_filter_udp(prog, sizeof(prog), me.ip, (uint16_t)port);
	long fu = net_bind(&r, me.dev, prog, len), fa = 0;
	CHECK(fu >= 0, "bind UDP %ld: %ld (%s)\n", port, fu, r.hdr->last_error);
	if (arps) {
		len = net_filter_arp(prog, sizeof(prog), me.ip);
		fa = net_bind(&r, me.dev, prog, len);
		CHECK(fa >= 0, "bind ARP: %ld (%s)\n", fa, r.hdr->last_error);
	}
	if (failures)
		return failures;
	int upcalls = arg_num(argc, argv, "upcall", 0) != 0;
	if (upcalls)
		CHECK(net_ring_upcall(&r, on_packet) == 0, "packet upcalls\n");
	sys_sleep((unsigned long)arg_num(argc, argv, "hold", 0));
	struct exo_nic_ring before = ring_stats();
	printf("nettest: rx: bound UDP port %ld%s; asking for %ld + %ld\n", port,
	       arps ? " and ARP" : "", count, arps);
	printf("@peer udp %ld %ld\n", port, count);
	if (arps)
		printf("@peer arp %ld\n", arps);
	printf("@peer udp %ld 5\n", port + 100);   /* decoys: nobody's port */

	long got = 0, got_arp = 0, bad = 0, end = sys_ticks() + 20000;
	uint32_t fname = 0;
	while ((got < count || got_arp < arps) && sys_ticks() < end) {
		const struct exo_pktslot *s = net_recv(&r, end - sys_ticks());
		if (s == NULL)
			break;
		const uint8_t *u = udp_of(s->data, s->len);
		long q;
		if (u && rd16(u + 2) == port &&
		    (q = seq_of(u, s->data + s->len)) >= 0 && q < count && !seen[q]) {
			seen[q] = 1;
			got++;
			fname = s->filter;
		} else if (arps && is_our_arp(s->data, s->len)) {
			got_arp++;
		} else {
			bad++;
		}
		net_recv_done(&r);
	}
	/* Anything after that is one too many. */
	const struct exo_pktslot *extra = net_recv(&r, 1500);
	CHECK(extra == NULL, "an extra frame of %u bytes arrived\n", extra ? extra->len : 0);
	CHECK(got == count, "UDP: %ld of %ld datagrams\n", got, count);
	CHECK(got_arp == arps, "ARP: %ld of %ld requests\n", got_arp, arps);
	CHECK(bad == 0, "%ld frames that are not ours\n", bad);
	CHECK(r.hdr->dropped == 0, "ring dropped %lu\n", (unsigned long)r.hdr->dropped);

	struct exo_nic_ring after = ring_stats();
	const struct exo_nic_filter *bf = &net_book()->filter[EXO_NAME_INDEXOF(fname)];
	CHECK(bf->delivered == (uint64_t)count, "filter counter says %lu delivered\n",
	      (unsigned long)bf->delivered);
	CHECK(ring_adds_up(&after), "ring counters do not add up\n");
	CHECK(after.unmatched - before.unmatched >= 5, "decoys not counted as unmatched\n");
	CHECK(after.filters >= (arps ? 2u : 1u) && after.jit_bytes > 0,
	      "ring shows %u filters, %u JIT bytes\n", after.filters, after.jit_bytes);
	printf("nettest: rx: %ld UDP + %ld ARP received; ring: received %lu = "
	       "delivered %lu + unmatched %lu + dropped %lu; %u filters, JIT %u bytes\n",
	       got, got_arp, (unsigned long)after.received, (unsigned long)after.delivered,
	       (unsigned long)after.unmatched, (unsigned long)after.dropped,
	       after.filters, after.jit_bytes);
	if (upcalls) {
		/* Upcalls that arrive while one is pending merge, so at least one,
		 * at most one per frame, all naming this ring. */
		CHECK(packet_upcalls >= 1 && packet_upcalls <= (uint64_t)(count + arps),
		      "%lu packet upcalls\n", (unsigned long)packet_upcalls);
		CHECK(upcall_ring == r.handle, "upcall named ring %ld\n", (long)upcall_ring);
		printf("nettest: rx: %lu packet upcalls\n", (unsigned long)packet_upcalls);
	}
		CHECK(net_unbind(fu) == 0, "release the UDP filter\n");
	CHECK(bf->owner == 0, "released filter still in the bookkeeping\n");
	CHECK(net_ring_close(&r) == 0, "release the ring\n");
	return failures;
}

/* ---- role=refuse / role=bind -------------------------------------------- */

int role_refuse(int argc, char **argv)
{
	long port = arg_num(argc, argv, "port", 7001);
	uint8_t prog[256];
	static const char junk[] = "this is not DPF bytecode";
	struct net_ring r;
	long h;

	CHECK(net_ring_open(&r, 3) == 0, "ring setup\n");
	if (failures)
		return failures;
	size_t len = net_filter_udp(prog, sizeof(prog), me.ip, (uint16_t)port);
	h = net_bind(&r, me.dev, prog, len);
	CHECK(h == -EXO_EBUSY, "another env's port %ld: %ld\n", port, h);
	printf("nettest: refuse: same filter as another env: %ld (%s)\n", h, r.hdr->last_error);
	len = net_filter_ethertype(prog, sizeof(prog), 0x0800);
	h = net_bind(&r, me.dev, prog, len);
	CHECK(h == -EXO_EBUSY, "all of IPv4: %ld\n", h);
	printf("nettest: refuse: all IPv4 (overlaps): %ld (%s)\n", h, r.hdr->last_error);
	len = net_filter_all(prog, sizeof(prog));
	h = net_bind(&r, me.dev, prog, len);
	CHECK(h == -EXO_EPERM, "catch-all without the capability: %ld\n", h);
	printf("nettest: refuse: catch-all: %ld (%s)\n", h, r.hdr->last_error);
	h = net_bind(&r, me.dev, junk, sizeof(junk));
	CHECK(h == -EXO_EINVAL, "junk bytecode: %ld\n", h);
	printf("nettest: refuse: junk bytecode: %ld (%s)\n", h, r.hdr->last_error);
	len = net_filter_udp(prog, sizeof(prog), me.ip, (uint16_t)(port + 1));
	CHECK(sys_net_filter_bind(9999, me.dev, prog, len, 0) == -EXO_EBADF, "bad ring handle\n");
	CHECK(sys_net_filter_bind(r.handle, 3, prog, len, 0) == -EXO_ENODEV, "bad device\n");
	CHECK(sys_net_filter_bind(r.handle, me.dev, prog, len, 1 << 20) == -EXO_EINVAL, "bad flags\n");
	CHECK(sys_net_filter_bind(r.handle, me.dev, (void *)0x10, len, 0) == -EXO_EFAULT, "bad pointer\n");
	CHECK(sys_net_filter_bind(r.handle, me.dev, prog, 0, 0) == -EXO_EINVAL, "empty program\n");
	CHECK(sys_net_ring_setup((void *)0x1000, 4) == -EXO_EFAULT, "ring on unmapped pages\n");
	CHECK(sys_net_ring_setup((void *)EXO_BOOK_BASE, 2) < 0, "ring on the bookkeeping window\n");
	CHECK(sys_net_ring_setup(r.base, 3) == -EXO_EBUSY, "ring on another ring's pages\n");
	CHECK(sys_net_ring_setup(r.base + 1, 3) == -EXO_EINVAL, "unaligned ring\n");
	CHECK(sys_net_ring_setup(r.base, 1) == -EXO_EINVAL, "ring of one page\n");
	h = net_bind(&r, me.dev, prog, len);
	CHECK(h >= 0, "a disjoint port %ld: %ld (%s)\n", port + 1, h, r.hdr->last_error);
	CHECK(net_unbind(h) == 0, "release\n");
	CHECK(net_unbind(h) == -EXO_EBADF, "release twice\n");
	CHECK(net_ring_close(&r) == 0, "release the ring\n");
	printf("nettest: refuse: %d failures\n", failures);
	return failures;
}

int role_bind(int argc, char **argv)
{
	long port = arg_num(argc, argv, "port", 7001);
	uint8_t prog[256];
	struct net_ring r;

	CHECK(net_ring_open(&r, 3) == 0, "ring setup\n");
	if (failures)
		return failures;
	size_t len = net_filter_udp(prog, sizeof(prog), me.ip, (uint16_t)port);
	long h = net_bind(&r, me.dev, prog, len);
	CHECK(h >= 0, "port %ld should be free again: %ld (%s)\n", port, h, r.hdr->last_error);
	printf("nettest: bind: port %ld: %ld\n", port, h);
	/* Leave the filter bound: exit releases it with everything else. */
	return failures;
}

/* ---- role=revokee --------------------------------------------------------- */

static void ignore_revocation(int64_t handle, uint64_t name, uint64_t deadline)
{
	(void)handle, (void)name, (void)deadline;
}

/*
 * Bind port P, send the filter's handle and name to the parent (which asks
 * for it back: revoke_demand by name, or test_ctl by handle), and watch it
 * go: released by the default revocation
 * handler in time (cooperative), or with ignore=1 taken by the abort
 * protocol and recorded in the repossession vector.
 */
int role_revokee(int argc, char **argv)
{
	long port = arg_num(argc, argv, "port", 7003);
	int forced = arg_num(argc, argv, "ignore", 0) != 0;
	const struct exo_book_env *self = book_self();
	uint16_t tag = (uint16_t)(self - exo_book()->env + 1);
	uint8_t prog[256];
	struct net_ring r;

	if (forced)
		bind_signal(REVOC_REQ, ignore_revocation);
	CHECK(net_ring_open(&r, 3) == 0, "ring setup\n");
	if (failures)
		return failures;
	size_t len = net_filter_udp(prog, sizeof(prog), me.ip, (uint16_t)port);
	long h = net_bind(&r, me.dev, prog, len);
	CHECK(h >= 0, "bind: %ld\n", h);
	int slot = -1;
	for (int i = 0; i < EXO_NIC_NFILTER; i++)
		if (net_book()->filter[i].owner == tag)
			slot = i;
	CHECK(slot >= 0, "my filter is not in the bookkeeping window\n");
	if (failures)
		return failures;
	uint32_t filters0 = ring_stats().filters;
	uint64_t coop0 = self->revoked_coop, repo0 = self->repo_count;
	sys_ipc_send(book_parent_id(), h,
		     EXO_NAME(EXO_RES_FILTER, (uint32_t)slot));
	long end = sys_ticks() + 5000;
	while (net_book()->filter[slot].owner == tag && sys_ticks() < end)
		sys_sleep(5);
	CHECK(net_book()->filter[slot].owner == 0, "the filter was not revoked\n");
	CHECK(net_unbind(h) == -EXO_EBADF, "the handle should be gone\n");
	CHECK(ring_stats().filters == filters0 - 1, "the trie still has %u filters\n",
	      ring_stats().filters);
	if (forced)
		CHECK(self->repo_count == repo0 + 1 &&
		      self->repo[repo0 % EXO_REPO_MAX].name == EXO_NAME(EXO_RES_FILTER, (uint32_t)slot),
		      "no repossession recorded\n");
	else
		CHECK(self->revoked_coop == coop0 + 1, "not counted as cooperative\n");
	printf("nettest: revokee: filter %d %s\n", slot,
	       forced ? "taken by the abort protocol" : "released on request");
	CHECK(net_ring_close(&r) == 0, "release the ring\n");
	return failures;
}

static const struct {
	const char *name;
	int (*run)(int, char **);
} roles[] = {
	{ "revokee", role_revokee },
	{ "rx", role_rx }, { "refuse", role_refuse }, { "bind", role_bind },
	{ "tx", role_tx }, { "replay", role_replay }, { "flood", role_flood },
	{ "pps", role_pps }, { "member", role_member }, { "shrefuse", role_shrefuse },
};

int main(int argc, char **argv, char **envp)
{
	const char *role = arg_value(argc, argv, "role");
	const struct exo_book_nic *nic = net_book();

	(void)envp;
	if (nic->magic != EXO_NIC_MAGIC || nic->ndev == 0 || nic->dev[0].ip == 0) {
		printf("nettest: no NIC, or no ip= on the kernel command line\n");
		return 1;
	}
	me.dev = 0;
	me.ip = nic->dev[0].ip;
	memcpy(me.mac, nic->dev[0].mac, 6);
	for (size_t i = 0; role && i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(role, roles[i].name) == 0) {
			int f = roles[i].run(argc, argv);
			printf("nettest: role %s: %s\n", role, f ? "FAILED" : "ok");
			return f != 0;
		}
	printf("nettest: unknown role '%s'\n", role ? role : "");
	return 1;
}
