/*
 * Two stacks back to back over a simulated link with loss, reordering and
 * delay (a deterministic PRNG decides each frame's fate), driven by a
 * single-threaded event loop the way a libOS would drive one: deliver due
 * frames, run due timers, let the applications call the sockets API.
 *
 *  - 5 MB each way at once through the sockets API, byte-exact, with 5%
 *    loss, 25% reordering and 5 ms delay;
 *  - 1000 sequential connections (with some loss), after which every table
 *    and pool is back at its baseline;
 *  - 16 concurrent keep-alive clients with 20 request/response rounds each,
 *    like an HTTP benchmark;
 *  - a large UDP datagram fragmented by one stack and reassembled by the
 *    other;
 *  - a link that corrupts headers (and repairs checksums) under 8 live
 *    connections: no crash, every frame accounted, everything released.
 */
#include "harness.h"

#define A_IP TCPIP_IP4(10, 0, 0, 1)
#define B_IP TCPIP_IP4(10, 0, 0, 2)
static const uint8_t A_MAC[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t B_MAC[6] = { 0x02, 0, 0, 0, 0, 0x0b };

struct link {
	struct frame *q[2];     /* in flight towards node 0 / node 1, by due time */
	uint64_t rng;
	unsigned loss, reorder; /* percent */
	unsigned corrupt;       /* per mille: a byte changed, checksums repaired */
	uint64_t delay;
	unsigned long lost, reordered, delivered;
};

static struct node *nodes[2];
static struct link lk;

static void link_put(int to, struct frame *f)
{
	uint32_t r = prng_next(&lk.rng) % 100;
	if (r < lk.loss) {
		lk.lost++;
		free(f);
		return;
	}
	if (lk.corrupt && prng_next(&lk.rng) % 1000 < lk.corrupt && f->len > ETH_HLEN) {
		/* Mostly headers: the first 60 bytes after Ethernet. */
		size_t span = TCPIP_MIN(f->len - ETH_HLEN, (size_t)60);
		f->data[ETH_HLEN + prng_next(&lk.rng) % span] ^= (uint8_t)(1 + prng_next(&lk.rng) % 255);
		fix_checksums(f->data, f->len);
	}
	f->due = h_now + lk.delay;
	if (prng_next(&lk.rng) % 100 < lk.reorder) {
		f->due += 1 + prng_next(&lk.rng) % (3 * lk.delay + 1);
		lk.reordered++;
	}
	struct frame **pp = &lk.q[to];
	while (*pp && (*pp)->due <= f->due)
		pp = &(*pp)->next;
	f->next = *pp;
	*pp = f;
}

/* Move sent frames onto the wire and deliver the due ones. */
static bool link_step(void)
{
	bool moved = false;
	for (int i = 0; i < 2; i++) {
		struct frame *f;
		while ((f = node_pop(nodes[i]))) {
			link_put(1 - i, f);
			moved = true;
		}
	}
	for (int i = 0; i < 2; i++) {
		while (lk.q[i] && lk.q[i]->due <= h_now) {
			struct frame *f = lk.q[i];
			lk.q[i] = f->next;
			node_input(nodes[i], f->data, f->len, true);
			lk.delivered++;
			free(f);
			moved = true;
		}
	}
	return moved;
}

static void pr(void *arg, const char *t, size_t len)
{
	fprintf(stderr, "%d %.*s", *(int *)arg, (int)len, t);
}

static void dump_pcbs(void)
{
	for (int k = 0; k < 2; k++)
		tcpip_dump_stats(nodes[k]->st, pr, &k);
	fprintf(stderr, "now %llu\n", (unsigned long long)h_now);
	for (int k = 0; k < 2; k++)
		for (unsigned i = 0; i < TCPIP_NTCP; i++) {
			struct tcp_pcb *p = &nodes[k]->st->tcp[i];
			if (p->state == TCP_CLOSED || p->state == TCP_LISTEN)
				continue;
			print_message("sd %d parent %p node %d %s una %u nxt %u max %u wnd %u cwnd %u ssth %u rto %u "
				      "nrx %u sndq %u@%u | rcv_nxt %u adv %u rcvq %u ooo %u/%u flags %x\n",
				      p->sd, (void *)p->parent, k, tcp_state_name(p->state), p->snd_una, p->snd_nxt, p->snd_max,
				      p->snd_wnd, p->cwnd, p->ssthresh, p->rto, p->nrexmit,
				      p->sndq.bytes, p->sndq_seq, p->rcv_nxt, p->rcv_adv,
				      p->rcvq.bytes, p->oooq.bytes, p->oooq.count, p->flags);
		}
}

/* Nothing to do now: jump the clock to the next frame or timer. */
static void advance_to_next_event(void)
{
	uint64_t next = UINT64_MAX;
	for (int i = 0; i < 2; i++) {
		if (lk.q[i] && lk.q[i]->due < next)
			next = lk.q[i]->due;
		uint64_t d = tcpip_next_deadline(nodes[i]->st);
		if (d < next)
			next = d;
	}
	if (next == UINT64_MAX) {
		dump_pcbs();
		fail_msg("stalled: nothing in flight and no timer pending");
	}
	h_now = next > h_now ? next : h_now + 1;
	for (int i = 0; i < 2; i++)
		if (tcpip_next_deadline(nodes[i]->st) <= h_now)
			tcpip_tick(nodes[i]->st);
}

static void link_reset(uint64_t seed, unsigned loss, unsigned reorder, uint64_t delay)
{
	memset(&lk, 0, sizeof lk);
	lk.rng = seed;
	lk.loss = loss;
	lk.reorder = reorder;
	lk.delay = delay;
}

static void link_flush(void)
{
	for (int i = 0; i < 2; i++) {
		struct frame *f;
		while ((f = lk.q[i])) {
			lk.q[i] = f->next;
			free(f);
		}
	}
}

/* TCPIP_SEED=n reruns the tests with another fate for every frame. */
static uint64_t seed_or(uint64_t dflt)
{
	const char *s = getenv("TCPIP_SEED");
	return s ? strtoull(s, NULL, 0) : dflt;
}

static int setup(void **state)
{
	(void)state;
	nodes[0] = node_new(A_MAC, A_IP, false);
	nodes[1] = node_new(B_MAC, B_IP, false);
	tcpip_start(nodes[0]->st);
	tcpip_start(nodes[1]->st);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	link_flush();
	node_free(nodes[0]);
	node_free(nodes[1]);
	return 0;
}

/* The byte at offset i of the stream that node `from` sends. */
static uint8_t pattern(int from, size_t i)
{
	uint64_t x = (i / 8) * 0x9e3779b97f4a7c15ull + (uint64_t)from * 0x632be59bd9b4e019ull;
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 32;
	return (uint8_t)(x >> ((i % 8) * 8));
}

struct stream {
	int sd;
	size_t sent, rcvd;
	bool eof, shut;
};

/* Push and pull as much as the sockets allow. */
static void pump(struct node *n, int who, struct stream *s, size_t total)
{
	static uint8_t buf[16384];
	while (s->sent < total) {
		size_t len = TCPIP_MIN(sizeof buf, total - s->sent);
		for (size_t i = 0; i < len; i++)
			buf[i] = pattern(who, s->sent + i);
		long r = tcpip_send(n->st, s->sd, buf, len, 0);
		if (r == TCPIP_EAGAIN)
			break;
		if (r <= 0)
			dump_pcbs();
		if (r <= 0)
			fail_msg("node %d: send returned %ld after %zu bytes", who, r, s->sent);
		s->sent += (size_t)r;
	}
	if (s->sent == total && !s->shut) {
		assert_int_equal(tcpip_shutdown(n->st, s->sd, TCPIP_SHUT_WR), 0);
		s->shut = true;
	}
	for (;;) {
		long r = tcpip_recv(n->st, s->sd, buf, sizeof buf, 0);
		if (r == TCPIP_EAGAIN)
			break;
		assert_true(r >= 0);
		if (r == 0) {
			s->eof = true;
			break;
		}
		for (long i = 0; i < r; i++)
			if (buf[i] != pattern(1 - who, s->rcvd + (size_t)i))
				fail_msg("node %d: byte %zu differs", who, s->rcvd + (size_t)i);
		s->rcvd += (size_t)r;
	}
}

static void run_until_closed(void)
{
	for (int guard = 0; guard < 100000; guard++) {
		struct tcpip_pool_usage u0, u1;
		tcpip_pool_usage(nodes[0]->st, &u0);
		tcpip_pool_usage(nodes[1]->st, &u1);
		if (u0.tcp_pcbs == 0 && u1.tcp_pcbs == 0 && !lk.q[0] && !lk.q[1])
			return;
		if (!link_step())
			advance_to_next_event();
	}
	fail_msg("connections did not close");
}

static void test_5mb_each_way_lossy(void **state)
{
	(void)state;
	const size_t total = 5u << 20;
	/* TCPIP_SEED=n reruns with another fate for every frame. */
	const char *loss = getenv("TCPIP_LOSS"); /* percent, for harsher runs by hand */
	link_reset(seed_or(0x1234567), loss ? (unsigned)atoi(loss) : 5, 25, 5);
	int l = tcpip_socket(nodes[0]->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(0, 7);
	assert_int_equal(tcpip_bind(nodes[0]->st, l, &a), 0);
	assert_int_equal(tcpip_listen(nodes[0]->st, l, 4), 0);
	struct stream s[2] = { { .sd = -1 }, { .sd = -1 } };
	s[1].sd = tcpip_socket(nodes[1]->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in to = sin_of(A_IP, 7);
	assert_int_equal(tcpip_connect(nodes[1]->st, s[1].sd, &to), TCPIP_EINPROGRESS);
	bool connected = false;
	uint64_t start = h_now;
	for (long iter = 0; !(s[0].eof && s[1].eof); iter++) {
		assert_true(iter < 20000000);
		if (s[0].sd < 0)
			s[0].sd = tcpip_accept(nodes[0]->st, l, NULL);
		if (s[0].sd == TCPIP_EAGAIN)
			s[0].sd = -1;
		if (!connected) {
			struct tcpip_pollfd p = { .sd = s[1].sd, .events = TCPIP_POLLOUT };
			connected = tcpip_poll(nodes[1]->st, &p, 1) == 1;
			assert_false(p.revents & TCPIP_POLLERR);
		}
		if (s[0].sd >= 0)
			pump(nodes[0], 0, &s[0], total);
		if (connected)
			pump(nodes[1], 1, &s[1], total);
		if (!link_step())
			advance_to_next_event();
	}
	assert_int_equal(s[0].rcvd, total);
	assert_int_equal(s[1].rcvd, total);
	print_message("5 MB each way in %llu virtual ms: %lu frames delivered, %lu lost, "
		      "%lu reordered; A: %llu RTOs, %llu fast retransmits; B: %llu, %llu\n",
		      (unsigned long long)(h_now - start), lk.delivered, lk.lost, lk.reordered,
		      (unsigned long long)nodes[0]->st->stats.ev[EV_TCP_RTO],
		      (unsigned long long)nodes[0]->st->stats.ev[EV_TCP_FAST_REXMIT],
		      (unsigned long long)nodes[1]->st->stats.ev[EV_TCP_RTO],
		      (unsigned long long)nodes[1]->st->stats.ev[EV_TCP_FAST_REXMIT]);
	assert_true((lk.lost > 100 || lk.loss == 0) && lk.reordered > 100);
	assert_true(nodes[0]->st->stats.ev[EV_TCP_FAST_REXMIT] > 0);
	assert_true(nodes[0]->st->stats.ev[EV_TCP_OOO] > 0);
	tcpip_close(nodes[0]->st, s[0].sd);
	tcpip_close(nodes[1]->st, s[1].sd);
	tcpip_close(nodes[0]->st, l);
	run_until_closed();
	node_assert_baseline(nodes[0]);
	node_assert_baseline(nodes[1]);
}

static void test_1000_sequential_connections(void **state)
{
	(void)state;
	link_reset(seed_or(0xabcdef), 2, 5, 1);
	struct tcpip *A = nodes[0]->st, *B = nodes[1]->st;
	int l = tcpip_socket(A, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(0, 80);
	tcpip_bind(A, l, &a);
	tcpip_listen(A, l, 16);
	struct tcpip_pool_usage base_a, base_b;
	tcpip_pool_usage(A, &base_a);
	tcpip_pool_usage(B, &base_b);
	unsigned done = 0, refused = 0;
	for (unsigned k = 0; k < 1000; k++) {
		int c = tcpip_socket(B, TCPIP_SOCK_STREAM);
		struct tcpip_sockaddr_in to = sin_of(A_IP, 80);
		assert_int_equal(tcpip_connect(B, c, &to), TCPIP_EINPROGRESS);
		char req[32], buf[64];
		int rl = snprintf(req, sizeof req, "request %u", k);
		int s = -1;
		bool sent = false, served = false;
		for (long iter = 0;; iter++) {
			assert_true(iter < 1000000);
			if (s < 0 && (s = tcpip_accept(A, l, NULL)) < 0)
				s = -1;
			if (!sent && tcpip_send(B, c, req, (size_t)rl, 0) == rl)
				sent = true;
			if (s >= 0 && !served) {
				long r = tcpip_recv(A, s, buf, sizeof buf, 0);
				if (r == rl) {
					assert_memory_equal(buf, req, (size_t)rl);
					assert_int_equal(tcpip_send(A, s, buf, (size_t)r, 0), r);
					tcpip_close(A, s); /* the server closes first */
					served = true;
				}
			}
			long r = tcpip_recv(B, c, buf, sizeof buf, 0);
			if (r == rl) {
				assert_memory_equal(buf, req, (size_t)rl);
				done++;
				break;
			}
			if (r != TCPIP_EAGAIN) {
				refused++; /* a lost final segment can end in a reset */
				break;
			}
			if (!link_step())
				advance_to_next_event();
		}
		tcpip_close(B, c);
		if (s >= 0 && !served)
			tcpip_close(A, s);
	}
	assert_true(done >= 990);
	/* Let every TIME_WAIT and retransmission finish. */
	for (int i = 0; i < 200 && (lk.q[0] || lk.q[1] || tcpip_next_deadline(A) != UINT64_MAX ||
				    tcpip_next_deadline(B) != UINT64_MAX); i++) {
		while (link_step())
			;
		h_now += 1000;
		tcpip_tick(A);
		tcpip_tick(B);
	}
	struct tcpip_pool_usage ua, ub;
	tcpip_pool_usage(A, &ua);
	tcpip_pool_usage(B, &ub);
	assert_int_equal(ua.tcp_pcbs, base_a.tcp_pcbs);
	assert_int_equal(ua.sockets, base_a.sockets);
	assert_int_equal(ua.pbufs, 0);
	assert_int_equal(ua.blocks, 0);
	assert_int_equal(ua.held_frames, 0);
	assert_int_equal(ub.tcp_pcbs, 0);
	assert_int_equal(ub.sockets, 0);
	assert_int_equal(ub.pbufs, 0);
	assert_int_equal(ub.blocks, 0);
	/* Filters: only the listener's and the base ones remain. */
	assert_int_equal(nodes[0]->filters_active, 3 + 1);
	assert_int_equal(nodes[1]->filters_active, 3);
	print_message("1000 connections: %u complete, %u reset; A recycled %llu TIME_WAIT pcbs\n",
		      done, refused, (unsigned long long)A->stats.ev[EV_TCP_TW_RECYCLED]);
	tcpip_close(A, l);
}

/* Like an HTTP benchmark: 16 keep-alive clients at once, 20 requests each. */
#define NCLI 16
#define NREQ 20
#define RESP 3000

struct client {
	int sd, srv;
	unsigned req_sent, resp_done;
	size_t resp_got;        /* of the current response */
	size_t srv_got;         /* request bytes the server has */
	unsigned srv_done;
	bool closed;
};

static void test_16_concurrent_keepalive_clients(void **state)
{
	(void)state;
	link_reset(seed_or(777), 2, 10, 2);
	struct tcpip *A = nodes[0]->st, *B = nodes[1]->st;
	int l = tcpip_socket(A, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(0, 80);
	tcpip_bind(A, l, &a);
	assert_int_equal(tcpip_listen(A, l, NCLI), 0);
	struct client cl[NCLI];
	memset(cl, 0, sizeof cl);
	for (int i = 0; i < NCLI; i++) {
		cl[i].sd = tcpip_socket(B, TCPIP_SOCK_STREAM);
		cl[i].srv = -1;
		struct tcpip_sockaddr_in to = sin_of(A_IP, 80);
		assert_int_equal(tcpip_connect(B, cl[i].sd, &to), TCPIP_EINPROGRESS);
	}
	/* Server side: sockets are matched to clients by the peer's port. */
	static uint8_t buf[8192], resp[RESP];
	unsigned finished = 0;
	for (long iter = 0; finished < NCLI; iter++) {
		assert_true(iter < 5000000);
		struct tcpip_sockaddr_in peer;
		int s;
		while ((s = tcpip_accept(A, l, &peer)) >= 0) {
			int matched = 0;
			for (int i = 0; i < NCLI; i++) {
				struct tcpip_sockaddr_in me;
				if (!cl[i].closed && tcpip_getsockname(B, cl[i].sd, &me) == 0 &&
				    me.sin_port == peer.sin_port) {
					assert_int_equal(cl[i].srv, -1);
					cl[i].srv = s;
					matched++;
				}
			}
			assert_int_equal(matched, 1);
		}
		for (int i = 0; i < NCLI; i++) {
			struct client *c = &cl[i];
			if (c->closed)
				continue;
			struct tcpip_pollfd pf = { .sd = c->sd, .events = TCPIP_POLLOUT };
			/* Client: one request at a time (keep-alive). */
			if (c->req_sent == c->resp_done && c->req_sent < NREQ &&
			    tcpip_poll(B, &pf, 1) == 1) {
				memset(buf, 'a' + i, 200);
				assert_int_equal(tcpip_send(B, c->sd, buf, 200, 0), 200);
				c->req_sent++;
			}
			if (c->srv >= 0) {
				long r = tcpip_recv(A, c->srv, buf, sizeof buf, 0);
				if (r > 0) {
					for (long k = 0; k < r; k++)
						assert_int_equal(buf[k], 'a' + i);
					c->srv_got += (size_t)r;
					while (c->srv_got >= 200) {
						c->srv_got -= 200;
						for (int k = 0; k < RESP; k++)
							resp[k] = (uint8_t)(k + i + c->srv_done);
						long w = tcpip_send(A, c->srv, resp, RESP, 0);
						assert_int_equal(w, RESP);
						c->srv_done++;
					}
				} else if (r == 0) {
					tcpip_close(A, c->srv);
					c->srv = -2;
				}
			}
			long r = tcpip_recv(B, c->sd, buf, RESP - c->resp_got, 0);
			if (r > 0) {
				for (long k = 0; k < r; k++)
					assert_int_equal(buf[k], (uint8_t)(c->resp_got + (size_t)k + (size_t)i +
									   c->resp_done));
				c->resp_got += (size_t)r;
				if (c->resp_got == RESP) {
					c->resp_got = 0;
					c->resp_done++;
					if (c->resp_done == NREQ) {
						tcpip_close(B, c->sd);
						c->closed = true;
						finished++;
					}
				}
			}
		}
		if (!link_step())
			advance_to_next_event();
	}
	/* The servers see EOF and close; then everything drains. */
	for (long iter = 0; iter < 1000000; iter++) {
		bool open = false;
		for (int i = 0; i < NCLI; i++) {
			if (cl[i].srv < 0)
				continue;
			open = true;
			if (tcpip_recv(A, cl[i].srv, buf, sizeof buf, 0) == 0) {
				tcpip_close(A, cl[i].srv);
				cl[i].srv = -2;
			}
		}
		if (!open)
			break;
		if (!link_step())
			advance_to_next_event();
	}
	tcpip_close(A, l);
	run_until_closed();
	node_assert_baseline(nodes[0]);
	node_assert_baseline(nodes[1]);
}

/*
 * A link that also corrupts frames and repairs their checksums, so that
 * wrong ports, sequence numbers, flags, windows and options reach TCP in the
 * middle of live connections. Delivery cannot be byte-exact then; what
 * must hold is that nothing crashes, every frame gets its verdict, and
 * everything is released at the end.
 */
static void test_corrupting_link(void **state)
{
	(void)state;
	link_reset(seed_or(4242), 2, 10, 2);
	const char *c = getenv("TCPIP_CORRUPT"); /* per mille, for harsher runs by hand */
	lk.corrupt = c ? (unsigned)atoi(c) : 20;
	struct tcpip *A = nodes[0]->st, *B = nodes[1]->st;
	int l = tcpip_socket(A, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(0, 7);
	tcpip_bind(A, l, &a);
	tcpip_listen(A, l, 8);
	static uint8_t buf[8192];
	memset(buf, 'x', sizeof buf);
	int srv[8], cli[8];
	for (int i = 0; i < 8; i++) {
		srv[i] = -1;
		cli[i] = tcpip_socket(B, TCPIP_SOCK_STREAM);
		struct tcpip_sockaddr_in to = sin_of(A_IP, 7);
		tcpip_connect(B, cli[i], &to);
	}
	uint64_t end = h_now + 120000;
	while (h_now < end) {
		int s;
		for (int i = 0; i < 8 && (s = tcpip_accept(A, l, NULL)) >= 0; i++) {
			for (int k = 0; k < 8; k++)
				if (srv[k] < 0) {
					srv[k] = s;
					break;
				}
		}
		for (int i = 0; i < 8; i++) {
			tcpip_send(B, cli[i], buf, sizeof buf, 0);
			tcpip_recv(B, cli[i], buf, sizeof buf, 0);
			if (srv[i] >= 0) {
				long r = tcpip_recv(A, srv[i], buf, sizeof buf, 0);
				if (r > 0)
					tcpip_send(A, srv[i], buf, (size_t)r, 0);
				memset(buf, 'x', sizeof buf);
			}
		}
		if (!link_step())
			advance_to_next_event();
	}
	for (int k = 0; k < 2; k++) {
		const struct tcpip_stats *st = tcpip_get_stats(nodes[k]->st);
		uint64_t sum = 0;
		for (unsigned i = 0; i < TCPIP_RX_N; i++)
			sum += st->rx[i];
		assert_int_equal(sum, st->ev[EV_RX_FRAMES] + st->ev[EV_IP_REASS_OK]);
	}
	print_message("corrupting link: %lu frames delivered, A tcp processed %llu, dropped "
		      "bad checksum %llu, out of window %llu\n", lk.delivered,
		      (unsigned long long)A->stats.rx[RX_TCP_OK],
		      (unsigned long long)A->stats.rx[RX_TCP_BAD_CSUM],
		      (unsigned long long)A->stats.rx[RX_TCP_NOT_ACCEPTABLE]);
	/* teardown stops both stacks and checks that everything came back */
}

static void test_udp_fragmented_between_stacks(void **state)
{
	(void)state;
	link_reset(42, 0, 50, 3);
	struct tcpip *A = nodes[0]->st, *B = nodes[1]->st;
	int sa = tcpip_socket(A, TCPIP_SOCK_DGRAM), sb = tcpip_socket(B, TCPIP_SOCK_DGRAM);
	struct tcpip_sockaddr_in a = sin_of(0, 7);
	tcpip_bind(A, sa, &a);
	static uint8_t out[30000], in[30000];
	for (size_t i = 0; i < sizeof out; i++)
		out[i] = pattern(1, i);
	struct tcpip_sockaddr_in to = sin_of(A_IP, 7);
	/* Resolve first: the ARP queue holds only TCPIP_ARP_PENDING frames. */
	assert_int_equal(tcpip_sendto(B, sb, "hi", 2, 0, &to), 2);
	long r = TCPIP_EAGAIN;
	for (int i = 0; i < 100 && r == TCPIP_EAGAIN; i++) {
		if (!link_step())
			advance_to_next_event();
		r = tcpip_recv(A, sa, in, sizeof in, 0);
	}
	assert_int_equal(r, 2);
	assert_int_equal(tcpip_sendto(B, sb, out, sizeof out, 0, &to), (long)sizeof out);
	r = TCPIP_EAGAIN;
	for (int i = 0; i < 1000 && r == TCPIP_EAGAIN; i++) {
		if (!link_step())
			advance_to_next_event();
		r = tcpip_recv(A, sa, in, sizeof in, 0);
	}
	assert_int_equal(r, (long)sizeof out);
	assert_memory_equal(in, out, sizeof out);
	tcpip_close(A, sa);
	tcpip_close(B, sb);
	while (link_step())
		;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_udp_fragmented_between_stacks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_1000_sequential_connections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_16_concurrent_keepalive_clients, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_5mb_each_way_lossy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupting_link, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
