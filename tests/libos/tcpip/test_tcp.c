/*
 * The TCP state machine driven by crafted segments: handshakes both ways,
 * refusal, SYN retransmission, resets in each state (RFC 5961 checks),
 * challenge ACKs, simultaneous open and close, TIME_WAIT, the close paths,
 * keepalive and malformed segments.
 */
#include "tcp_util.h"

static uint8_t state_of(struct node *n)
{
	for (unsigned i = 0; i < TCPIP_NTCP; i++)
		if (n->st->tcp[i].state != TCP_CLOSED && n->st->tcp[i].state != TCP_LISTEN)
			return n->st->tcp[i].state;
	return TCP_CLOSED;
}

/* Start an active open to the peer; the SYN is left in the node's TX queue. */
static int open_to_peer(struct node *n)
{
	int sd = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(PEER_IP, PPORT);
	assert_int_equal(tcpip_connect(n->st, sd, &a), TCPIP_EINPROGRESS);
	return sd;
}

/* SO_ERROR of sd (a positive errno, 0 if none). */
static int so_error(struct node *n, int sd)
{
	int err = -1;
	size_t len = sizeof err;
	assert_int_equal(tcpip_getsockopt(n->st, sd, TCPIP_SOL_SOCKET, TCPIP_SO_ERROR, &err, &len), 0);
	return err;
}

static void test_passive_handshake(void **state)
{
	struct node *n = *state;
	struct pkt p;
	struct conn c = { 0 };
	c.lsd = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(0, NPORT);
	assert_int_equal(tcpip_bind(n->st, c.lsd, &a), 0);
	assert_int_equal(tcpip_listen(n->st, c.lsd, 4), 0);
	unsigned nlog = n->nfilter_log;
	assert_int_equal(n->filter_log[nlog - 1].kind, TCPIP_FILTER_TCP);
	assert_int_equal(n->filter_log[nlog - 1].local_port, NPORT);
	assert_int_equal(n->filter_log[nlog - 1].remote_port, 0);

	struct tcp_opts o = { .mss = 1200, .wscale = 3 };
	peer_tcp(n, PPORT, NPORT, PISS, 0, TCP_SYN, 5000, &o, NULL, 0);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_SYN | TCP_ACK);
	assert_int_equal(p.ack, PISS + 1);
	assert_int_equal(p.sport, NPORT);
	assert_int_equal(p.dport, PPORT);
	assert_int_equal(p.mss, 1460);
	assert_int_equal(p.wscale, 1); /* 64 KiB buffer needs a shift of 1 */
	assert_int_equal(p.wnd, 65535); /* never scaled in a SYN */
	/* The connection's 4-tuple filter was installed with the SYN. */
	const struct tcpip_filter *f = &n->filter_log[n->nfilter_log - 1];
	assert_int_equal(f->remote_ip, PEER_IP);
	assert_int_equal(f->remote_port, PPORT);
	assert_int_equal(f->local_ip, NODE_IP);
	assert_int_equal(state_of(n), TCP_SYN_RCVD);
	assert_int_equal(tcpip_accept(n->st, c.lsd, NULL), TCPIP_EAGAIN);

	peer_tcp(n, PPORT, NPORT, PISS + 1, p.seq + 1, TCP_ACK, 5000, NULL, NULL, 0);
	expect_none(n);
	struct tcpip_pollfd pfd = { .sd = c.lsd, .events = TCPIP_POLLIN };
	assert_int_equal(tcpip_poll(n->st, &pfd, 1), 1);
	struct tcpip_sockaddr_in peer;
	c.sd = tcpip_accept(n->st, c.lsd, &peer);
	assert_true(c.sd >= 0);
	assert_int_equal(tcpip_ntohl(peer.sin_addr), PEER_IP);
	assert_int_equal(tcpip_ntohs(peer.sin_port), PPORT);
	struct tcp_pcb *pcb = n->st->socks[c.sd].pcb;
	assert_int_equal(pcb->state, TCP_ESTABLISHED);
	assert_int_equal(pcb->mss, 1200);
	assert_int_equal(pcb->snd_scale, 3);
	assert_int_equal(pcb->snd_wnd, 5000u << 3);
	assert_int_equal(pcb->cwnd, 3 * 1200);
	c.n = n;
	conn_close_all(&c);
}

