/*
 * Test harness implementation (see harness.h).
 */
#include "harness.h"

uint64_t h_now = 1000;
const uint8_t PEER_MAC[6] = { 0x02, 0, 0, 0, 0, 0x02 };
const uint8_t NODE_MAC[6] = { 0x02, 0, 0, 0, 0, 0x01 };

uint32_t prng_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

static uint64_t env_now(void *ctx)
{
	(void)ctx;
	return h_now;
}

static uint32_t env_random(void *ctx)
{
	return prng_next(&((struct node *)ctx)->rng);
}

static void env_output(void *ctx, const void *frame, size_t len)
{
	struct node *n = ctx;
	struct frame *f = malloc(sizeof *f + len);

	assert_non_null(f);
	assert_true(len >= 60 && len <= ETH_HLEN + TCPIP_MTU);
	f->next = NULL;
	f->len = len;
	f->due = 0;
	memcpy(f->data, frame, len);
	if (n->txtail)
		n->txtail->next = f;
	else
		n->txq = f;
	n->txtail = f;
	n->ntx++;
}

static void env_release(void *ctx, void *cookie)
{
	struct node *n = ctx;
	n->cookies_out--;
	assert_true(n->cookies_out >= 0);
	free(cookie);
}

static void log_filter(struct node *n, const struct tcpip_filter *f, bool install)
{
	if (n->nfilter_log < MAX_FILTER_LOG) {
		n->filter_log[n->nfilter_log] = *f;
		n->filter_log_install[n->nfilter_log++] = install;
	}
}

static int env_filter_install(void *ctx, const struct tcpip_filter *f)
{
	struct node *n = ctx;
	if (n->filter_refuse == f->kind + 1)
		return -1;
	n->filters_active++;
	log_filter(n, f, true);
	return 0;
}

static void env_filter_remove(void *ctx, const struct tcpip_filter *f)
{
	struct node *n = ctx;
	n->filters_active--;
	assert_true(n->filters_active >= 0);
	log_filter(n, f, false);
}

static void env_sock_event(void *ctx, int sd)
{
	struct node *n = ctx;
	assert_true(sd >= 0 && sd < TCPIP_NSOCK);
	n->sock_events++;
}

static void env_ip_changed(void *ctx)
{
	((struct node *)ctx)->ip_changes++;
}

struct node *node_new(const uint8_t mac[6], uint32_t ip, bool dhcp)
{
	struct node *n = calloc(1, sizeof *n);
	assert_non_null(n);
	memcpy(n->mac, mac, 6);
	n->ip = ip;
	n->rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)ip << 7) ^ mac[5];
	struct tcpip_env env = {
		.ctx = n, .now_ms = env_now, .random = env_random, .output = env_output,
		.rx_release = env_release, .filter_install = env_filter_install,
		.filter_remove = env_filter_remove, .sock_event = env_sock_event,
		.ip_changed = env_ip_changed,
	};
	struct tcpip_config cfg = { .dhcp = dhcp, .ip = ip, .netmask = MASK, .gateway = GW_IP };
	memcpy(cfg.mac, mac, 6);
	size_t size = tcpip_state_size();
	void *mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	assert_non_null(mem);
	n->st = tcpip_init(mem, size, &cfg, &env);
	assert_non_null(n->st);
	return n;
}

struct node *node_std(void)
{
	struct node *n = node_new(NODE_MAC, NODE_IP, false);
	tcpip_start(n->st);
	node_drain(n);
	return n;
}

void node_assert_baseline(struct node *n)
{
	struct tcpip_pool_usage u;
	tcpip_pool_usage(n->st, &u);
	/* ARP entries hold no buffers once resolved; pending ones do. */
	assert_int_equal(u.reass_slots, 0);
	assert_int_equal(u.tcp_pcbs, 0);
	assert_int_equal(u.sockets, 0);
	assert_int_equal(u.held_frames, 0);
	assert_int_equal(n->cookies_out, 0);
	assert_int_equal(u.pbufs, 0);
	assert_int_equal(u.blocks, 0);
}

