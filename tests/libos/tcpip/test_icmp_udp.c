/*
 * ICMP echo and errors (with the rate limit), and UDP delivery, sending,
 * checks, socket matching and the filter hook.
 */
#include "harness.h"

static void test_echo_reply(void **state)
{
	struct node *n = *state;
	uint8_t f[256];
	struct pkt p;
	size_t len = build_icmp_echo(f, PEER_IP, NODE_IP, 0xbeef, 42, "hello, ping", 11);
	node_input(n, f, len, true);
	expect_frame(n, &p);
	assert_memory_equal(p.dst_mac, PEER_MAC, 6);
	assert_int_equal(p.src, NODE_IP);
	assert_int_equal(p.dst, PEER_IP);
	assert_int_equal(p.ttl, TCPIP_DEFAULT_TTL);
	assert_int_equal(p.icmp_type, ICMP_ECHO_REPLY);
	assert_int_equal(p.icmp_code, 0);
	const uint8_t *icmp = p.data - 8;
	assert_int_equal(get16(icmp + 4), 0xbeef);
	assert_int_equal(get16(icmp + 6), 42);
	assert_int_equal(p.len, 11);
	assert_memory_equal(p.data, "hello, ping", 11);
	expect_none(n);
	assert_int_equal(rxv(n, RX_ICMP_ECHO), 1);
}

static void test_echo_rejects(void **state)
{
	struct node *n = *state;
	uint8_t f[256];
	size_t len = build_icmp_echo(f, PEER_IP, NODE_IP, 1, 1, "data", 4);
	f[len - 1] ^= 0xff; /* payload corrupted: checksum fails */
	node_input(n, f, len, false);
	assert_int_equal(rxv(n, RX_ICMP_BAD_CSUM), 1);
	/* Truncated ICMP header. */
	len = build_ip(f, PEER_IP, NODE_IP, IP_PROTO_ICMP, 1, 0, (const uint8_t *)"\x08\0\0", 3);
	node_input(n, f, len, false);
	assert_int_equal(rxv(n, RX_ICMP_SHORT), 1);
	/* Broadcast echo: not answered (no smurf amplification). */
	len = build_icmp_echo(f, PEER_IP, 0xffffffffu, 1, 1, "data", 4);
	node_input(n, f, len, false);
	/* Other types are accepted and ignored. */
	len = build_icmp_echo(f, PEER_IP, NODE_IP, 1, 1, "data", 4);
	f[ETH_HLEN + IP_HLEN] = 13; /* timestamp */
	put16(f + ETH_HLEN + IP_HLEN + 2, 0);
	put16(f + ETH_HLEN + IP_HLEN + 2, cksum_fold(cksum_add(0, f + ETH_HLEN + IP_HLEN, 12)));
	node_input(n, f, len, false);
	assert_int_equal(rxv(n, RX_ICMP_OTHER), 2);
	expect_none(n);
}

static void test_port_unreachable_and_rate_limit(void **state)
{
	struct node *n = *state;
	uint8_t f[256];
	struct pkt p;
	size_t len = build_udp(f, PEER_IP, 1234, NODE_IP, 999, "nobody", 6);
	node_input(n, f, len, false);
	assert_int_equal(rxv(n, RX_UDP_NO_PORT), 1);
	expect_frame(n, &p);
	assert_int_equal(p.icmp_type, ICMP_UNREACH);
	assert_int_equal(p.icmp_code, ICMP_UNREACH_PORT);
	assert_int_equal(p.dst, PEER_IP);
	assert_int_equal(p.len, IP_HLEN + 8); /* header + 8 bytes of UDP */
	assert_memory_equal(p.data, f + ETH_HLEN, IP_HLEN + 8);
	/* Not about broadcasts. */
	len = build_udp(f, PEER_IP, 1234, TCPIP_IP4(10, 0, 0, 255), 999, "x", 1);
	node_input(n, f, len, false);
	expect_none(n);
	/* Token bucket: TCPIP_ICMP_RATE per second. */
	len = build_udp(f, PEER_IP, 1234, NODE_IP, 999, "nobody", 6);
	for (int i = 0; i < 50; i++)
		node_input(n, f, len, false);
	unsigned sent = 0;
	struct frame *fr;
	while ((fr = node_pop(n))) {
		sent++;
		free(fr);
	}
	assert_int_equal(sent, TCPIP_ICMP_RATE - 1);
	assert_int_equal(tcpip_get_stats(n->st)->ev[EV_ICMP_RATELIMITED], 50 - (TCPIP_ICMP_RATE - 1));
	h_now += 1000;
	node_input(n, f, len, false);
	expect_frame(n, &p);
	assert_int_equal(p.icmp_type, ICMP_UNREACH);
}