static void test_passive_no_options(void **state)
{
	struct node *n = *state;
	struct pkt p;
	int l = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(0, NPORT);
	tcpip_bind(n->st, l, &a);
	tcpip_listen(n->st, l, 4);
	peer_tcp(n, PPORT, NPORT, PISS, 0, TCP_SYN, 4000, NULL, NULL, 0);
	expect_tcp(n, &p);
	assert_int_equal(p.wscale, -1); /* not offered to a peer that did not */
	peer_tcp(n, PPORT, NPORT, PISS + 1, p.seq + 1, TCP_ACK, 4000, NULL, NULL, 0);
	int sd = tcpip_accept(n->st, l, NULL);
	struct tcp_pcb *pcb = n->st->socks[sd].pcb;
	assert_int_equal(pcb->mss, TCP_DEFAULT_MSS); /* RFC 9293: 536 without option */
	assert_int_equal(pcb->rcv_scale, 0);
	assert_int_equal(pcb->snd_wnd, 4000);
	tcpip_close(n->st, sd);
	tcpip_close(n->st, l);
}

static void test_active_handshake(void **state)
{
	struct node *n = *state;
	struct pkt p;
	int sd = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(PEER_IP, PPORT);
	assert_int_equal(tcpip_connect(n->st, sd, &a), TCPIP_EINPROGRESS);
	assert_int_equal(tcpip_connect(n->st, sd, &a), TCPIP_EALREADY);
	const struct tcpip_filter *f = &n->filter_log[n->nfilter_log - 1];
	assert_int_equal(f->kind, TCPIP_FILTER_TCP);
	assert_int_equal(f->remote_port, PPORT);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_SYN);
	assert_int_equal(p.mss, 1460);
	assert_int_equal(p.wscale, 1);
	assert_true(p.sport >= TCP_EPHEMERAL_LO);
	assert_int_equal(f->local_port, p.sport);
	struct tcpip_pollfd pfd = { .sd = sd, .events = TCPIP_POLLOUT };
	assert_int_equal(tcpip_poll(n->st, &pfd, 1), 0);
	assert_int_equal(tcpip_send(n->st, sd, "x", 1, 0), TCPIP_EAGAIN);
	struct tcp_opts o = { .mss = 1460, .wscale = 7 };
	peer_tcp(n, PPORT, p.sport, PISS, p.seq + 1, TCP_SYN | TCP_ACK, 1000, &o, NULL, 0);
	struct pkt q;
	expect_tcp(n, &q);
	assert_int_equal(q.flags, TCP_ACK);
	assert_int_equal(q.seq, p.seq + 1);
	assert_int_equal(q.ack, PISS + 1);
	assert_int_equal(tcpip_poll(n->st, &pfd, 1), 1);
	assert_int_equal(so_error(n, sd), 0);
	struct tcp_pcb *pcb = n->st->socks[sd].pcb;
	assert_int_equal(pcb->snd_scale, 7);
	assert_int_equal(pcb->snd_wnd, 1000); /* the SYN-ACK's window is unscaled */
	assert_int_equal(tcpip_connect(n->st, sd, &a), TCPIP_EISCONN);
	tcpip_close(n->st, sd);
}

static void test_active_refused(void **state)
{
	struct node *n = *state;
	struct pkt p;
	int sd = open_to_peer(n);
	expect_tcp(n, &p);
	/* A RST without ACK in SYN_SENT is not acceptable. */
	peer_tcp(n, PPORT, p.sport, 5, 0, TCP_RST, 0, NULL, NULL, 0);
	assert_int_equal(rxv(n, RX_TCP_BAD_RST), 1);
	/* An ACK for something we never sent gets a RST with seq = its ack. */
	peer_tcp(n, PPORT, p.sport, PISS, p.seq + 77, TCP_SYN | TCP_ACK, 1000, NULL, NULL, 0);
	struct pkt r;
	expect_tcp(n, &r);
	assert_int_equal(r.flags, TCP_RST);
	assert_int_equal(r.seq, p.seq + 77);
	assert_int_equal(state_of(n), TCP_SYN_SENT);
	peer_tcp(n, PPORT, p.sport, 0, p.seq + 1, TCP_RST | TCP_ACK, 0, NULL, NULL, 0);
	expect_none(n);
	struct tcpip_pollfd pfd = { .sd = sd, .events = TCPIP_POLLIN | TCPIP_POLLOUT };
	assert_int_equal(tcpip_poll(n->st, &pfd, 1), 1);
	assert_true(pfd.revents & TCPIP_POLLERR);
	assert_int_equal(-so_error(n, sd), TCPIP_ECONNREFUSED);
	assert_int_equal(state_of(n), TCP_CLOSED);
	tcpip_close(n->st, sd);
}