void node_free(struct node *n)
{
	if (!n)
		return;
	tcpip_stop(n->st);
	node_assert_baseline(n);
	struct tcpip_pool_usage u;
	tcpip_pool_usage(n->st, &u);
	assert_int_equal(u.arp_entries, 0);
	assert_int_equal(n->filters_active, 0);
	node_drain(n);
	free(n->st);
	free(n);
}

bool node_input(struct node *n, const void *frame, size_t len, bool with_cookie)
{
	if (!with_cookie || !frame)
		return tcpip_input(n->st, frame, len, NULL);
	void *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, frame, len);
	n->cookies_out++;
	bool kept = tcpip_input(n->st, copy, len, copy);
	if (!kept) {
		n->cookies_out--;
		free(copy);
	}
	return kept;
}

struct frame *node_pop(struct node *n)
{
	struct frame *f = n->txq;
	if (f) {
		n->txq = f->next;
		if (!n->txq)
			n->txtail = NULL;
		f->next = NULL;
	}
	return f;
}

void node_drain(struct node *n)
{
	struct frame *f;
	while ((f = node_pop(n)))
		free(f);
}

void node_advance(struct node *n, uint64_t ms)
{
	h_now += ms;
	tcpip_tick(n->st);
}

size_t build_eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, type);
	return ETH_HLEN;
}

size_t build_arp(uint8_t *f, uint16_t op, const uint8_t sha[6], uint32_t spa,
		 const uint8_t tha[6], uint32_t tpa, const uint8_t dst[6])
{
	build_eth(f, dst, sha, ETH_TYPE_ARP);
	struct arp_pkt *a = (struct arp_pkt *)(f + ETH_HLEN);
	put16(a->htype, 1);
	put16(a->ptype, ETH_TYPE_IPV4);
	a->hlen = 6;
	a->plen = 4;
	put16(a->op, op);
	memcpy(a->sha, sha, 6);
	put32(a->spa, spa);
	memcpy(a->tha, tha, 6);
	put32(a->tpa, tpa);
	return ETH_HLEN + sizeof *a;
}

size_t build_ip_opts(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto, uint16_t id,
		     uint16_t off, const uint8_t *opts, size_t optlen,
		     const uint8_t *payload, size_t len)
{
	size_t hlen = IP_HLEN + optlen;
	build_eth(f, NODE_MAC, PEER_MAC, ETH_TYPE_IPV4);
	uint8_t *h = f + ETH_HLEN;
	h[0] = (uint8_t)(0x40 | hlen / 4);
	h[1] = 0;
	put16(h + 2, (uint16_t)(hlen + len));
	put16(h + 4, id);
	put16(h + 6, off);
	h[8] = 64;
	h[9] = proto;
	put16(h + 10, 0);
	put32(h + 12, src);
	put32(h + 16, dst);
	if (optlen)
		memcpy(h + IP_HLEN, opts, optlen);
	put16(h + 10, cksum_fold(cksum_add(0, h, hlen)));
	if (len)
		memmove(h + hlen, payload, len);
	return ETH_HLEN + hlen + len;
}

size_t build_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto, uint16_t id,
		uint16_t off, const uint8_t *payload, size_t len)
{
	return build_ip_opts(f, src, dst, proto, id, off, NULL, 0, payload, len);
}

size_t build_udp(uint8_t *f, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
		 const void *data, size_t len)
{
	uint8_t *seg = malloc(UDP_HLEN + len);
	memcpy(seg + UDP_HLEN, data, len);
	udp_fill(seg, src, sport, dst, dport, (uint32_t)(UDP_HLEN + len));
	size_t n = build_ip(f, src, dst, IP_PROTO_UDP, 1, 0, seg, UDP_HLEN + len);
	free(seg);
	return n;
}