static int bound(struct node *n, uint32_t ip, uint16_t port)
{
	int sd = tcpip_socket(n->st, TCPIP_SOCK_DGRAM);
	assert_true(sd >= 0);
	struct tcpip_sockaddr_in a = sin_of(ip, port);
	assert_int_equal(tcpip_bind(n->st, sd, &a), 0);
	return sd;
}

static void test_udp_deliver_and_reply(void **state)
{
	struct node *n = *state;
	uint8_t f[2048], buf[2048];
	struct pkt p;
	int sd = bound(n, 0, 7);
	/* The bind installed a UDP filter for port 7. */
	const struct tcpip_filter *fl = &n->filter_log[n->nfilter_log - 1];
	assert_int_equal(fl->kind, TCPIP_FILTER_UDP);
	assert_int_equal(fl->local_port, 7);
	assert_true(n->filter_log_install[n->nfilter_log - 1]);

	size_t len = build_udp(f, PEER_IP, 5555, NODE_IP, 7, "echo me", 7);
	node_input(n, f, len, true);
	struct tcpip_sockaddr_in from;
	assert_int_equal(tcpip_recvfrom(n->st, sd, buf, sizeof buf, 0, &from), 7);
	assert_memory_equal(buf, "echo me", 7);
	assert_int_equal(tcpip_ntohl(from.sin_addr), PEER_IP);
	assert_int_equal(tcpip_ntohs(from.sin_port), 5555);
	assert_int_equal(tcpip_sendto(n->st, sd, buf, 7, 0, &from), 7);
	expect_frame(n, &p);
	assert_int_equal(p.proto, IP_PROTO_UDP);
	assert_int_equal(p.sport, 7);
	assert_int_equal(p.dport, 5555);
	assert_int_equal(p.len, 7);
	assert_memory_equal(p.data, "echo me", 7);

	/* A large datagram is held by reference until it is read. */
	uint8_t big[1000];
	for (int i = 0; i < 1000; i++)
		big[i] = (uint8_t)i;
	len = build_udp(f, PEER_IP, 5555, NODE_IP, 7, big, sizeof big);
	assert_true(node_input(n, f, len, true));
	assert_int_equal(n->cookies_out, 1);
	struct tcpip_pool_usage u;
	tcpip_pool_usage(n->st, &u);
	assert_int_equal(u.held_frames, 1);
	assert_int_equal(u.blocks, 0);
	/* Truncating read: the rest of the datagram is discarded. */
	assert_int_equal(tcpip_recv(n->st, sd, buf, 100, 0), 100);
	assert_memory_equal(buf, big, 100);
	assert_int_equal(n->cookies_out, 0);
	assert_int_equal(tcpip_recv(n->st, sd, buf, 100, 0), TCPIP_EAGAIN);

	/* Checksum zero means none (RFC 768). */
	len = build_udp(f, PEER_IP, 5555, NODE_IP, 7, "nosum", 5);
	put16(f + ETH_HLEN + IP_HLEN + 6, 0);
	node_input(n, f, len, false);
	assert_int_equal(tcpip_recv(n->st, sd, buf, sizeof buf, 0), 5);
	tcpip_close(n->st, sd);
	assert_false(n->filter_log_install[n->nfilter_log - 1]);
}

