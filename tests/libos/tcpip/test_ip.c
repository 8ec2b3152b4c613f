/*
 * IPv4: the checksum, header validation, options, and fragment reassembly
 * (in order, out of order, duplicates, overlaps, timeout, limits), plus
 * fragmentation on output.
 */
#include "harness.h"

static void test_checksum_rfc1071(void **state)
{
	(void)state;
	/* RFC 1071 4.1's example: the sum of these bytes is 0xddf2. */
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	assert_int_equal(cksum_fold(cksum_add(0, b, sizeof b)), (uint16_t)~0xddf2);
	/* Odd length: the last byte is padded with zero on the right. */
	static const uint8_t c[] = { 0x12, 0x34, 0x56 };
	assert_int_equal(cksum_fold(cksum_add(0, c, 3)), (uint16_t)~(0x1234 + 0x5600));
	/* Chaining at even offsets equals one pass; a correct header sums to 0. */
	uint8_t f[128];
	size_t len = build_ip(f, PEER_IP, NODE_IP, 99, 1, 0, NULL, 0);
	assert_int_equal(len, 34);
	assert_int_equal(cksum_fold(cksum_add(0, f + ETH_HLEN, IP_HLEN)), 0);
	uint32_t s = cksum_add(cksum_add(0, f + ETH_HLEN, 8), f + ETH_HLEN + 8, 12);
	assert_int_equal(cksum_fold(s), 0);
	/* Carries fold: 0xffff words. */
	uint8_t ff[64];
	memset(ff, 0xff, sizeof ff);
	assert_int_equal(cksum_fold(cksum_add(0, ff, sizeof ff)), 0);
}

static size_t echo(uint8_t *f, uint16_t seq)
{
	return build_icmp_echo(f, PEER_IP, NODE_IP, 1, seq, "abcdefgh", 8);
}

static void test_header_validation(void **state)
{
	struct node *n = *state;
	uint8_t f[256], g[256];
	size_t len = echo(f, 1);
	struct pkt p;

#define MUTATE(stmt, verdict) do { \
		memcpy(g, f, len); \
		uint8_t *h = g + ETH_HLEN; \
		(void)h; \
		stmt; \
		uint64_t before = rxv(n, verdict); \
		node_input(n, g, glen, false); \
		assert_int_equal(rxv(n, verdict), before + 1); \
		expect_none(n); \
	} while (0)
	size_t glen = len;
	MUTATE(h[0] = 0x65, RX_IP_BAD_VERSION);
	MUTATE(h[0] = 0x44, RX_IP_BAD_HLEN);
	MUTATE(h[0] = 0x4f, RX_IP_SHORT); /* 60-byte header in a shorter frame */
	MUTATE(put16(h + 2, 19), RX_IP_BAD_LEN);
	MUTATE(put16(h + 2, 200), RX_IP_SHORT);
	MUTATE(h[10] ^= 1, RX_IP_BAD_CSUM);
	glen = ETH_HLEN + 10;
	MUTATE((void)0, RX_IP_SHORT);
	glen = len;
	/* Sources that must never be answered. */
	static const uint32_t bad_src[] = { 0xffffffffu, TCPIP_IP4(10, 0, 0, 255),
					    TCPIP_IP4(224, 0, 0, 1), TCPIP_IP4(127, 0, 0, 1),
					    NODE_IP, 0 };
	for (unsigned i = 0; i < sizeof bad_src / sizeof bad_src[0]; i++) {
		size_t l = build_icmp_echo(g, bad_src[i], NODE_IP, 1, 1, "x", 1);
		uint64_t before = rxv(n, RX_IP_BAD_SRC);
		node_input(n, g, l, false);
		assert_int_equal(rxv(n, RX_IP_BAD_SRC), before + 1);
	}
	size_t l = build_icmp_echo(g, PEER_IP, TCPIP_IP4(10, 0, 0, 9), 1, 1, "x", 1);
	node_input(n, g, l, false);
	assert_int_equal(rxv(n, RX_IP_NOT_US), 1);
	expect_none(n);
	/* Link padding after the datagram is ignored. */
	memcpy(g, f, len);
	memset(g + len, 0xee, 20);
	node_input(n, g, len + 20, false);
	expect_frame(n, &p);
	assert_int_equal(p.icmp_type, ICMP_ECHO_REPLY);
	assert_int_equal(p.len, 8);
	node_assert_counters_add_up(n);
}