size_t build_icmp_echo(uint8_t *f, uint32_t src, uint32_t dst, uint16_t id, uint16_t seq,
		       const void *data, size_t len)
{
	uint8_t *m = malloc(8 + len);
	m[0] = ICMP_ECHO;
	m[1] = 0;
	put16(m + 2, 0);
	put16(m + 4, id);
	put16(m + 6, seq);
	memcpy(m + 8, data, len);
	put16(m + 2, cksum_fold(cksum_add(0, m, 8 + len)));
	size_t n = build_ip(f, src, dst, IP_PROTO_ICMP, 7, 0, m, 8 + len);
	free(m);
	return n;
}

size_t build_icmp_unreach(uint8_t *f, uint8_t code, const struct frame *quoted)
{
	uint8_t m[8 + 60 + 8];
	const uint8_t *ip = quoted->data + ETH_HLEN;
	size_t qlen = (size_t)(ip[0] & 15) * 4 + 8;
	memset(m, 0, 8);
	m[0] = ICMP_UNREACH;
	m[1] = code;
	memcpy(m + 8, ip, qlen);
	put16(m + 2, cksum_fold(cksum_add(0, m, 8 + qlen)));
	return build_ip(f, PEER_IP, NODE_IP, IP_PROTO_ICMP, 9, 0, m, 8 + qlen);
}

size_t build_tcp(uint8_t *f, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
		 uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
		 const struct tcp_opts *o, const void *data, size_t len)
{
	uint8_t seg[TCP_HLEN + 40 + 2048];
	size_t hlen = TCP_HLEN;
	assert_true(len <= 2048);
	memset(seg, 0, sizeof seg);
	put16(seg, sport);
	put16(seg + 2, dport);
	put32(seg + 4, seq);
	put32(seg + 8, ack);
	seg[13] = flags;
	put16(seg + 14, wnd);
	if (o && o->mss) {
		seg[hlen] = TCPOPT_MSS;
		seg[hlen + 1] = 4;
		put16(seg + hlen + 2, o->mss);
		hlen += 4;
	}
	if (o && o->wscale >= 0) {
		seg[hlen] = TCPOPT_NOP;
		seg[hlen + 1] = TCPOPT_WSCALE;
		seg[hlen + 2] = 3;
		seg[hlen + 3] = (uint8_t)o->wscale;
		hlen += 4;
	}
	seg[12] = (uint8_t)((hlen / 4) << 4);
	if (len)
		memcpy(seg + hlen, data, len);
	put16(seg + 16, cksum_fold(cksum_add(cksum_pseudo(src, dst, IP_PROTO_TCP,
							  (uint32_t)(hlen + len)), seg, hlen + len)));
	return build_ip(f, src, dst, IP_PROTO_TCP, 3, 0, seg, hlen + len);
}

void peer_tcp(struct node *n, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
	      uint8_t flags, uint16_t wnd, const struct tcp_opts *o, const void *data,
	      size_t len)
{
	uint8_t f[2200];
	size_t fl = build_tcp(f, PEER_IP, sport, NODE_IP, dport, seq, ack, flags, wnd, o,
			      data, len);
	node_input(n, f, fl, true);
}

void node_learn_peer(struct node *n)
{
	uint8_t f[64];
	static const uint8_t zero[6];
	size_t len = build_arp(f, ARP_OP_REQUEST, PEER_MAC, PEER_IP, zero, NODE_IP,
			       (const uint8_t[6]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff });
	node_input(n, f, len, false);
	node_drain(n);
}

int node_setup(void **state)
{
	*state = node_std();
	return 0;
}

int node_setup_peer(void **state)
{
	struct node *n = node_std();
	node_learn_peer(n);
	*state = n;
	return 0;
}

int node_teardown(void **state)
{
	node_free(*state);
	return 0;
}

void node_assert_counters_add_up(struct node *n)
{
	const struct tcpip_stats *s = tcpip_get_stats(n->st);
	uint64_t sum = 0;
	for (unsigned i = 0; i < TCPIP_RX_N; i++)
		sum += s->rx[i];
	assert_int_equal(sum, s->ev[EV_RX_FRAMES] + s->ev[EV_IP_REASS_OK]);
}

