/*
 * ARP: gratuitous announcement, replies, learning rules, resolution with a
 * pending queue, retries and failure, expiry, eviction, malformed packets.
 */
#include "harness.h"

static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t ZERO[6];

static int udp_to(struct node *n, uint32_t ip, const char *msg)
{
	int sd = tcpip_socket(n->st, TCPIP_SOCK_DGRAM);
	assert_true(sd >= 0);
	struct tcpip_sockaddr_in to = sin_of(ip, 9);
	assert_int_equal(tcpip_sendto(n->st, sd, msg, strlen(msg), 0, &to), strlen(msg));
	return sd;
}

static void test_gratuitous_at_start(void **state)
{
	(void)state;
	struct node *n = node_new(NODE_MAC, NODE_IP, false);
	struct pkt p;
	tcpip_start(n->st);
	expect_frame(n, &p);
	assert_int_equal(p.ethtype, ETH_TYPE_ARP);
	assert_int_equal(p.arp_op, ARP_OP_REQUEST);
	assert_int_equal(p.arp_spa, NODE_IP);
	assert_int_equal(p.arp_tpa, NODE_IP);
	assert_memory_equal(p.dst_mac, BCAST, 6);
	assert_memory_equal(p.arp_sha, NODE_MAC, 6);
	expect_none(n);
	/* The base filters: ARP, ICMP and fragments to our address. */
	assert_int_equal(n->filters_active, 3);
	assert_int_equal(n->filter_log[0].kind, TCPIP_FILTER_ARP);
	node_free(n);
}

static void test_reply_and_learn(void **state)
{
	struct node *n = *state;
	uint8_t f[64], mac[6];
	struct pkt p;
	size_t len = build_arp(f, ARP_OP_REQUEST, PEER_MAC, PEER_IP, ZERO, NODE_IP, BCAST);
	node_input(n, f, len, true);
	expect_frame(n, &p);
	assert_int_equal(p.arp_op, ARP_OP_REPLY);
	assert_int_equal(p.arp_spa, NODE_IP);
	assert_int_equal(p.arp_tpa, PEER_IP);
	assert_memory_equal(p.arp_tha, PEER_MAC, 6);
	assert_memory_equal(p.dst_mac, PEER_MAC, 6);
	assert_memory_equal(p.src_mac, NODE_MAC, 6);
	expect_none(n);
	assert_true(tcpip_arp_lookup(n->st, PEER_IP, mac));
	assert_memory_equal(mac, PEER_MAC, 6);
	assert_int_equal(rxv(n, RX_ARP_OK), 1);
}

static void test_not_for_us_not_learned(void **state)
{
	struct node *n = *state;
	uint8_t f[64], mac[6];
	size_t len = build_arp(f, ARP_OP_REQUEST, PEER_MAC, PEER_IP, ZERO,
			       TCPIP_IP4(10, 0, 0, 77), BCAST);
	node_input(n, f, len, false);
	expect_none(n);
	assert_false(tcpip_arp_lookup(n->st, PEER_IP, mac));
	assert_int_equal(rxv(n, RX_ARP_IGNORED), 1);
	/* But an existing entry is updated by any packet from that host. */
	node_learn_peer(n);
	const uint8_t newmac[6] = { 0x02, 9, 9, 9, 9, 9 };
	len = build_arp(f, ARP_OP_REQUEST, newmac, PEER_IP, ZERO, TCPIP_IP4(10, 0, 0, 77), BCAST);
	node_input(n, f, len, false);
	assert_true(tcpip_arp_lookup(n->st, PEER_IP, mac));
	assert_memory_equal(mac, newmac, 6);
}