static void test_connect_port_unreachable(void **state)
{
	struct node *n = *state;
	struct pkt p;
	uint8_t f[256];
	int sd = open_to_peer(n);
	struct frame *syn = expect_frame(n, &p);
	/* A quote with another sequence number is not believed (RFC 5927). */
	struct frame *forged = malloc(sizeof *forged + syn->len);
	memcpy(forged, syn, sizeof *syn + syn->len);
	put32(forged->data + ETH_HLEN + IP_HLEN + 4, p.seq + 1);
	size_t len = build_icmp_unreach(f, ICMP_UNREACH_PORT, forged);
	free(forged);
	node_input(n, f, len, false);
	assert_int_equal(state_of(n), TCP_SYN_SENT);
	len = build_icmp_unreach(f, ICMP_UNREACH_PORT, syn);
	node_input(n, f, len, false);
	assert_int_equal(state_of(n), TCP_CLOSED);
	assert_int_equal(-so_error(n, sd), TCPIP_ECONNREFUSED);
	tcpip_close(n->st, sd);
}

static void test_syn_backoff_and_timeout(void **state)
{
	struct node *n = *state;
	struct pkt p;
	int sd = open_to_peer(n);
	expect_tcp(n, &p);
	uint32_t iss = p.seq;
	uint64_t rto = TCP_RTO_INITIAL_MS;
	for (int i = 0; i < TCP_SYN_RETRIES; i++) {
		assert_int_equal(tcpip_next_deadline(n->st), h_now + rto);
		node_advance(n, rto - 1);
		expect_none(n);
		node_advance(n, 1);
		expect_tcp(n, &p);
		assert_int_equal(p.flags, TCP_SYN);
		assert_int_equal(p.seq, iss);
		rto *= 2;
	}
	node_advance(n, rto);
	expect_none(n);
	assert_int_equal(tcpip_recv(n->st, sd, NULL, 0, 0), TCPIP_ETIMEDOUT);
	assert_int_equal(evv(n, EV_TCP_TIMEOUT), 1);
	tcpip_close(n->st, sd);
}

static void test_closed_port_reset(void **state)
{
	struct node *n = *state;
	struct pkt p;
	peer_tcp(n, PPORT, 81, PISS, 0, TCP_SYN, 1000, NULL, NULL, 0);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_RST | TCP_ACK);
	assert_int_equal(p.seq, 0);
	assert_int_equal(p.ack, PISS + 1);
	peer_tcp(n, PPORT, 81, PISS, 4242, TCP_ACK, 1000, NULL, "data", 4);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_RST);
	assert_int_equal(p.seq, 4242);
	peer_tcp(n, PPORT, 81, PISS, 4242, TCP_RST, 1000, NULL, NULL, 0);
	expect_none(n); /* never a RST for a RST */
	assert_int_equal(rxv(n, RX_TCP_NO_PCB), 3);
}

