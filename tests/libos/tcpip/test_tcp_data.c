/*
 * TCP data transfer against a crafted peer: delayed ACKs, the zero-copy
 * receive queue, out-of-order reassembly, the receive window, MSS, window
 * scaling, the initial window and slow start, Nagle, RTO estimation and
 * backoff, fast retransmit with NewReno recovery, zero-window probing.
 */
#include "tcp_util.h"

static uint8_t data[70000];

static void fill_data(void)
{
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 131 + (i >> 9));
}

static void test_delayed_ack(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	fill_data();
	conn_passive(&c, n, NULL);
	conn_send(&c, c.snd, data, 100, TCP_ACK);
	expect_none(n);
	assert_int_equal(tcpip_next_deadline(n->st), h_now + TCP_DELACK_MS);
	node_advance(n, TCP_DELACK_MS - 1);
	expect_none(n);
	node_advance(n, 1);
	expect_tcp(n, &p);
	assert_int_equal(p.ack, c.snd + 100);
	c.snd += 100;
	/* Every second segment is acknowledged at once. */
	conn_send(&c, c.snd, data, 1460, TCP_ACK);
	expect_none(n);
	conn_send(&c, c.snd + 1460, data, 1460, TCP_ACK);
	expect_tcp(n, &p);
	assert_int_equal(p.ack, c.snd + 2920);
	expect_none(n);
	assert_int_equal(pcb_of(&c)->t_delack, 0);
	conn_close_all(&c);
}

static void test_zero_copy_receive(void **state)
{
	struct node *n = *state;
	struct conn c;
	fill_data();
	conn_passive(&c, n, NULL);
	/* A full segment stays in the received frame. */
	conn_send(&c, c.snd, data, 1000, TCP_ACK);
	assert_int_equal(n->cookies_out, 1);
	struct tcp_pcb *pcb = pcb_of(&c);
	assert_int_equal(pcb->rcvq.head->kind, PB_EXT);
	const void *zc;
	assert_int_equal(tcpip_recv_zc(n->st, c.sd, &zc), 1000);
	assert_memory_equal(zc, data, 1000);
	assert_int_equal(tcpip_recv_consume(n->st, c.sd, 600), 0);
	assert_int_equal(tcpip_recv_zc(n->st, c.sd, &zc), 400);
	assert_memory_equal(zc, data + 600, 400);
	assert_int_equal(tcpip_recv_consume(n->st, c.sd, 401), TCPIP_EINVAL);
	assert_int_equal(tcpip_recv_consume(n->st, c.sd, 400), 0);
	assert_int_equal(n->cookies_out, 0);
	/* Small segments are copied and coalesced into one block. */
	for (int i = 0; i < 5; i++)
		conn_send(&c, c.snd + 1000 + (uint32_t)i * 100, data + 1000 + i * 100, 100, TCP_ACK);
	assert_int_equal(n->cookies_out, 0);
	assert_int_equal(pcb->rcvq.count, 1);
	assert_int_equal(pcb->rcvq.bytes, 500);
	uint8_t buf[600];
	assert_int_equal(tcpip_recv(n->st, c.sd, buf, sizeof buf, TCPIP_MSG_PEEK), 500);
	assert_int_equal(tcpip_recv(n->st, c.sd, buf, sizeof buf, 0), 500);
	assert_memory_equal(buf, data + 1000, 500);
	conn_close_all(&c);
}

static void test_out_of_order(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	fill_data();
	conn_passive(&c, n, NULL);
	conn_send(&c, c.snd + 1000, data + 1000, 1000, TCP_ACK);
	expect_tcp(n, &p); /* immediate duplicate ACK */
	assert_int_equal(p.ack, c.snd);
	conn_send(&c, c.snd + 2000, data + 2000, 1000, TCP_ACK);
	expect_tcp(n, &p);
	assert_int_equal(p.ack, c.snd);
	assert_int_equal(evv(n, EV_TCP_OOO), 2);
	assert_int_equal(pcb_of(&c)->oooq.bytes, 2000);
	/* Filling the hole acknowledges everything at once. */
	conn_send(&c, c.snd, data, 1000, TCP_ACK);
	expect_tcp(n, &p);
	assert_int_equal(p.ack, c.snd + 3000);
	uint8_t buf[4000];
	assert_int_equal(tcpip_recv(n->st, c.sd, buf, sizeof buf, 0), 3000);
	assert_memory_equal(buf, data, 3000);
	conn_close_all(&c);
}