static void test_unknown_protocol(void **state)
{
	struct node *n = *state;
	uint8_t f[128];
	struct pkt p;
	size_t len = build_ip(f, PEER_IP, NODE_IP, 200, 1, 0, (const uint8_t *)"payload!", 8);
	node_input(n, f, len, false);
	assert_int_equal(rxv(n, RX_IP_BAD_PROTO), 1);
	expect_frame(n, &p);
	assert_int_equal(p.icmp_type, ICMP_UNREACH);
	assert_int_equal(p.icmp_code, 2);
	/* It quotes our header and the first 8 bytes. */
	assert_int_equal(p.len, IP_HLEN + 8);
	assert_memory_equal(p.data, f + ETH_HLEN, IP_HLEN + 8);
}

static void test_options_skipped(void **state)
{
	struct node *n = *state;
	uint8_t f[256];
	struct pkt p;
	uint8_t m[16];
	m[0] = ICMP_ECHO;
	m[1] = 0;
	put16(m + 2, 0);
	put32(m + 4, 0x00010002);
	memcpy(m + 8, "optopt!!", 8);
	put16(m + 2, cksum_fold(cksum_add(0, m, 16)));
	/* NOP, record route (type 7, len 7, ptr 4, one slot), EOL padding. */
	static const uint8_t good[] = { 1, 7, 7, 4, 0, 0, 0, 0, 0, 0, 0, 0 };
	size_t len = build_ip_opts(f, PEER_IP, NODE_IP, IP_PROTO_ICMP, 1, 0, good, sizeof good,
				   m, 16);
	node_input(n, f, len, false);
	expect_frame(n, &p);
	assert_int_equal(p.icmp_type, ICMP_ECHO_REPLY);
	assert_int_equal(p.len, 8);
	assert_memory_equal(p.data, "optopt!!", 8);

	static const uint8_t bad[][4] = {
		{ 7, 0, 0, 0 },  /* length 0 */
		{ 7, 1, 0, 0 },  /* length 1 */
		{ 1, 7, 9, 4 },  /* runs past the header */
		{ 1, 1, 1, 68 }, /* type without room for a length */
	};
	for (unsigned i = 0; i < 4; i++) {
		len = build_ip_opts(f, PEER_IP, NODE_IP, IP_PROTO_ICMP, 1, 0, bad[i], 4, m, 16);
		node_input(n, f, len, false);
		assert_int_equal(rxv(n, RX_IP_BAD_OPTIONS), i + 1);
	}
	expect_none(n);
}

/* A UDP datagram to port 5000 with len payload bytes: seg gets header+data. */
static size_t udp_segment(uint8_t *seg, size_t len)
{
	for (size_t i = 0; i < len; i++)
		seg[UDP_HLEN + i] = (uint8_t)(i * 7 + i / 251);
	udp_fill(seg, PEER_IP, 4000, NODE_IP, 5000, (uint32_t)(UDP_HLEN + len));
	return UDP_HLEN + len;
}

static void send_frag(struct node *n, uint16_t id, const uint8_t *seg, size_t off,
		      size_t len, bool more)
{
	static uint8_t f[2048];
	uint16_t field = (uint16_t)(off / 8) | (more ? IP_MF : 0);
	size_t fl = build_ip(f, PEER_IP, NODE_IP, IP_PROTO_UDP, id, field, seg + off, len);
	node_input(n, f, fl, true);
}

static int udp_sock(struct node *n)
{
	int sd = tcpip_socket(n->st, TCPIP_SOCK_DGRAM);
	struct tcpip_sockaddr_in a = sin_of(0, 5000);
	assert_int_equal(tcpip_bind(n->st, sd, &a), 0);
	return sd;
}

static void expect_datagram(struct node *n, int sd, size_t len)
{
	static uint8_t buf[70000], seg[70000];
	udp_segment(seg, len);
	struct tcpip_sockaddr_in from;
	long got = tcpip_recvfrom(n->st, sd, buf, sizeof buf, 0, &from);
	assert_int_equal(got, (long)len);
	assert_memory_equal(buf, seg + UDP_HLEN, len);
	assert_int_equal(tcpip_ntohs(from.sin_port), 4000);
	assert_int_equal(tcpip_recvfrom(n->st, sd, buf, sizeof buf, 0, NULL), TCPIP_EAGAIN);
}

static void test_reass_in_order(void **state)
{
	struct node *n = *state;
	static uint8_t seg[8000];
	int sd = udp_sock(n);
	size_t tot = udp_segment(seg, 3000);
	send_frag(n, 11, seg, 0, 1480, true);
	send_frag(n, 11, seg, 1480, 1480, true);
	assert_int_equal(tcpip_recv(n->st, sd, seg, 1, 0), TCPIP_EAGAIN);
	udp_segment(seg, 3000);
	send_frag(n, 11, seg, 2960, tot - 2960, false);
	expect_datagram(n, sd, 3000);
	assert_int_equal(rxv(n, RX_IP_FRAG_HELD), 3);
	assert_int_equal(evv(n, EV_IP_REASS_OK), 1);
	assert_int_equal(rxv(n, RX_UDP_OK), 1);
	node_assert_counters_add_up(n);
	tcpip_close(n->st, sd);
}