static void test_listener_rules(void **state)
{
	struct node *n = *state;
	struct pkt p;
	int l = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(0, NPORT);
	tcpip_bind(n->st, l, &a);
	tcpip_listen(n->st, l, 2);
	peer_tcp(n, PPORT, NPORT, PISS, 777, TCP_ACK, 1000, NULL, NULL, 0);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_RST);
	assert_int_equal(p.seq, 777);
	peer_tcp(n, PPORT, NPORT, PISS, 0, TCP_RST, 1000, NULL, NULL, 0);
	expect_none(n);
	/* Backlog 2: the third SYN is dropped silently. */
	for (uint16_t i = 0; i < 3; i++)
		peer_tcp(n, (uint16_t)(PPORT + i), NPORT, PISS, 0, TCP_SYN, 1000, NULL, NULL, 0);
	expect_tcp(n, &p);
	expect_tcp(n, &p);
	expect_none(n);
	assert_int_equal(rxv(n, RX_TCP_LISTEN_FULL), 1);
	/* A RST for a half-open child returns to LISTEN (child freed). */
	peer_tcp(n, PPORT, NPORT, PISS + 1, 0, TCP_RST, 1000, NULL, NULL, 0);
	struct tcpip_pool_usage u;
	tcpip_pool_usage(n->st, &u);
	assert_int_equal(u.tcp_pcbs, 2); /* listener + one child */
	/* A duplicate SYN in SYN_RCVD gets the SYN-ACK again. */
	peer_tcp(n, PPORT + 1, NPORT, PISS, 0, TCP_SYN, 1000, NULL, NULL, 0);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_SYN | TCP_ACK);
	assert_int_equal(p.ack, PISS + 1);
	/* Closing the listener aborts the child. */
	tcpip_close(n->st, l);
	tcpip_pool_usage(n->st, &u);
	assert_int_equal(u.tcp_pcbs, 0);
}

static void test_synack_retransmit(void **state)
{
	struct node *n = *state;
	struct pkt p, q;
	int l = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(0, NPORT);
	tcpip_bind(n->st, l, &a);
	tcpip_listen(n->st, l, 2);
	peer_tcp(n, PPORT, NPORT, PISS, 0, TCP_SYN, 1000, NULL, NULL, 0);
	expect_tcp(n, &p);
	node_advance(n, TCP_RTO_INITIAL_MS);
	expect_tcp(n, &q);
	assert_int_equal(q.flags, TCP_SYN | TCP_ACK);
	assert_int_equal(q.seq, p.seq);
	/* A half-open connection gives up after TCP_SYN_RETRIES. */
	for (int i = 0; i < 200; i++)
		node_advance(n, 1000);
	node_drain(n);
	struct tcpip_pool_usage u;
	tcpip_pool_usage(n->st, &u);
	assert_int_equal(u.tcp_pcbs, 1);
	tcpip_close(n->st, l);
}

static void test_rst_established(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	conn_passive(&c, n, NULL);
	/* Out of window: dropped, no answer to a RST. */
	conn_send(&c, c.snd + 200000, NULL, 0, TCP_RST);
	expect_none(n);
	assert_int_equal(rxv(n, RX_TCP_NOT_ACCEPTABLE), 1);
	/* In window but not RCV.NXT: challenge ACK (RFC 5961 3.2). */
	conn_send(&c, c.snd + 100, NULL, 0, TCP_RST);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_ACK);
	assert_int_equal(p.ack, c.snd);
	assert_int_equal(pcb_of(&c)->state, TCP_ESTABLISHED);
	/* A SYN in a synchronized state: challenge ACK too (4.2). */
	conn_send(&c, c.snd, NULL, 0, TCP_SYN);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_ACK);
	assert_int_equal(pcb_of(&c)->state, TCP_ESTABLISHED);
	assert_int_equal(rxv(n, RX_TCP_CHALLENGE), 2);
	/* Exactly RCV.NXT: reset. */
	conn_send(&c, c.snd, NULL, 0, TCP_RST);
	expect_none(n);
	assert_null(n->st->socks[c.sd].pcb);
	char b[4];
	assert_int_equal(tcpip_recv(n->st, c.sd, b, 4, 0), TCPIP_ECONNRESET);
	assert_int_equal(tcpip_send(n->st, c.sd, b, 4, 0), TCPIP_EPIPE);
	assert_int_equal(evv(n, EV_TCP_RESET), 1);
	conn_close_all(&c);
}