/* Overlapping, duplicated and shuffled pieces, including a FIN. */
static void test_out_of_order_overlaps(void **state)
{
	struct node *n = *state;
	struct conn c;
	fill_data();
	conn_passive(&c, n, NULL);
	uint64_t rng = 99;
	const uint32_t total = 20000;
	for (int k = 0; k < 120; k++) {
		uint32_t off = prng_next(&rng) % total;
		uint32_t len = 1 + prng_next(&rng) % 1400;
		if (off + len > total)
			len = total - off;
		if (off == 0)
			continue; /* keep the first byte for last */
		uint8_t flags = TCP_ACK | (off + len == total ? TCP_FIN : 0);
		conn_send(&c, c.snd + off, data + off, len, flags);
	}
	/* Whatever the pieces left uncovered, send in order afterwards. */
	for (uint32_t off = 0; off < total; off += 1000)
		conn_send(&c, c.snd + off, data + off, TCPIP_MIN(1000u, total - off),
			  TCP_ACK | (off + 1000 >= total ? TCP_FIN : 0));
	static uint8_t buf[30000];
	size_t got = 0;
	long r;
	while ((r = tcpip_recv(n->st, c.sd, buf + got, sizeof buf - got, 0)) > 0)
		got += (size_t)r;
	assert_int_equal(r, 0); /* the FIN arrived */
	assert_int_equal(got, total);
	assert_memory_equal(buf, data, total);
	assert_int_equal(pcb_of(&c)->state, TCP_CLOSE_WAIT);
	assert_int_equal(pcb_of(&c)->oooq.count, 0);
	conn_close_all(&c);
}

static void test_receive_window(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	fill_data();
	/* A small buffer set before listen() is inherited by the connection. */
	int l = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	int buf8k = 8192;
	tcpip_setsockopt(n->st, l, TCPIP_SOL_SOCKET, TCPIP_SO_RCVBUF, &buf8k, sizeof buf8k);
	struct tcpip_sockaddr_in a = sin_of(0, NPORT);
	tcpip_bind(n->st, l, &a);
	tcpip_listen(n->st, l, 4);
	struct tcp_opts o = { .mss = 1460, .wscale = -1 };
	peer_tcp(n, PPORT, NPORT, PISS, 0, TCP_SYN, 65535, &o, NULL, 0);
	expect_tcp(n, &p);
	assert_int_equal(p.wnd, 8192);
	memset(&c, 0, sizeof c);
	c.n = n;
	c.lsd = l;
	c.nport = NPORT;
	c.snd = PISS + 1;
	c.rcv = p.seq + 1;
	conn_ack(&c, c.rcv, 65535);
	c.sd = tcpip_accept(n->st, l, NULL);
	uint32_t sent = 0;
	while (sent < 8192) {
		uint32_t len = TCPIP_MIN(1460u, 8192 - sent);
		conn_send(&c, c.snd + sent, data + sent, len, TCP_ACK);
		sent += len;
	}
	struct frame *fr;
	uint16_t last_wnd = 1;
	while ((fr = node_pop(n))) {
		parse_frame(fr, &p);
		last_wnd = p.wnd;
		free(fr);
	}
	node_advance(n, TCP_DELACK_MS);
	while ((fr = node_pop(n))) {
		parse_frame(fr, &p);
		last_wnd = p.wnd;
		free(fr);
	}
	assert_int_equal(last_wnd, 0);
	assert_int_equal(p.ack, c.snd + 8192);
	/* Beyond the window: not accepted, answered with an ACK. */
	conn_send(&c, c.snd + 8192, data, 100, TCP_ACK);
	expect_tcp(n, &p);
	assert_int_equal(p.ack, c.snd + 8192);
	assert_int_equal(p.wnd, 0);
	/* Reading half the buffer sends a window update. */
	uint8_t buf[4096];
	assert_int_equal(tcpip_recv(n->st, c.sd, buf, 4096, 0), 4096);
	expect_tcp(n, &p);
	assert_int_equal(p.wnd, 4096);
	assert_memory_equal(buf, data, 4096);
	conn_close_all(&c);
}