void parse_frame(const struct frame *fr, struct pkt *p)
{
	const uint8_t *f = fr->data;
	memset(p, 0, sizeof *p);
	p->wscale = -1;
	assert_true(fr->len >= 60);
	memcpy(p->dst_mac, f, 6);
	memcpy(p->src_mac, f + 6, 6);
	p->ethtype = get16(f + 12);
	if (p->ethtype == ETH_TYPE_ARP) {
		const struct arp_pkt *a = (const void *)(f + ETH_HLEN);
		p->arp_op = get16(a->op);
		p->arp_spa = get32(a->spa);
		p->arp_tpa = get32(a->tpa);
		memcpy(p->arp_sha, a->sha, 6);
		memcpy(p->arp_tha, a->tha, 6);
		return;
	}
	assert_int_equal(p->ethtype, ETH_TYPE_IPV4);
	const uint8_t *h = f + ETH_HLEN;
	size_t hlen = (size_t)(h[0] & 15) * 4, tot = get16(h + 2);
	assert_int_equal(h[0] >> 4, 4);
	assert_true(tot <= fr->len - ETH_HLEN);
	assert_int_equal(cksum_fold(cksum_add(0, h, hlen)), 0);
	p->src = get32(h + 12);
	p->dst = get32(h + 16);
	p->proto = h[9];
	p->ttl = h[8];
	p->ipid = get16(h + 4);
	p->ipoff = get16(h + 6);
	const uint8_t *l4 = h + hlen;
	size_t l4len = tot - hlen;
	if (p->ipoff & (IP_MF | IP_OFFMASK)) {
		p->data = l4;
		p->len = l4len;
		return;
	}
	if (p->proto == IP_PROTO_ICMP) {
		assert_int_equal(cksum_fold(cksum_add(0, l4, l4len)), 0);
		p->icmp_type = l4[0];
		p->icmp_code = l4[1];
		p->data = l4 + 8;
		p->len = l4len - 8;
	} else if (p->proto == IP_PROTO_UDP) {
		assert_int_equal(cksum_fold(cksum_add(cksum_pseudo(p->src, p->dst, IP_PROTO_UDP,
								   (uint32_t)l4len), l4, l4len)), 0);
		p->sport = get16(l4);
		p->dport = get16(l4 + 2);
		assert_int_equal(get16(l4 + 4), l4len);
		p->data = l4 + 8;
		p->len = l4len - 8;
	} else if (p->proto == IP_PROTO_TCP) {
		assert_int_equal(cksum_fold(cksum_add(cksum_pseudo(p->src, p->dst, IP_PROTO_TCP,
								   (uint32_t)l4len), l4, l4len)), 0);
		p->sport = get16(l4);
		p->dport = get16(l4 + 2);
		p->seq = get32(l4 + 4);
		p->ack = get32(l4 + 8);
		p->flags = l4[13];
		p->wnd = get16(l4 + 14);
		size_t off = (size_t)(l4[12] >> 4) * 4;
		for (size_t i = TCP_HLEN; i < off;) {
			if (l4[i] == TCPOPT_EOL)
				break;
			if (l4[i] == TCPOPT_NOP) {
				i++;
				continue;
			}
			if (l4[i] == TCPOPT_MSS)
				p->mss = get16(l4 + i + 2);
			if (l4[i] == TCPOPT_WSCALE)
				p->wscale = l4[i + 2];
			i += l4[i + 1];
		}
		p->data = l4 + off;
		p->len = l4len - off;
	}
}

static struct frame *last_frame;

struct frame *expect_frame(struct node *n, struct pkt *p)
{
	free(last_frame);
	last_frame = node_pop(n);
	assert_non_null(last_frame);
	parse_frame(last_frame, p);
	return last_frame;
}

void expect_tcp(struct node *n, struct pkt *p)
{
	expect_frame(n, p);
	assert_int_equal(p->ethtype, ETH_TYPE_IPV4);
	assert_int_equal(p->proto, IP_PROTO_TCP);
}