static void test_rst_in_closing_states(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	static const uint8_t targets[] = { TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT,
					   TCP_LAST_ACK, TCP_CLOSING, TCP_TIME_WAIT };
	for (unsigned i = 0; i < sizeof targets; i++) {
		conn_passive(&c, n, NULL);
		uint8_t want = targets[i];
		if (want == TCP_CLOSE_WAIT || want == TCP_LAST_ACK) {
			conn_send(&c, c.snd, NULL, 0, TCP_FIN | TCP_ACK);
			c.snd++;
			expect_tcp(n, &p);
			if (want == TCP_LAST_ACK) {
				tcpip_shutdown(n->st, c.sd, TCPIP_SHUT_WR);
				expect_tcp(n, &p);
			}
		} else {
			tcpip_shutdown(n->st, c.sd, TCPIP_SHUT_WR);
			expect_tcp(n, &p); /* FIN */
			assert_true(p.flags & TCP_FIN);
			if (want == TCP_FIN_WAIT_2 || want == TCP_TIME_WAIT)
				conn_ack(&c, p.seq + 1, 65535);
			if (want == TCP_CLOSING || want == TCP_TIME_WAIT) {
				conn_send(&c, c.snd, NULL, 0, TCP_FIN | TCP_ACK);
				c.snd++;
				expect_tcp(n, &p);
			}
		}
		assert_int_equal(state_of(n), want);
		conn_send(&c, c.snd, NULL, 0, TCP_RST);
		expect_none(n);
		assert_int_equal(state_of(n), TCP_CLOSED);
		conn_close_all(&c);
	}
}

static void test_simultaneous_open(void **state)
{
	struct node *n = *state;
	struct pkt p, q;
	int sd = open_to_peer(n);
	expect_tcp(n, &p);
	/* The peer's SYN crosses ours. */
	struct tcp_opts o = { .mss = 1460, .wscale = 2 };
	peer_tcp(n, PPORT, p.sport, PISS, 0, TCP_SYN, 8000, &o, NULL, 0);
	expect_tcp(n, &q);
	assert_int_equal(q.flags, TCP_SYN | TCP_ACK);
	assert_int_equal(q.seq, p.seq);
	assert_int_equal(q.ack, PISS + 1);
	assert_int_equal(q.wscale, 1);
	assert_int_equal(state_of(n), TCP_SYN_RCVD);
	/* Its SYN-ACK (acking our SYN) completes the handshake. */
	peer_tcp(n, PPORT, p.sport, PISS, p.seq + 1, TCP_SYN | TCP_ACK, 8000, &o, NULL, 0);
	node_drain(n);
	peer_tcp(n, PPORT, p.sport, PISS + 1, p.seq + 1, TCP_ACK, 8000, NULL, NULL, 0);
	assert_int_equal(state_of(n), TCP_ESTABLISHED);
	struct tcpip_pollfd pfd = { .sd = sd, .events = TCPIP_POLLOUT };
	assert_int_equal(tcpip_poll(n->st, &pfd, 1), 1);
	tcpip_close(n->st, sd);
}

static void test_active_close_time_wait(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	conn_passive(&c, n, NULL);
	int filters = n->filters_active;
	tcpip_close(n->st, c.sd);
	c.sd = -1;
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_FIN | TCP_ACK);
	assert_int_equal(p.seq, c.rcv);
	assert_int_equal(state_of(n), TCP_FIN_WAIT_1);
	conn_ack(&c, p.seq + 1, 65535);
	assert_int_equal(state_of(n), TCP_FIN_WAIT_2);
	conn_send(&c, c.snd, NULL, 0, TCP_FIN | TCP_ACK);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_ACK);
	assert_int_equal(p.ack, c.snd + 1);
	assert_int_equal(state_of(n), TCP_TIME_WAIT);
	/* A retransmitted FIN is acknowledged again. */
	node_advance(n, 1000);
	conn_send(&c, c.snd, NULL, 0, TCP_FIN | TCP_ACK);
	expect_tcp(n, &p);
	assert_int_equal(p.ack, c.snd + 1);
	/* 2 MSL from then. */
	assert_int_equal(tcpip_next_deadline(n->st), h_now + 2 * TCP_MSL_MS);
	node_advance(n, 2 * TCP_MSL_MS - 1);
	assert_int_equal(state_of(n), TCP_TIME_WAIT);
	node_advance(n, 1);
	assert_int_equal(state_of(n), TCP_CLOSED);
	assert_int_equal(n->filters_active, filters - 1);
	expect_none(n);
	conn_close_all(&c);
}