static unsigned collect_data(struct node *n, uint32_t *bytes, uint16_t *maxlen, uint32_t *last)
{
	struct frame *fr;
	struct pkt p;
	unsigned segs = 0;
	*bytes = 0;
	*maxlen = 0;
	while ((fr = node_pop(n))) {
		parse_frame(fr, &p);
		if (p.len) {
			segs++;
			*bytes += (uint32_t)p.len;
			*maxlen = (uint16_t)TCPIP_MAX(*maxlen, p.len);
			*last = p.seq + (uint32_t)p.len;
		}
		free(fr);
	}
	return segs;
}

static void test_mss_initial_window_slow_start(void **state)
{
	struct node *n = *state;
	struct conn c;
	fill_data();
	struct tcp_opts o = { .mss = 536, .wscale = -1 };
	conn_active(&c, n, &o, 60000);
	assert_int_equal(tcpip_send(n->st, c.sd, data, 20000, 0), 20000);
	uint32_t bytes, last = 0;
	uint16_t maxlen;
	/* RFC 5681 3.1: IW = 4 * SMSS for an MSS of 536. */
	assert_int_equal(collect_data(n, &bytes, &maxlen, &last), 4);
	assert_int_equal(bytes, 4 * 536);
	assert_int_equal(maxlen, 536);
	/* Each ACK of a full segment grows cwnd by one segment. */
	conn_ack(&c, c.rcv + 2 * 536, 60000);
	collect_data(n, &bytes, &maxlen, &last);
	assert_int_equal(bytes, 3 * 536); /* 2 acked, + min(acked, SMSS) growth */
	conn_close_all(&c);
}

static void test_window_scaling(void **state)
{
	struct node *n = *state;
	struct pkt p;
	fill_data();
	int sd = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	int big = 256 * 1024;
	tcpip_setsockopt(n->st, sd, TCPIP_SOL_SOCKET, TCPIP_SO_RCVBUF, &big, sizeof big);
	struct tcpip_sockaddr_in a = sin_of(PEER_IP, PPORT);
	tcpip_connect(n->st, sd, &a);
	expect_tcp(n, &p);
	assert_int_equal(p.wscale, 3); /* 256 KiB >> 3 fits 16 bits */
	assert_int_equal(p.wnd, 65535);
	struct tcp_opts o = { .mss = 1460, .wscale = 4 };
	peer_tcp(n, PPORT, p.sport, PISS, p.seq + 1, TCP_SYN | TCP_ACK, 1000, &o, NULL, 0);
	struct pkt q;
	expect_tcp(n, &q);
	assert_int_equal(q.wnd, 32768); /* 262144 >> 3 */
	struct tcp_pcb *pcb = n->st->socks[sd].pcb;
	/* The peer's windows are scaled by 16 after the SYN. */
	peer_tcp(n, PPORT, p.sport, PISS + 1, p.seq + 1, TCP_ACK, 1000, NULL, NULL, 0);
	assert_int_equal(pcb->snd_wnd, 16000);
	assert_int_equal(tcpip_send(n->st, sd, data, 30000, 0), 30000);
	uint32_t bytes, last;
	uint16_t maxlen;
	collect_data(n, &bytes, &maxlen, &last);
	assert_int_equal(bytes, 3 * 1460); /* cwnd-limited, not the 1000-byte field */
	tcpip_close(n->st, sd);
}

static void test_nagle(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	conn_active(&c, n, NULL, 60000);
	assert_int_equal(tcpip_send(n->st, c.sd, "a", 1, 0), 1);
	expect_tcp(n, &p);
	assert_int_equal(p.len, 1);
	assert_true(p.flags & TCP_PSH);
	assert_int_equal(tcpip_send(n->st, c.sd, "bc", 2, 0), 2);
	expect_none(n); /* a small segment waits for the ACK */
	conn_ack(&c, c.rcv + 1, 60000);
	expect_tcp(n, &p);
	assert_int_equal(p.len, 2);
	assert_memory_equal(p.data, "bc", 2);
	int one = 1;
	tcpip_setsockopt(n->st, c.sd, TCPIP_IPPROTO_TCP, TCPIP_TCP_NODELAY, &one, sizeof one);
	assert_int_equal(tcpip_send(n->st, c.sd, "d", 1, 0), 1);
	expect_tcp(n, &p);
	assert_int_equal(tcpip_send(n->st, c.sd, "e", 1, 0), 1);
	expect_tcp(n, &p);
	assert_memory_equal(p.data, "e", 1);
	conn_close_all(&c);
}

