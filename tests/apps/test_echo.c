/*
 * udpecho and tcpecho on the real stack, with a second stack as the client
 * over the simulated link (simnet.h):
 *  - 10,000 UDP datagrams of varied sizes (some fragmented), each checked;
 *  - 5 MB each way through tcpecho at once over a link with 5% loss, 25%
 *    reordering and 5 ms delay, byte-exact;
 *  - 1000 sequential connections, after which tcpecho's table and the
 *    stack's pools and tables are back at their baseline;
 *  - a client that stops reading: tcpecho stops reading too (flow
 *    control), and nothing is lost when the client reads again.
 */
#include "simnet.h"
#include "../../libos/tcpip/priv.h"

#include "../../apps/tcpecho/tcpecho.h"
#include "../../apps/udpecho/udpecho.h"

static void test_udp_10000(void **state)
{
	(void)state;
	struct simnet *sn = simnet_new(1, 0, 0, 1);
	struct udpecho *u = calloc(1, sizeof *u);
	assert_int_equal(udpecho_start(u, sim_server(sn), 7), 0);
	struct netapp *c = sim_client(sn);
	int sd = tcpip_socket(c->st, TCPIP_SOCK_DGRAM);
	struct tcpip_sockaddr_in to = sim_addr(SIM_SERVER_IP, 7), from;
	static uint8_t out[4000], in[4000];

	for (unsigned i = 0; i < 10000; i++) {
		/* 1..1472 bytes; every 100th datagram 3000 bytes, which IP
		 * fragments and the server reassembles (and the reply too). */
		size_t len = i % 100 == 99 ? 3000 : 1 + (i * 97) % 1472;
		for (size_t k = 0; k < len; k++)
			out[k] = sim_pattern(i, k);
		assert_int_equal(tcpip_sendto(c->st, sd, out, len, 0, &to), (long)len);
		long n = netapp_recvfrom(c, sd, in, sizeof in, &from, 1000);
		if (n != (long)len || memcmp(in, out, len) != 0)
			fail_msg("datagram %u: %ld bytes back, %zu sent", i, n, len);
		assert_int_equal(from.sin_port, tcpip_htons(7));
		assert_int_equal(from.sin_addr, tcpip_htonl(SIM_SERVER_IP));
	}
	assert_int_equal(u->echoed, 10000);
	assert_int_equal(u->send_errors, 0);
	tcpip_close(c->st, sd);
	udpecho_stop(u, sim_server(sn));
	simnet_free(sn);
	free(u);
}

static void dump(void *arg, const char *text, size_t len)
{
	fprintf(stderr, "side %d: %.*s", *(int *)arg, (int)len, text);
}

/* Both ends' connections, with the sequence state (relative to the ISNs)
 * that tells why nothing moves. */
static void report_stall(struct simnet *sn)
{
	for (int i = 0; i < 2; i++) {
		tcpip_dump_conns(sn->side[i].na.st, dump, &i);
		for (unsigned k = 0; k < TCPIP_NTCP; k++) {
			struct tcp_pcb *q = &sn->side[i].na.st->tcp[k];
			if (q->state != TCP_ESTABLISHED)
				continue;
			fprintf(stderr, "side %d: snd una %u nxt %u max %u wnd %u | rcv nxt %u "
				"adv %u | rto %u nrexmit %u persist %u\n", i,
				q->snd_una - q->iss, q->snd_nxt - q->iss, q->snd_max - q->iss,
				q->snd_wnd, q->rcv_nxt - q->irs, q->rcv_adv - q->irs, q->rto,
				q->nrexmit, q->persist_ms);
		}
	}
}

/* Send total bytes of pattern 1 and read them back checked. */
static void echo_stream(struct simnet *sn, int sd, size_t total, size_t chunk)
{
	struct netapp *c = sim_client(sn);
	static uint8_t buf[65536];
	size_t sent = 0, got = 0;
	bool shut = false;

	for (;;) {
		struct tcpip_pollfd p = { .sd = sd, .events = TCPIP_POLLIN };
		if (sent < total)
			p.events |= TCPIP_POLLOUT;
		if (netapp_poll(c, &p, 1, 120000) <= 0) {
			report_stall(sn);
			fail_msg("stalled: %zu sent, %zu echoed", sent, got);
		}
		assert_false(p.revents & (TCPIP_POLLERR | TCPIP_POLLNVAL));
		if (sent < total && (p.revents & TCPIP_POLLOUT)) {
			size_t len = total - sent < chunk ? total - sent : chunk;
			for (size_t k = 0; k < len; k++)
				buf[k] = sim_pattern(1, sent + k);
			long w = tcpip_send(c->st, sd, buf, len, 0);
			assert_true(w > 0 || w == TCPIP_EAGAIN);
			if (w > 0)
				sent += (size_t)w;
		}
		if (sent == total && !shut) {
			assert_int_equal(tcpip_shutdown(c->st, sd, TCPIP_SHUT_WR), 0);
			shut = true;
		}
		long r = tcpip_recv(c->st, sd, buf, sizeof buf, 0);
		if (r == TCPIP_EAGAIN)
			continue;
		assert_true(r >= 0);
		if (r == 0)
			break;
		for (long k = 0; k < r; k++)
			if (buf[k] != sim_pattern(1, got + (size_t)k))
				fail_msg("byte %zu differs", got + (size_t)k);
		got += (size_t)r;
	}
	assert_int_equal(got, total);
	assert_int_equal(tcpip_close(c->st, sd), 0);
}