static void test_time_wait_reopened_by_new_syn(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	conn_passive(&c, n, NULL);
	tcpip_close(n->st, c.sd);
	c.sd = -1;
	expect_tcp(n, &p);
	conn_ack(&c, p.seq + 1, 65535);
	conn_send(&c, c.snd, NULL, 0, TCP_FIN | TCP_ACK);
	expect_tcp(n, &p);
	assert_int_equal(state_of(n), TCP_TIME_WAIT);
	/* An old-numbered SYN gets a challenge ACK; a higher one reopens. */
	peer_tcp(n, PPORT, NPORT, PISS, 0, TCP_SYN, 1000, NULL, NULL, 0);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_ACK);
	peer_tcp(n, PPORT, NPORT, c.snd + 100000, 0, TCP_SYN, 1000, NULL, NULL, 0);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_SYN | TCP_ACK);
	assert_int_equal(p.ack, c.snd + 100001);
	assert_int_equal(state_of(n), TCP_SYN_RCVD);
	conn_close_all(&c);
}

static void test_passive_close(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	char b[8];
	conn_passive(&c, n, NULL);
	conn_send(&c, c.snd, "bye", 3, TCP_FIN | TCP_ACK | TCP_PSH);
	expect_tcp(n, &p);
	assert_int_equal(p.ack, c.snd + 4);
	c.snd += 4;
	assert_int_equal(state_of(n), TCP_CLOSE_WAIT);
	assert_int_equal(tcpip_recv(n->st, c.sd, b, sizeof b, 0), 3);
	assert_int_equal(tcpip_recv(n->st, c.sd, b, sizeof b, 0), 0);
	/* Still writable in CLOSE_WAIT. */
	assert_int_equal(tcpip_send(n->st, c.sd, "ok", 2, 0), 2);
	expect_tcp(n, &p);
	assert_int_equal(p.len, 2);
	tcpip_close(n->st, c.sd);
	c.sd = -1;
	expect_tcp(n, &p);
	assert_true(p.flags & TCP_FIN);
	assert_int_equal(state_of(n), TCP_LAST_ACK);
	conn_ack(&c, p.seq + 1, 65535);
	assert_int_equal(state_of(n), TCP_CLOSED);
	conn_close_all(&c);
}

static void test_simultaneous_close(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	conn_passive(&c, n, NULL);
	tcpip_shutdown(n->st, c.sd, TCPIP_SHUT_WR);
	expect_tcp(n, &p);
	uint32_t fin = p.seq;
	/* The peer's FIN crosses ours: it does not ack our FIN. */
	conn_send(&c, c.snd, NULL, 0, TCP_FIN | TCP_ACK);
	expect_tcp(n, &p);
	assert_int_equal(p.ack, c.snd + 1);
	assert_int_equal(state_of(n), TCP_CLOSING);
	c.snd++;
	conn_ack(&c, fin + 1, 65535);
	assert_int_equal(state_of(n), TCP_TIME_WAIT);
	node_advance(n, 2 * TCP_MSL_MS);
	assert_int_equal(state_of(n), TCP_CLOSED);
	char b[2];
	assert_int_equal(tcpip_recv(n->st, c.sd, b, 2, 0), 0);
	conn_close_all(&c);
}

static void test_fin_retransmitted(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p, q;
	conn_passive(&c, n, NULL);
	tcpip_close(n->st, c.sd);
	c.sd = -1;
	expect_tcp(n, &p);
	node_advance(n, TCP_RTO_INITIAL_MS);
	expect_tcp(n, &q);
	assert_int_equal(q.flags, TCP_FIN | TCP_ACK);
	assert_int_equal(q.seq, p.seq);
	/* Orphaned FIN_WAIT_2 gives up after TCP_FIN_WAIT2_MS. */
	conn_ack(&c, p.seq + 1, 65535);
	assert_int_equal(state_of(n), TCP_FIN_WAIT_2);
	node_advance(n, TCP_FIN_WAIT2_MS);
	assert_int_equal(state_of(n), TCP_CLOSED);
	conn_close_all(&c);
}

static void test_close_with_unread_data_resets(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	conn_passive(&c, n, NULL);
	conn_send(&c, c.snd, "unread", 6, TCP_ACK | TCP_PSH);
	node_advance(n, TCP_DELACK_MS);
	node_drain(n);
	tcpip_close(n->st, c.sd);
	c.sd = -1;
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_RST | TCP_ACK);
	assert_int_equal(state_of(n), TCP_CLOSED);
	conn_close_all(&c);
}