static void test_resolution_with_pending_queue(void **state)
{
	struct node *n = *state;
	struct pkt p;
	uint8_t f[64];
	int sd = udp_to(n, PEER_IP, "first");
	expect_frame(n, &p);
	assert_int_equal(p.ethtype, ETH_TYPE_ARP);
	assert_int_equal(p.arp_op, ARP_OP_REQUEST);
	assert_int_equal(p.arp_tpa, PEER_IP);
	assert_memory_equal(p.dst_mac, BCAST, 6);
	expect_none(n);
	/* More datagrams wait; the queue keeps the newest TCPIP_ARP_PENDING. */
	struct tcpip_sockaddr_in to = sin_of(PEER_IP, 9);
	char msg[16];
	for (int i = 0; i < 5; i++) {
		snprintf(msg, sizeof msg, "m%d", i);
		assert_int_equal(tcpip_sendto(n->st, sd, msg, strlen(msg), 0, &to), strlen(msg));
	}
	expect_none(n); /* no second request while one is outstanding */
	assert_int_equal(evv(n, EV_ARP_QUEUE_DROP), 6 - TCPIP_ARP_PENDING);
	size_t len = build_arp(f, ARP_OP_REPLY, PEER_MAC, PEER_IP, NODE_MAC, NODE_IP, NODE_MAC);
	node_input(n, f, len, false);
	for (int i = 6 - TCPIP_ARP_PENDING; i < 6; i++) {
		expect_frame(n, &p);
		assert_int_equal(p.proto, IP_PROTO_UDP);
		assert_memory_equal(p.dst_mac, PEER_MAC, 6);
		snprintf(msg, sizeof msg, "m%d", i - 1);
		if (i == 0)
			strcpy(msg, "first");
		assert_int_equal(p.len, strlen(msg));
		assert_memory_equal(p.data, msg, p.len);
	}
	expect_none(n);
	/* Resolved: the next datagram goes straight out. */
	assert_int_equal(tcpip_sendto(n->st, sd, "x", 1, 0, &to), 1);
	expect_frame(n, &p);
	assert_int_equal(p.proto, IP_PROTO_UDP);
	tcpip_close(n->st, sd);
}

static void test_resolution_fails_after_retries(void **state)
{
	struct node *n = *state;
	struct pkt p;
	int sd = udp_to(n, PEER_IP, "lost");
	expect_frame(n, &p);
	assert_int_equal(p.arp_op, ARP_OP_REQUEST);
	assert_int_equal(tcpip_next_deadline(n->st), h_now + TCPIP_ARP_RETRY_MS);
	for (int i = 1; i < TCPIP_ARP_TRIES; i++) {
		node_advance(n, TCPIP_ARP_RETRY_MS - 1);
		expect_none(n);
		node_advance(n, 1);
		expect_frame(n, &p);
		assert_int_equal(p.arp_op, ARP_OP_REQUEST);
		assert_int_equal(p.arp_tpa, PEER_IP);
	}
	node_advance(n, TCPIP_ARP_RETRY_MS);
	expect_none(n);
	assert_int_equal(evv(n, EV_ARP_TIMEOUT), 1);
	assert_int_equal(evv(n, EV_ARP_QUEUE_DROP), 1);
	struct tcpip_pool_usage u;
	tcpip_pool_usage(n->st, &u);
	assert_int_equal(u.arp_entries, 0);
	assert_int_equal(u.blocks, 0);
	assert_int_equal(tcpip_next_deadline(n->st), UINT64_MAX);
	tcpip_close(n->st, sd);
}

static void test_entry_expires(void **state)
{
	struct node *n = *state;
	struct pkt p;
	uint8_t mac[6];
	node_learn_peer(n);
	assert_true(tcpip_arp_lookup(n->st, PEER_IP, mac));
	node_advance(n, TCPIP_ARP_TTL_MS - 1);
	assert_true(tcpip_arp_lookup(n->st, PEER_IP, mac));
	node_advance(n, 1);
	assert_false(tcpip_arp_lookup(n->st, PEER_IP, mac));
	int sd = udp_to(n, PEER_IP, "again");
	expect_frame(n, &p);
	assert_int_equal(p.ethtype, ETH_TYPE_ARP);
	assert_int_equal(p.arp_tpa, PEER_IP);
	tcpip_close(n->st, sd);
}

static void test_offlink_goes_to_gateway(void **state)
{
	struct node *n = *state;
	struct pkt p;
	int sd = udp_to(n, TCPIP_IP4(8, 8, 8, 8), "far");
	expect_frame(n, &p);
	assert_int_equal(p.ethtype, ETH_TYPE_ARP);
	assert_int_equal(p.arp_tpa, GW_IP);
	tcpip_close(n->st, sd);
}