static void test_tcp_5mb_lossy(void **state)
{
	(void)state;
	struct simnet *sn = simnet_new(5, 5, 25, 5);
	struct tcpecho *t = calloc(1, sizeof *t);
	assert_int_equal(tcpecho_start(t, sim_server(sn), 7), 0);
	struct tcpip_pool_usage base;
	tcpip_pool_usage(sim_server(sn)->st, &base);

	echo_stream(sn, sim_connect(sn, 7), 5u << 20, 16384);
	simnet_run(sn, 70000);   /* TIME-WAIT on the client, stragglers */
	assert_int_equal(t->active, 0);
	assert_int_equal(t->bytes, 5u << 20);
	assert_int_equal(t->resets, 0);
	sim_assert_rest(sim_server(sn), base.sockets, base.tcp_pcbs);
	print_message("tcp 5 MB: %lu frames, %lu lost, %lu reordered, %llu ms virtual\n",
		      sn->sent, sn->lost, sn->reordered, (unsigned long long)sn->now);
	tcpecho_stop(t, sim_server(sn));
	simnet_free(sn);
	free(t);
}

/*
 * Regression for a stack bug this test found (fixed in libos/tcpip/tcp_ack.c):
 * with data queued both ways over a lossy link an echo connection stopped
 * for ever. An ACK that advanced SND.UNA in a segment that may not update
 * the window (its SEQ older than SND.WL1, a retransmission) left SND.WND
 * unchanged, so the usable right edge SND.UNA + SND.WND moved past the one
 * the peer had offered, and the client sent beyond the server's window.
 * Its pure ACKs then carried SEQ = SND.MAX beyond the server's RCV.NXT while
 * the server's window was zero: unacceptable, so the server never took
 * their ACK field and kept retransmitting what the client had, the RTO
 * backing off to 60 s. Seeds 1-3 all hit it (most of 1-30 did).
 */
static void test_tcp_echo_zero_window_deadlock(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct simnet *sn = simnet_new(seed, 5, 25, 5);
		struct tcpecho *t = calloc(1, sizeof *t);
		assert_int_equal(tcpecho_start(t, sim_server(sn), 7), 0);
		echo_stream(sn, sim_connect(sn, 7), 5u << 20, 16384);
		simnet_run(sn, 70000);
		tcpecho_stop(t, sim_server(sn));
		simnet_free(sn);
		free(t);
	}
}

static void test_tcp_1000_connections(void **state)
{
	(void)state;
	struct simnet *sn = simnet_new(7, 1, 10, 1);
	struct tcpecho *t = calloc(1, sizeof *t);
	struct netapp *c = sim_client(sn);
	assert_int_equal(tcpecho_start(t, sim_server(sn), 7), 0);
	struct tcpip_pool_usage base;
	tcpip_pool_usage(sim_server(sn)->st, &base);

	for (unsigned i = 0; i < 1000; i++) {
		char msg[64], back[64];
		int len = snprintf(msg, sizeof msg, "connection %u", i);
		int sd = sim_connect(sn, 7);
		assert_int_equal(netapp_send_all(c, sd, msg, (size_t)len, 10000), len);
		assert_int_equal(netapp_recv_all(c, sd, back, (size_t)len, 10000), len);
		assert_memory_equal(back, msg, (size_t)len);
		assert_int_equal(tcpip_close(c->st, sd), 0);
		/* The client's TIME-WAIT pcbs must not run its table out. */
		if (i % 50 == 49)
			simnet_run(sn, 61000);
	}
	simnet_run(sn, 70000);
	assert_int_equal(t->accepted, 1000);
	assert_int_equal(t->active, 0);
	sim_assert_rest(sim_server(sn), base.sockets, base.tcp_pcbs);
	sim_assert_rest(c, 0, 0);
	tcpecho_stop(t, sim_server(sn));
	simnet_free(sn);
	free(t);
}

static void test_tcp_flow_control(void **state)
{
	(void)state;
	struct simnet *sn = simnet_new(9, 0, 0, 1);
	struct tcpecho *t = calloc(1, sizeof *t);
	struct netapp *c = sim_client(sn);
	assert_int_equal(tcpecho_start(t, sim_server(sn), 7), 0);
	int sd = sim_connect(sn, 7);
	static uint8_t buf[1 << 20];

	/* Write without reading until the send queue stops taking bytes:
	 * the echo's buffer, both windows and both queues are full. */
	size_t sent = 0;
	for (;;) {
		for (size_t k = 0; k < 4096; k++)
			buf[k] = sim_pattern(1, sent + k);
		long w = tcpip_send(c->st, sd, buf, 4096, 0);
		if (w == TCPIP_EAGAIN) {
			simnet_run(sn, 2000);
			if (tcpip_send(c->st, sd, buf, 0, 0) == 0 &&
			    (w = tcpip_send(c->st, sd, buf, 4096, 0)) == TCPIP_EAGAIN)
				break;
		}
		assert_true(w > 0);
		sent += (size_t)w;
		assert_true(sent < sizeof buf);
	}
	assert_true(sent > TCPECHO_BUF);
	/* Now read it all back, checked. */
	size_t got = 0;
	while (got < sent) {
		long r = netapp_recv(c, sd, buf, sizeof buf, 10000);
		assert_true(r > 0);
		for (long k = 0; k < r; k++)
			assert_int_equal(buf[k], sim_pattern(1, got + (size_t)k));
		got += (size_t)r;
	}
	assert_int_equal(tcpip_close(c->st, sd), 0);
	simnet_run(sn, 70000);
	assert_int_equal(t->active, 0);
	tcpecho_stop(t, sim_server(sn));
	simnet_free(sn);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_10000),
		cmocka_unit_test(test_tcp_5mb_lossy),
		cmocka_unit_test(test_tcp_echo_zero_window_deadlock),
		cmocka_unit_test(test_tcp_1000_connections),
		cmocka_unit_test(test_tcp_flow_control),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