static void test_ack_of_unsent_data(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	conn_passive(&c, n, NULL);
	conn_ack(&c, c.rcv + 1000, 65535);
	expect_tcp(n, &p);
	assert_int_equal(p.flags, TCP_ACK);
	assert_int_equal(p.seq, c.rcv);
	assert_int_equal(rxv(n, RX_TCP_BAD_ACK), 1);
	/* No ACK flag at all in a synchronized state: dropped. */
	conn_send(&c, c.snd, "x", 1, TCP_PSH);
	assert_int_equal(rxv(n, RX_TCP_BAD_FLAGS), 1);
	conn_close_all(&c);
}

static void test_keepalive(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	conn_passive(&c, n, NULL);
	int one = 1, idle = 10, intvl = 2, cnt = 3;
	tcpip_setsockopt(n->st, c.sd, TCPIP_IPPROTO_TCP, TCPIP_TCP_KEEPIDLE, &idle, sizeof idle);
	tcpip_setsockopt(n->st, c.sd, TCPIP_IPPROTO_TCP, TCPIP_TCP_KEEPINTVL, &intvl, sizeof intvl);
	tcpip_setsockopt(n->st, c.sd, TCPIP_IPPROTO_TCP, TCPIP_TCP_KEEPCNT, &cnt, sizeof cnt);
	assert_int_equal(tcpip_setsockopt(n->st, c.sd, TCPIP_SOL_SOCKET, TCPIP_SO_KEEPALIVE, &one,
					  sizeof one), 0);
	node_advance(n, 10000);
	expect_tcp(n, &p);
	assert_int_equal(p.seq, c.rcv - 1); /* RFC 1122 4.2.3.6 probe */
	assert_int_equal(p.len, 0);
	conn_ack(&c, c.rcv, 65535); /* the answer resets the idle timer */
	node_advance(n, 9999);
	expect_none(n);
	node_advance(n, 1);
	expect_tcp(n, &p);
	for (int i = 0; i < cnt - 1; i++) {
		node_advance(n, 2000);
		expect_tcp(n, &p);
	}
	node_advance(n, 2000);
	expect_none(n);
	char b[1];
	assert_int_equal(tcpip_recv(n->st, c.sd, b, 1, 0), TCPIP_ETIMEDOUT);
	assert_int_equal(evv(n, EV_TCP_KEEPALIVE), cnt + 1);
	conn_close_all(&c);
}

static void test_malformed_segments(void **state)
{
	struct node *n = *state;
	struct conn c;
	uint8_t f[256];
	conn_passive(&c, n, NULL);
	size_t len = build_tcp(f, PEER_IP, PPORT, NODE_IP, NPORT, c.snd, c.rcv, TCP_ACK, 1000,
			       NULL, "data", 4);
	uint8_t *t = f + ETH_HLEN + IP_HLEN;
	uint8_t g[256];
#define SEND_MUT(stmt, verdict) do { \
		memcpy(g, f, len); \
		t = g + ETH_HLEN + IP_HLEN; \
		stmt; \
		uint64_t b = rxv(n, verdict); \
		node_input(n, g, len, true); \
		assert_int_equal(rxv(n, verdict), b + 1); \
	} while (0)
	SEND_MUT(t[17] ^= 1, RX_TCP_BAD_CSUM);
	SEND_MUT(t[12] = 0x40, RX_TCP_BAD_OFF);
	SEND_MUT(t[12] = 0xf0, RX_TCP_BAD_OFF);
	/* The rest have valid checksums: rebuild each. */
	static const uint8_t bad_flags[] = { TCP_SYN | TCP_FIN, TCP_SYN | TCP_RST, 0, TCP_FIN,
					     TCP_URG | TCP_PSH | TCP_FIN };
	for (unsigned i = 0; i < sizeof bad_flags; i++) {
		len = build_tcp(g, PEER_IP, PPORT, NODE_IP, NPORT, c.snd, c.rcv, bad_flags[i],
				1000, NULL, NULL, 0);
		node_input(n, g, len, false);
	}
	assert_int_equal(rxv(n, RX_TCP_BAD_FLAGS), sizeof bad_flags);
	len = build_tcp(g, PEER_IP, 0, NODE_IP, NPORT, c.snd, c.rcv, TCP_ACK, 1000, NULL, NULL, 0);
	node_input(n, g, len, false);
	assert_int_equal(rxv(n, RX_TCP_BAD_PORT), 1);
	/* Option lengths: MSS with length 3, an option running off the end. */
	uint8_t seg[32] = { 0 };
	put16(seg, PPORT);
	put16(seg + 2, NPORT);
	put32(seg + 4, c.snd);
	put32(seg + 8, c.rcv);
	seg[12] = 0x60;
	seg[13] = TCP_ACK;
	put16(seg + 14, 1000);
	seg[20] = TCPOPT_MSS;
	seg[21] = 3;
	put16(seg + 16, cksum_fold(cksum_add(cksum_pseudo(PEER_IP, NODE_IP, 6, 24), seg, 24)));
	len = build_ip(g, PEER_IP, NODE_IP, IP_PROTO_TCP, 1, 0, seg, 24);
	node_input(n, g, len, false);
	seg[20] = 30;
	seg[21] = 9;
	put16(seg + 16, 0);
	put16(seg + 16, cksum_fold(cksum_add(cksum_pseudo(PEER_IP, NODE_IP, 6, 24), seg, 24)));
	len = build_ip(g, PEER_IP, NODE_IP, IP_PROTO_TCP, 1, 0, seg, 24);
	node_input(n, g, len, false);
	assert_int_equal(rxv(n, RX_TCP_BAD_OPTS), 2);
	len = build_ip(g, PEER_IP, NODE_IP, IP_PROTO_TCP, 1, 0, seg, 19);
	node_input(n, g, len, false);
	assert_int_equal(rxv(n, RX_TCP_SHORT), 1);
	expect_none(n);
	assert_int_equal(pcb_of(&c)->state, TCP_ESTABLISHED);
	assert_int_equal(pcb_of(&c)->rcvq.bytes, 0);
	conn_close_all(&c);
}