static void test_udp_malformed(void **state)
{
	struct node *n = *state;
	uint8_t f[256], buf[64];
	int sd = bound(n, 0, 7);
	size_t len = build_udp(f, PEER_IP, 5555, NODE_IP, 7, "payload", 7);
	uint8_t *u = f + ETH_HLEN + IP_HLEN;
	put16(u + 4, 40); /* longer than the IP payload */
	node_input(n, f, len, false);
	put16(u + 4, 7);  /* shorter than the header */
	node_input(n, f, len, false);
	assert_int_equal(rxv(n, RX_UDP_BAD_LEN), 2);
	len = build_udp(f, PEER_IP, 5555, NODE_IP, 7, "payload", 7);
	u[9] ^= 0x40;
	node_input(n, f, len, false);
	assert_int_equal(rxv(n, RX_UDP_BAD_CSUM), 1);
	len = build_ip(f, PEER_IP, NODE_IP, IP_PROTO_UDP, 1, 0, (const uint8_t *)"abc", 3);
	node_input(n, f, len, false);
	assert_int_equal(rxv(n, RX_UDP_SHORT), 1);
	assert_int_equal(tcpip_recv(n->st, sd, buf, sizeof buf, 0), TCPIP_EAGAIN);
	expect_none(n);
	tcpip_close(n->st, sd);
}

static void test_udp_matching_and_buffer(void **state)
{
	struct node *n = *state;
	uint8_t f[2048], buf[2048];
	int wild = bound(n, 0, 9000);
	int conn = tcpip_socket(n->st, TCPIP_SOCK_DGRAM);
	int one = 1;
	assert_int_equal(tcpip_setsockopt(n->st, conn, TCPIP_SOL_SOCKET, TCPIP_SO_REUSEADDR, &one,
					  sizeof one), 0);
	struct tcpip_sockaddr_in a = sin_of(NODE_IP, 9000);
	/* A second socket on the same port is refused. */
	assert_int_equal(tcpip_bind(n->st, conn, &a), TCPIP_EADDRINUSE);
	a = sin_of(TCPIP_IP4(10, 0, 0, 50), 9001);
	assert_int_equal(tcpip_bind(n->st, conn, &a), TCPIP_EADDRNOTAVAIL);
	tcpip_close(n->st, conn);
	conn = bound(n, NODE_IP, 9001);
	struct tcpip_sockaddr_in peer = sin_of(PEER_IP, 6000);
	assert_int_equal(tcpip_connect(n->st, conn, &peer), 0);
	size_t len = build_udp(f, PEER_IP, 6000, NODE_IP, 9001, "mine", 4);
	node_input(n, f, len, false);
	len = build_udp(f, PEER_IP, 6001, NODE_IP, 9001, "other", 5); /* wrong peer */
	node_input(n, f, len, false);
	assert_int_equal(tcpip_recv(n->st, conn, buf, sizeof buf, 0), 4);
	assert_int_equal(tcpip_recv(n->st, conn, buf, sizeof buf, 0), TCPIP_EAGAIN);
	struct pkt p;
	expect_frame(n, &p); /* the wrong peer got a port unreachable */
	assert_int_equal(p.icmp_type, ICMP_UNREACH);
	expect_none(n);
	/* The wildcard socket: fill the receive buffer, then drops. */
	int small = 4096;
	assert_int_equal(tcpip_setsockopt(n->st, wild, TCPIP_SOL_SOCKET, TCPIP_SO_RCVBUF, &small,
					  sizeof small), 0);
	memset(buf, 'z', 1000);
	for (int i = 0; i < 6; i++) {
		len = build_udp(f, PEER_IP, 6000, NODE_IP, 9000, buf, 1000);
		node_input(n, f, len, true);
	}
	assert_int_equal(rxv(n, RX_UDP_FULL), 2);
	struct tcpip_pollfd pfd = { .sd = wild, .events = TCPIP_POLLIN | TCPIP_POLLOUT };
	assert_int_equal(tcpip_poll(n->st, &pfd, 1), 1);
	assert_int_equal(pfd.revents, TCPIP_POLLIN | TCPIP_POLLOUT);
	for (int i = 0; i < 4; i++)
		assert_int_equal(tcpip_recv(n->st, wild, buf, sizeof buf, 0), 1000);
	assert_int_equal(tcpip_poll(n->st, &pfd, 1), 1);
	assert_int_equal(pfd.revents, TCPIP_POLLOUT);
	/* Broadcast needs SO_BROADCAST. */
	struct tcpip_sockaddr_in b = sin_of(0xffffffffu, 9);
	assert_int_equal(tcpip_sendto(n->st, wild, "b", 1, 0, &b), TCPIP_EINVAL);
	assert_int_equal(tcpip_setsockopt(n->st, wild, TCPIP_SOL_SOCKET, TCPIP_SO_BROADCAST, &one,
					  sizeof one), 0);
	assert_int_equal(tcpip_sendto(n->st, wild, "b", 1, 0, &b), 1);
	expect_frame(n, &p);
	assert_memory_equal(p.dst_mac, "\xff\xff\xff\xff\xff\xff", 6);
	tcpip_close(n->st, wild);
	tcpip_close(n->st, conn);
}