static void test_malformed(void **state)
{
	struct node *n = *state;
	uint8_t f[64], mac[6];
	size_t len = build_arp(f, ARP_OP_REQUEST, PEER_MAC, PEER_IP, ZERO, NODE_IP, BCAST);

	node_input(n, f, ETH_HLEN + 27, false); /* truncated */
	uint8_t g[64];
	memcpy(g, f, len);
	put16(g + ETH_HLEN, 6); /* htype */
	node_input(n, g, len, false);
	memcpy(g, f, len);
	g[ETH_HLEN + 4] = 8; /* hlen */
	node_input(n, g, len, false);
	memcpy(g, f, len);
	put16(g + ETH_HLEN + 6, 3); /* op */
	node_input(n, g, len, false);
	assert_int_equal(rxv(n, RX_ARP_MALFORMED), 4);
	len = build_arp(f, ARP_OP_REQUEST, (const uint8_t[6]){ 0x01, 0, 0x5e, 0, 0, 1 }, PEER_IP,
			ZERO, NODE_IP, BCAST);
	node_input(n, f, len, false);
	len = build_arp(f, ARP_OP_REQUEST, PEER_MAC, 0xffffffffu, ZERO, NODE_IP, BCAST);
	node_input(n, f, len, false);
	len = build_arp(f, ARP_OP_REQUEST, PEER_MAC, TCPIP_IP4(10, 0, 0, 255), ZERO, NODE_IP,
			BCAST);
	node_input(n, f, len, false);
	assert_int_equal(rxv(n, RX_ARP_BAD_ADDR), 3);
	expect_none(n);
	assert_false(tcpip_arp_lookup(n->st, PEER_IP, mac));
}

static void test_conflict_defended(void **state)
{
	struct node *n = *state;
	uint8_t f[64];
	struct pkt p;
	size_t len = build_arp(f, ARP_OP_REPLY, PEER_MAC, NODE_IP, ZERO, NODE_IP, BCAST);
	node_input(n, f, len, false);
	assert_int_equal(evv(n, EV_ARP_CONFLICT), 1);
	expect_frame(n, &p);
	assert_int_equal(p.arp_spa, NODE_IP);
	assert_int_equal(p.arp_tpa, NODE_IP);
	uint8_t mac[6];
	assert_false(tcpip_arp_lookup(n->st, NODE_IP, mac));
}

static void test_full_cache_evicts_oldest(void **state)
{
	struct node *n = *state;
	uint8_t f[64], mac[6];
	for (unsigned i = 0; i <= TCPIP_ARP_ENTRIES; i++) {
		uint8_t m[6] = { 0x02, 1, 0, 0, 0, (uint8_t)(i + 10) };
		size_t len = build_arp(f, ARP_OP_REQUEST, m, TCPIP_IP4(10, 0, 0, 10 + i), ZERO,
				       NODE_IP, BCAST);
		node_input(n, f, len, false);
		h_now += 10;
	}
	node_drain(n);
	assert_false(tcpip_arp_lookup(n->st, TCPIP_IP4(10, 0, 0, 10), mac));
	for (unsigned i = 1; i <= TCPIP_ARP_ENTRIES; i++)
		assert_true(tcpip_arp_lookup(n->st, TCPIP_IP4(10, 0, 0, 10 + i), mac));
}

static char dump[4096];
static size_t dump_len;
static void collect(void *arg, const char *s, size_t len)
{
	(void)arg;
	assert_true(dump_len + len < sizeof dump);
	memcpy(dump + dump_len, s, len);
	dump_len += len;
	dump[dump_len] = 0;
}

static void test_dump(void **state)
{
	struct node *n = *state;
	node_learn_peer(n);
	dump_len = 0;
	tcpip_dump_arp(n->st, collect, NULL);
	assert_non_null(strstr(dump, "10.0.0.2 02:00:00:00:00:02 valid"));
	dump_len = 0;
	tcpip_dump_stats(n->st, collect, NULL);
	assert_non_null(strstr(dump, "rx: arp processed 1"));
	assert_non_null(strstr(dump, "ip: 10.0.0.1 mask 255.255.255.0 gw 10.0.0.254 static"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gratuitous_at_start),
#define T(f) cmocka_unit_test_setup_teardown(f, node_setup, node_teardown)
		T(test_reply_and_learn),
		T(test_not_for_us_not_learned),
		T(test_resolution_with_pending_queue),
		T(test_resolution_fails_after_retries),
		T(test_entry_expires),
		T(test_offlink_goes_to_gateway),
		T(test_malformed),
		T(test_conflict_defended),
		T(test_full_cache_evicts_oldest),
		T(test_dump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