static char dump[8192];
static size_t dump_len;
static void collect(void *arg, const char *t, size_t len)
{
	(void)arg;
	assert_true(dump_len + len < sizeof dump);
	memcpy(dump + dump_len, t, len);
	dump_len += len;
	dump[dump_len] = 0;
}

static void test_connection_dump(void **state)
{
	struct node *n = *state;
	struct conn c;
	conn_passive(&c, n, NULL);
	int u = tcpip_socket(n->st, TCPIP_SOCK_DGRAM);
	struct tcpip_sockaddr_in a = sin_of(0, 53);
	tcpip_bind(n->st, u, &a);
	dump_len = 0;
	tcpip_dump_conns(n->st, collect, NULL);
	assert_non_null(strstr(dump, "conn: tcp 0.0.0.0:80 0.0.0.0:0 LISTEN"));
	assert_non_null(strstr(dump, "conn: tcp 10.0.0.1:80 10.0.0.2:40000 ESTABLISHED"));
	assert_non_null(strstr(dump, "conn: udp 0.0.0.0:53 0.0.0.0:0 BOUND"));
	tcpip_close(n->st, c.sd);
	c.sd = -1;
	dump_len = 0;
	tcpip_dump_conns(n->st, collect, NULL);
	assert_non_null(strstr(dump, "FIN_WAIT_1"));
	assert_non_null(strstr(dump, " orphan\n"));
	/* Every line is complete: the dump ends with a newline. */
	assert_int_equal(dump[dump_len - 1], '\n');
	tcpip_close(n->st, u);
	conn_close_all(&c);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, node_setup_peer, node_teardown)
	const struct CMUnitTest tests[] = {
		T(test_passive_handshake),
		T(test_passive_no_options),
		T(test_active_handshake),
		T(test_active_refused),
		T(test_connect_port_unreachable),
		T(test_syn_backoff_and_timeout),
		T(test_closed_port_reset),
		T(test_listener_rules),
		T(test_synack_retransmit),
		T(test_rst_established),
		T(test_rst_in_closing_states),
		T(test_simultaneous_open),
		T(test_active_close_time_wait),
		T(test_time_wait_reopened_by_new_syn),
		T(test_passive_close),
		T(test_simultaneous_close),
		T(test_fin_retransmitted),
		T(test_close_with_unread_data_resets),
		T(test_ack_of_unsent_data),
		T(test_keepalive),
		T(test_malformed_segments),
		T(test_connection_dump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