static void test_udp_large_send_fragments(void **state)
{
	struct node *n = *state;
	static uint8_t buf[10000];
	int sd = bound(n, 0, 9000);
	for (int i = 0; i < 5000; i++)
		buf[i] = (uint8_t)(i * 3);
	struct tcpip_sockaddr_in to = sin_of(PEER_IP, 9);
	assert_int_equal(tcpip_sendto(n->st, sd, buf, 5000, 0, &to), 5000);
	struct frame *fr;
	struct pkt p;
	int nf = 0;
	while ((fr = node_pop(n))) {
		parse_frame(fr, &p);
		assert_true(p.ipoff & IP_MF || (p.ipoff & IP_OFFMASK));
		nf++;
		free(fr);
	}
	assert_int_equal(nf, 4); /* 5008 bytes in 1480-byte pieces */
	assert_int_equal(tcpip_sendto(n->st, sd, buf, 65508, 0, &to), TCPIP_EMSGSIZE);
	tcpip_close(n->st, sd);
}

static void test_unreachable_received(void **state)
{
	struct node *n = *state;
	uint8_t f[256], buf[16];
	int sd = tcpip_socket(n->st, TCPIP_SOCK_DGRAM);
	struct tcpip_sockaddr_in to = sin_of(PEER_IP, 9);
	assert_int_equal(tcpip_connect(n->st, sd, &to), 0);
	assert_int_equal(tcpip_send(n->st, sd, "q", 1, 0), 1);
	struct pkt p;
	struct frame *sent = expect_frame(n, &p);
	/* A net unreachable (code 0) could come from any router: ignored. */
	size_t len = build_icmp_unreach(f, 0, sent);
	node_input(n, f, len, false);
	assert_int_equal(tcpip_recv(n->st, sd, buf, sizeof buf, 0), TCPIP_EAGAIN);
	len = build_icmp_unreach(f, ICMP_UNREACH_PORT, sent);
	node_input(n, f, len, false);
	assert_int_equal(rxv(n, RX_ICMP_UNREACH), 2);
	struct tcpip_pollfd pfd = { .sd = sd, .events = TCPIP_POLLIN };
	assert_int_equal(tcpip_poll(n->st, &pfd, 1), 1);
	assert_true(pfd.revents & TCPIP_POLLERR);
	assert_int_equal(tcpip_recv(n->st, sd, buf, sizeof buf, 0), TCPIP_ECONNREFUSED);
	assert_int_equal(tcpip_recv(n->st, sd, buf, sizeof buf, 0), TCPIP_EAGAIN);
	/* A truncated quote is counted and ignored. */
	len = build_icmp_unreach(f, ICMP_UNREACH_PORT, sent);
	f[ETH_HLEN + IP_HLEN + 8] = 0x4f; /* quoted header claims 60 bytes */
	put16(f + ETH_HLEN + IP_HLEN + 2, 0);
	put16(f + ETH_HLEN + IP_HLEN + 2,
	      cksum_fold(cksum_add(0, f + ETH_HLEN + IP_HLEN, len - ETH_HLEN - IP_HLEN)));
	node_input(n, f, len, false);
	assert_int_equal(tcpip_recv(n->st, sd, buf, sizeof buf, 0), TCPIP_EAGAIN);
	expect_none(n);
	tcpip_close(n->st, sd);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, node_setup_peer, node_teardown)
	const struct CMUnitTest tests[] = {
		T(test_echo_reply),
		T(test_echo_rejects),
		T(test_port_unreachable_and_rate_limit),
		T(test_udp_deliver_and_reply),
		T(test_udp_malformed),
		T(test_udp_matching_and_buffer),
		T(test_udp_large_send_fragments),
		T(test_unreachable_received),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