void expect_none(struct node *n)
{
	struct frame *f = node_pop(n);
	if (f) {
		struct pkt p;
		parse_frame(f, &p);
		fprintf(stderr, "unexpected frame: type %04x proto %u flags %02x seq %u len %zu\n",
			p.ethtype, p.proto, p.flags, p.seq, p.len);
		free(f);
		fail();
	}
}

struct tcpip_sockaddr_in sin_of(uint32_t ip, uint16_t port)
{
	struct tcpip_sockaddr_in a = { .sin_family = TCPIP_AF_INET };
	a.sin_port = tcpip_htons(port);
	a.sin_addr = tcpip_htonl(ip);
	return a;
}

/* The classic pcap file format: a 24-byte global header, then records of a
 * 16-byte header (ts_sec, ts_usec, incl_len, orig_len) and incl_len bytes.
 * The magic tells the byte order (and micro/nanosecond stamps). */
int pcap_foreach(const char *path, void (*fn)(void *arg, const uint8_t *p, size_t len),
		 void *arg)
{
	FILE *fp = fopen(path, "rb");
	uint8_t gh[24], rh[16];
	if (!fp)
		return -1;
	if (fread(gh, 1, 24, fp) != 24) {
		fclose(fp);
		return -1;
	}
	uint32_t magic = (uint32_t)gh[0] | (uint32_t)gh[1] << 8 | (uint32_t)gh[2] << 16 |
			 (uint32_t)gh[3] << 24;
	bool swap;
	if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
		swap = false;
	else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
		swap = true;
	else {
		fclose(fp);
		return -1;
	}
	int count = 0;
	uint8_t *buf = malloc(262144);
	while (fread(rh, 1, 16, fp) == 16) {
		uint32_t incl = swap ? get32(rh + 8)
				     : (uint32_t)rh[8] | (uint32_t)rh[9] << 8 |
					       (uint32_t)rh[10] << 16 | (uint32_t)rh[11] << 24;
		if (incl > 262144)
			break; /* corrupt record length: stop reading this file */
		if (fread(buf, 1, incl, fp) != incl)
			break;
		fn(arg, buf, incl);
		count++;
	}
	free(buf);
	fclose(fp);
	return count;
}

/* Repair the IPv4 and transport checksums of a frame, if it parses. */
void fix_checksums(uint8_t *f, size_t len)
{
	if (len < ETH_HLEN + IP_HLEN || get16(f + 12) != ETH_TYPE_IPV4)
		return;
	uint8_t *h = f + ETH_HLEN;
	size_t hlen = (size_t)(h[0] & 15) * 4, tot = get16(h + 2);
	if (hlen < IP_HLEN || hlen > len - ETH_HLEN)
		return;
	put16(h + 10, 0);
	put16(h + 10, cksum_fold(cksum_add(0, h, hlen)));
	if (tot < hlen || tot > len - ETH_HLEN || (get16(h + 6) & (IP_MF | IP_OFFMASK)))
		return;
	uint8_t *l4 = h + hlen;
	size_t n = tot - hlen;
	uint32_t src = get32(h + 12), dst = get32(h + 16);
	if (h[9] == IP_PROTO_TCP && n >= TCP_HLEN) {
		put16(l4 + 16, 0);
		put16(l4 + 16, cksum_fold(cksum_add(cksum_pseudo(src, dst, 6, (uint32_t)n), l4, n)));
	} else if (h[9] == IP_PROTO_UDP && n >= UDP_HLEN) {
		put16(l4 + 6, 0);
		put16(l4 + 6, cksum_fold(cksum_add(cksum_pseudo(src, dst, 17, (uint32_t)n), l4, n)));
	} else if (h[9] == IP_PROTO_ICMP && n >= 4) {
		put16(l4 + 2, 0);
		put16(l4 + 2, cksum_fold(cksum_add(0, l4, n)));
	}
}