static void test_rtt_estimator(void **state)
{
	(void)state;
	struct tcp_pcb pcb = { 0 };
	tcp_rtt_sample(&pcb, 400);  /* SRTT 400, RTTVAR 200: RTO 400 + 800 */
	assert_int_equal(pcb.rto, 1200);
	tcp_rtt_sample(&pcb, 800);  /* SRTT 450, RTTVAR 250: RTO 1450 */
	assert_int_equal(pcb.rto, 1450);
	for (int i = 0; i < 100; i++)
		tcp_rtt_sample(&pcb, 10);
	assert_int_equal(pcb.rto, TCP_RTO_MIN_MS);
	tcp_rtt_sample(&pcb, 100000);
	assert_int_equal(pcb.rto, TCP_RTO_MAX_MS);
}

static void test_rto_backoff(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	fill_data();
	conn_active(&c, n, NULL, 60000);
	uint32_t rto = pcb_of(&c)->rto;
	assert_int_equal(tcpip_send(n->st, c.sd, data, 100, 0), 100);
	expect_tcp(n, &p);
	uint32_t seq = p.seq;
	for (int i = 0; i < 4; i++) {
		node_advance(n, rto - 1);
		expect_none(n);
		node_advance(n, 1);
		expect_tcp(n, &p);
		assert_int_equal(p.seq, seq);
		assert_int_equal(p.len, 100);
		rto *= 2;
	}
	assert_int_equal(evv(n, EV_TCP_RTO), 4);
	assert_int_equal(pcb_of(&c)->cwnd, pcb_of(&c)->mss);
	conn_ack(&c, seq + 100, 60000);
	assert_int_equal(pcb_of(&c)->t_rexmit, 0);
	assert_int_equal(pcb_of(&c)->nrexmit, 0);
	conn_close_all(&c);
}

static void test_fast_retransmit_newreno(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	fill_data();
	conn_active(&c, n, NULL, 65535);
	assert_int_equal(tcpip_send(n->st, c.sd, data, 60000, 0), 60000);
	/* Grow cwnd: two rounds of slow start, one ACK per segment. */
	struct tcp_pcb *pcb = pcb_of(&c);
	for (int round = 0; round < 2; round++) {
		node_drain(n);
		uint32_t to = pcb->snd_max;
		for (uint32_t s = pcb->snd_una + 1460; SEQ_LEQ(s, to); s += 1460)
			conn_ack(&c, s, 65535);
	}
	node_drain(n);
	uint32_t una = pcb->snd_una, flight = pcb->snd_max - una;
	assert_true(flight >= 8 * 1460);
	/* Segment at una lost: duplicate ACKs. The first two each release one
	 * new segment (limited transmit, RFC 3042). */
	uint32_t max = pcb->snd_max;
	for (int i = 0; i < 2; i++) {
		conn_ack(&c, una, 65535);
		expect_tcp(n, &p);
		assert_int_equal(p.seq, max + (uint32_t)i * 1460);
		assert_int_equal(p.len, 1460);
	}
	expect_none(n);
	flight = pcb->snd_max - una;
	conn_ack(&c, una, 65535);
	expect_tcp(n, &p);
	assert_int_equal(p.seq, una);
	assert_int_equal(p.len, 1460);
	assert_int_equal(evv(n, EV_TCP_FAST_REXMIT), 1);
	assert_true(pcb->flags & TF_RECOVERY);
	assert_int_equal(pcb->ssthresh, flight / 2);
	assert_int_equal(pcb->cwnd, pcb->ssthresh + 3 * 1460);
	assert_int_equal(pcb->recover, pcb->snd_max);
	uint32_t recover = pcb->recover;
	/* More duplicates inflate cwnd. */
	conn_ack(&c, una, 65535);
	assert_int_equal(pcb->cwnd, pcb->ssthresh + 4 * 1460);
	node_drain(n);
	/* A partial ACK: the next hole goes out at once (RFC 6582). */
	conn_ack(&c, una + 3 * 1460, 65535);
	expect_tcp(n, &p);
	assert_int_equal(p.seq, una + 3 * 1460);
	assert_true(pcb->flags & TF_RECOVERY);
	node_drain(n);
	/* The full ACK ends recovery with cwnd back near ssthresh. */
	conn_ack(&c, recover, 65535);
	assert_false(pcb->flags & TF_RECOVERY);
	assert_true(pcb->cwnd <= pcb->ssthresh);
	assert_int_equal(evv(n, EV_TCP_RTO), 0);
	conn_close_all(&c);
}