static void test_reass_out_of_order_small_pieces(void **state)
{
	struct node *n = *state;
	static uint8_t seg[8000];
	int sd = udp_sock(n);
	size_t tot = udp_segment(seg, 2000);
	/* 16 pieces of 128 bytes (the last shorter), fed in a shuffled order. */
	static const int order[] = { 5, 0, 15, 9, 3, 12, 1, 7, 14, 2, 11, 6, 10, 4, 13, 8 };
	for (int k = 0; k < 16; k++) {
		size_t off = (size_t)order[k] * 128;
		size_t len = off + 128 < tot ? 128 : tot - off;
		send_frag(n, 12, seg, off, len, off + len < tot);
	}
	expect_datagram(n, sd, 2000);
	tcpip_close(n->st, sd);
}

static void test_reass_duplicate(void **state)
{
	struct node *n = *state;
	static uint8_t seg[8000];
	int sd = udp_sock(n);
	size_t tot = udp_segment(seg, 2000);
	send_frag(n, 13, seg, 0, 1000, true);
	send_frag(n, 13, seg, 0, 1000, true);  /* exact duplicate */
	send_frag(n, 13, seg, 0, 504, true);   /* covered by what is held */
	assert_int_equal(rxv(n, RX_IP_FRAG_BAD), 2);
	send_frag(n, 13, seg, 1000, tot - 1000, false);
	expect_datagram(n, sd, 2000);
	tcpip_close(n->st, sd);
}

static void test_reass_overlap_discards(void **state)
{
	struct node *n = *state;
	static uint8_t seg[8000];
	int sd = udp_sock(n);
	size_t tot = udp_segment(seg, 2000);
	send_frag(n, 14, seg, 0, 1000, true);
	send_frag(n, 14, seg, 800, 800, true); /* overlaps 800..1000 */
	struct tcpip_pool_usage u;
	tcpip_pool_usage(n->st, &u);
	assert_int_equal(u.reass_slots, 0);
	assert_int_equal(u.blocks, 0);
	/* The rest alone never completes a datagram. */
	send_frag(n, 14, seg, 1000, tot - 1000, false);
	assert_int_equal(tcpip_recv(n->st, sd, seg, 10, 0), TCPIP_EAGAIN);
	/* Contradicting total lengths discard as well. */
	send_frag(n, 14, seg, 1000 + 8, tot - 1000, false);
	tcpip_pool_usage(n->st, &u);
	assert_int_equal(u.reass_slots, 0);
	tcpip_close(n->st, sd);
}

static void test_reass_timeout(void **state)
{
	struct node *n = *state;
	static uint8_t seg[8000];
	struct pkt p;
	int sd = udp_sock(n);
	udp_segment(seg, 2000);
	send_frag(n, 15, seg, 0, 1000, true);
	assert_int_equal(tcpip_next_deadline(n->st), h_now + TCPIP_REASS_TIMEOUT_MS);
	node_advance(n, TCPIP_REASS_TIMEOUT_MS - 1);
	expect_none(n);
	node_advance(n, 1);
	assert_int_equal(evv(n, EV_IP_REASS_TIMEOUT), 1);
	/* Time exceeded, fragment reassembly (RFC 792 code 1). */
	expect_frame(n, &p);
	assert_int_equal(p.icmp_type, ICMP_TIME_EXCEEDED);
	assert_int_equal(p.icmp_code, 1);
	assert_int_equal(p.len, IP_HLEN + 8);
	struct tcpip_pool_usage u;
	tcpip_pool_usage(n->st, &u);
	assert_int_equal(u.reass_slots, 0);
	assert_int_equal(u.blocks, 0);
	/* Without fragment 0 the timeout is silent. */
	send_frag(n, 16, seg, 1000, 1000, true);
	node_advance(n, TCPIP_REASS_TIMEOUT_MS);
	expect_none(n);
	tcpip_close(n->st, sd);
}