static void test_zero_window_probe(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	fill_data();
	conn_active(&c, n, NULL, 0);
	assert_int_equal(tcpip_send(n->st, c.sd, data, 3000, 0), 3000);
	expect_none(n);
	uint64_t d = tcpip_next_deadline(n->st);
	assert_true(d != UINT64_MAX);
	uint32_t gap = (uint32_t)(d - h_now);
	for (int i = 0; i < 3; i++) {
		node_advance(n, gap);
		expect_tcp(n, &p);
		assert_int_equal(p.seq, c.rcv - 1);
		assert_int_equal(p.len, 0);
		conn_ack(&c, c.rcv, 0); /* still closed */
		gap *= 2;
	}
	assert_int_equal(evv(n, EV_TCP_PROBE), 3);
	/* The window opens: data flows, the persist timer stops. */
	conn_ack(&c, c.rcv, 2000);
	uint32_t bytes, last;
	uint16_t maxlen;
	collect_data(n, &bytes, &maxlen, &last);
	/* One full segment; the 540-byte rest is a silly window (RFC 9293
	 * 3.8.6.2.1) until the persist timer overrides it. */
	assert_int_equal(bytes, 1460);
	conn_ack(&c, c.rcv + 1460, 540);
	node_drain(n);
	node_advance(n, (uint32_t)(tcpip_next_deadline(n->st) - h_now));
	collect_data(n, &bytes, &maxlen, &last);
	assert_int_equal(bytes, 540);
	conn_close_all(&c);
}

/*
 * Regression: after a timeout rewound SND.NXT to SND.UNA, pure ACKs carried
 * SND.NXT, below what the peer had already received, so the peer found
 * them unacceptable and two stacks retransmitting at each other stalled
 * until both timed out (found by test_link's 5 MB transfer).
 */
static void test_pure_ack_after_rewind_uses_snd_max(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	fill_data();
	conn_active(&c, n, NULL, 60000);
	assert_int_equal(tcpip_send(n->st, c.sd, data, 3000, 0), 3000);
	node_drain(n);
	node_advance(n, pcb_of(&c)->rto); /* timeout: snd_nxt back to snd_una */
	node_drain(n);
	struct tcp_pcb *pcb = pcb_of(&c);
	assert_true(SEQ_LT(pcb->snd_nxt, pcb->snd_max));
	/* Data from the peer makes the node ACK (a hole: at once). */
	conn_send(&c, c.snd + 10, "zz", 2, TCP_ACK);
	expect_tcp(n, &p);
	assert_int_equal(p.len, 0);
	assert_int_equal(p.seq, pcb->snd_max);
	conn_close_all(&c);
}

static void test_send_buffer_limits(void **state)
{
	struct node *n = *state;
	struct conn c;
	fill_data();
	conn_active(&c, n, NULL, 0);
	int small = 4096;
	tcpip_setsockopt(n->st, c.sd, TCPIP_SOL_SOCKET, TCPIP_SO_SNDBUF, &small, sizeof small);
	assert_int_equal(tcpip_send(n->st, c.sd, data, 10000, 0), 4096);
	assert_int_equal(tcpip_send(n->st, c.sd, data, 10000, 0), TCPIP_EAGAIN);
	struct tcpip_pollfd pfd = { .sd = c.sd, .events = TCPIP_POLLOUT };
	assert_int_equal(tcpip_poll(n->st, &pfd, 1), 0);
	conn_ack(&c, c.rcv, 8000);
	node_drain(n);
	unsigned ev = n->sock_events;
	conn_ack(&c, c.rcv + 1460, 8000);
	assert_true(n->sock_events > ev); /* room again: the event loop hears of it */
	assert_int_equal(tcpip_poll(n->st, &pfd, 1), 1);
	conn_close_all(&c);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, node_setup_peer, node_teardown)
	const struct CMUnitTest tests[] = {
		T(test_delayed_ack),
		T(test_zero_copy_receive),
		T(test_out_of_order),
		T(test_out_of_order_overlaps),
		T(test_receive_window),
		T(test_mss_initial_window_slow_start),
		T(test_window_scaling),
		T(test_nagle),
		cmocka_unit_test(test_rtt_estimator),
		T(test_rto_backoff),
		T(test_fast_retransmit_newreno),
		T(test_zero_window_probe),
		T(test_pure_ack_after_rewind_uses_snd_max),
		T(test_send_buffer_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