static void test_reass_limits(void **state)
{
	struct node *n = *state;
	static uint8_t seg[70000];
	int sd = udp_sock(n);
	size_t tot = udp_segment(seg, 3000);
	/* More datagrams in progress than slots: the oldest is evicted. */
	for (uint16_t id = 100; id < 100 + TCPIP_REASS_SLOTS + 1; id++) {
		send_frag(n, id, seg, 0, 1480, true);
		h_now++;
	}
	struct tcpip_pool_usage u;
	tcpip_pool_usage(n->st, &u);
	assert_int_equal(u.reass_slots, TCPIP_REASS_SLOTS);
	send_frag(n, 100, seg, 1480, tot - 1480, false); /* its start was evicted */
	assert_int_equal(tcpip_recv(n->st, sd, seg, 10, 0), TCPIP_EAGAIN);
	udp_segment(seg, 3000);
	send_frag(n, 104, seg, 1480, tot - 1480, false); /* the newest completes */
	expect_datagram(n, sd, 3000);
	ip_reass_flush(n->st);

	/* Beyond 65535 bytes (ping of death) and misaligned pieces. */
	uint64_t bad = rxv(n, RX_IP_FRAG_BAD);
	send_frag(n, 200, seg, 65528, 100, false);
	send_frag(n, 201, seg, 0, 1001, true);
	send_frag(n, 202, seg, 8, 0, true);
	assert_int_equal(rxv(n, RX_IP_FRAG_BAD), bad + 3);

	/* The largest datagram reassembles; two at once exceed the block
	 * budget and the second is dropped. */
	tot = udp_segment(seg, 65507);
	for (size_t off = 0; off < tot; off += 1480)
		send_frag(n, 300, seg, off, TCPIP_MIN(1480, tot - off), off + 1480 < tot);
	expect_datagram(n, sd, 65507);
	tot = udp_segment(seg, 65507);
	for (size_t off = 0; off + 1480 < tot; off += 1480)
		send_frag(n, 301, seg, off, 1480, true);
	bad = rxv(n, RX_IP_FRAG_BAD);
	for (size_t off = 0; off + 1480 < tot; off += 1480)
		send_frag(n, 302, seg, off, 1480, true);
	assert_true(rxv(n, RX_IP_FRAG_BAD) > bad);
	tcpip_pool_usage(n->st, &u);
	assert_true(n->st->reass_blocks <= TCPIP_REASS_BLOCKS);
	node_assert_counters_add_up(n);
	tcpip_close(n->st, sd);
}

static void test_big_ping_fragmented_reply(void **state)
{
	struct node *n = *state;
	static uint8_t m[5000], out[5000];
	size_t dlen = 4000;
	m[0] = ICMP_ECHO;
	m[1] = 0;
	put16(m + 2, 0);
	put32(m + 4, 0x12340001);
	for (size_t i = 0; i < dlen; i++)
		m[8 + i] = (uint8_t)(i ^ 0x5a);
	put16(m + 2, cksum_fold(cksum_add(0, m, 8 + dlen)));
	static uint8_t f[2048];
	for (size_t off = 0; off < 8 + dlen; off += 1480) {
		size_t len = TCPIP_MIN(1480, 8 + dlen - off);
		uint16_t field = (uint16_t)(off / 8) | (off + len < 8 + dlen ? IP_MF : 0);
		size_t fl = build_ip(f, PEER_IP, NODE_IP, IP_PROTO_ICMP, 77, field, m + off, len);
		node_input(n, f, fl, false);
	}
	assert_int_equal(rxv(n, RX_ICMP_ECHO), 1);
	/* The reply comes back in fragments; put them together here. */
	size_t got = 0;
	struct frame *fr;
	struct pkt p;
	int nfrag = 0;
	while ((fr = node_pop(n))) {
		parse_frame(fr, &p);
		assert_int_equal(p.proto, IP_PROTO_ICMP);
		size_t off = (size_t)(p.ipoff & IP_OFFMASK) * 8;
		memcpy(out + off, p.data, p.len);
		got += p.len;
		nfrag++;
		free(fr);
	}
	assert_int_equal(nfrag, 3);
	assert_int_equal(got, 8 + dlen);
	assert_int_equal(out[0], ICMP_ECHO_REPLY);
	assert_int_equal(cksum_fold(cksum_add(0, out, got)), 0);
	assert_memory_equal(out + 4, m + 4, 4 + dlen);
	assert_int_equal(evv(n, EV_IP_FRAG_SENT), 3);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, node_setup_peer, node_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum_rfc1071),
		T(test_header_validation),
		T(test_unknown_protocol),
		T(test_options_skipped),
		T(test_reass_in_order),
		T(test_reass_out_of_order_small_pieces),
		T(test_reass_duplicate),
		T(test_reass_overlap_discards),
		T(test_reass_timeout),
		T(test_reass_limits),
		T(test_big_ping_fragmented_reply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
