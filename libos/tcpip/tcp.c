/*
 * TCP control blocks (RFC 9293 3.3.2 states) and the user-level operations
 * on them: open (active and passive), close, shutdown, and the receive
 * window that reading data reopens. Segment arrival is in tcp_in.c,
 * segment output in tcp_out.c, timers in tcp_timer.c.
 *
 * A pcb outlives its socket: after close() it finishes the FIN exchange and
 * TIME_WAIT on its own (TF_ORPHAN). When the table is full, the oldest
 * TIME_WAIT pcb is recycled (as BSD and lwIP do), which is safe for
 * connections whose 2 MSL have mostly passed and keeps a busy server from
 * running out of pcbs.
 */
#include "priv.h"

static const char *const state_names[] = {
	[TCP_CLOSED] = "CLOSED", [TCP_LISTEN] = "LISTEN", [TCP_SYN_SENT] = "SYN_SENT",
	[TCP_SYN_RCVD] = "SYN_RCVD", [TCP_ESTABLISHED] = "ESTABLISHED",
	[TCP_FIN_WAIT_1] = "FIN_WAIT_1", [TCP_FIN_WAIT_2] = "FIN_WAIT_2",
	[TCP_CLOSE_WAIT] = "CLOSE_WAIT", [TCP_CLOSING] = "CLOSING",
	[TCP_LAST_ACK] = "LAST_ACK", [TCP_TIME_WAIT] = "TIME_WAIT",
};

const char *tcp_state_name(uint8_t state)
{
	return state < TCPIP_ARRAY_LEN(state_names) ? state_names[state] : "?";
}

struct tcp_pcb *tcp_alloc(struct tcpip *st)
{
	struct tcp_pcb *pcb = NULL, *tw = NULL;

	for (unsigned i = 0; i < TCPIP_NTCP && !pcb; i++) {
		struct tcp_pcb *p = &st->tcp[i];
		if (p->state == TCP_CLOSED)
			pcb = p;
		else if (p->state == TCP_TIME_WAIT && (!tw || p->t_wait < tw->t_wait))
			tw = p;
	}
	if (!pcb && tw) {
		EV(st, TCP_TW_RECYCLED);
		tcp_free(st, tw);
		pcb = tw;
	}
	if (!pcb)
		return NULL;
	tcpip_memset(pcb, 0, sizeof *pcb);
	pcb->sd = -1;
	pcb->rcvbuf = pcb->sndbuf = TCP_DEFAULT_BUF;
	pcb->mss = TCP_DEFAULT_MSS;
	pcb->rto = TCP_RTO_INITIAL_MS;
	pcb->keepidle = TCP_KEEPIDLE_MS;
	pcb->keepintvl = TCP_KEEPINTVL_MS;
	pcb->keepcnt = TCP_KEEPCNT;
	return pcb;
}

/* The per-connection 4-tuple filter (issue: installed on accept/connect). */
void tcp_filter(struct tcpip *st, struct tcp_pcb *pcb, bool install)
{
	struct tcpip_filter f = {
		.kind = TCPIP_FILTER_TCP, .local_ip = pcb->lip, .local_port = pcb->lport,
		.remote_ip = pcb->rip, .remote_port = pcb->rport,
	};
	if (install == !!(pcb->flags & TF_FILTER))
		return;
	if (install && filter_hook(st, &f, true) != 0)
		return; /* the listener's or the bind filter still steers it */
	if (!install)
		filter_hook(st, &f, false);
	pcb->flags ^= TF_FILTER;
}

static void acc_unlink(struct tcp_pcb *parent, struct tcp_pcb *child)
{
	struct tcp_pcb **pp = &parent->acc_head, *prev = NULL;

	while (*pp && *pp != child) {
		prev = *pp;
		pp = &(*pp)->acc_next;
	}
	if (!*pp)
		return;
	*pp = child->acc_next;
	if (parent->acc_tail == child)
		parent->acc_tail = prev;
}

/* Release a pcb and everything it holds; the socket learns pcb->err. */
void tcp_free(struct tcpip *st, struct tcp_pcb *pcb)
{
	if (pcb->state == TCP_CLOSED)
		return;
	if (pcb->state == TCP_LISTEN) {
		for (unsigned i = 0; i < TCPIP_NTCP; i++)
			if (st->tcp[i].state != TCP_CLOSED && st->tcp[i].parent == pcb)
				tcp_abort(st, &st->tcp[i], TCPIP_ECONNABORTED);
	}
	if (pcb->parent) {
		acc_unlink(pcb->parent, pcb);
		pcb->parent->nchild--;
		pcb->parent = NULL;
	}
	tcp_filter(st, pcb, false);
	pbq_free(st, &pcb->sndq);
	pbq_free(st, &pcb->oooq);
	if (pcb->sd >= 0) {
		struct sock *s = &st->socks[pcb->sd];
		/* Unread data stays readable after the connection is gone. */
		struct pbuf *p;
		while ((p = pbq_pop(&pcb->rcvq)))
			pbq_push(&s->rxq, p);
		if (pcb->err && !s->err)
			s->err = pcb->err;
		s->pcb = NULL;
		sock_event(st, pcb->sd);
	}
	pbq_free(st, &pcb->rcvq);
	pcb->state = TCP_CLOSED;
}

/* Drop the connection: RST to the peer if synchronized, then free. */
void tcp_abort(struct tcpip *st, struct tcp_pcb *pcb, int err)
{
	if (pcb->state >= TCP_SYN_RCVD && pcb->state != TCP_TIME_WAIT)
		tcp_send_rst(st, pcb->lip, pcb->lport, pcb->rip, pcb->rport, pcb->snd_nxt,
			     pcb->rcv_nxt, TCP_RST | TCP_ACK);
	pcb->err = err;
	tcp_free(st, pcb);
}

void tcp_notify(struct tcpip *st, struct tcp_pcb *pcb)
{
	if (pcb->sd >= 0)
		sock_event(st, pcb->sd);
	else if (pcb->parent && pcb->parent->sd >= 0)
		sock_event(st, pcb->parent->sd);
}

void tcp_set_state(struct tcpip *st, struct tcp_pcb *pcb, uint8_t state)
{
	pcb->state = state;
	if (state == TCP_ESTABLISHED) {
		EV(st, TCP_ESTAB);
		if (pcb->flags & TF_KEEPALIVE)
			pcb->t_keep = st->now + pcb->keepidle;
		struct tcp_pcb *l = pcb->parent;
		if (l) {
			pcb->acc_next = NULL;
			if (l->acc_tail)
				l->acc_tail->acc_next = pcb;
			else
				l->acc_head = pcb;
			l->acc_tail = pcb;
		}
	} else if (state == TCP_TIME_WAIT) {
		pcb->t_rexmit = pcb->t_persist = pcb->t_keep = 0;
		pcb->t_wait = st->now + 2 * TCP_MSL_MS;
		pbq_free(st, &pcb->sndq);
	}
	tcp_notify(st, pcb);
}

struct tcp_pcb *tcp_lookup(struct tcpip *st, uint32_t lip, uint16_t lport, uint32_t rip,
			   uint16_t rport)
{
	struct tcp_pcb *listener = NULL;

	for (unsigned i = 0; i < TCPIP_NTCP; i++) {
		struct tcp_pcb *p = &st->tcp[i];
		if (p->state == TCP_CLOSED || p->lport != lport)
			continue;
		if (p->state == TCP_LISTEN) {
			if (!p->lip || p->lip == lip)
				listener = p;
		} else if (p->rport == rport && p->rip == rip && p->lip == lip) {
			return p;
		}
	}
	return listener;
}

bool tcp_port_used(struct tcpip *st, uint32_t lip, uint16_t port)
{
	for (unsigned i = 0; i < TCPIP_NTCP; i++) {
		struct tcp_pcb *p = &st->tcp[i];
		if (p->state != TCP_CLOSED && p->lport == port &&
		    (!lip || !p->lip || p->lip == lip))
			return true;
	}
	return false;
}

/* Window scale (RFC 7323 2.3): the least shift that covers the buffer. */
uint8_t tcp_wscale_for(uint32_t buf)
{
	uint8_t s = 0;

	while (s < TCP_MAX_WSCALE && (buf >> s) > 0xffff)
		s++;
	return s;
}

int tcp_connect(struct tcpip *st, struct tcp_pcb *pcb)
{
	pcb->iss = st->env.random(st->env.ctx);
	pcb->snd_una = pcb->snd_nxt = pcb->snd_max = pcb->iss;
	pcb->sndq_seq = pcb->iss + 1;
	pcb->recover = pcb->iss;
	pcb->rcv_scale = tcp_wscale_for(pcb->rcvbuf);
	pcb->state = TCP_SYN_SENT;
	tcp_filter(st, pcb, true);
	tcp_output(st, pcb);
	return 0;
}

/* No more data from the user: FIN after what is queued (RFC 9293 3.10.4). */
void tcp_shutdown_wr(struct tcpip *st, struct tcp_pcb *pcb)
{
	if (pcb->flags & TF_FIN_QUEUED)
		return;
	if (pcb->state == TCP_ESTABLISHED || pcb->state == TCP_SYN_RCVD)
		tcp_set_state(st, pcb, TCP_FIN_WAIT_1);
	else if (pcb->state == TCP_CLOSE_WAIT)
		tcp_set_state(st, pcb, TCP_LAST_ACK);
	else
		return;
	pcb->flags |= TF_FIN_QUEUED;
	tcp_output(st, pcb);
}

/*
 * The socket is closed. Unread data means the application lost bytes the
 * peer thinks were delivered: reset instead of a FIN (RFC 9293 3.10.4 allows
 * it, RFC 2525 2.17 recommends it). Otherwise the pcb finishes by itself.
 */
void tcp_close(struct tcpip *st, struct tcp_pcb *pcb)
{
	pcb->sd = -1;
	pcb->flags |= TF_ORPHAN;
	switch (pcb->state) {
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		tcp_free(st, pcb);
		return;
	default:
		break;
	}
	if (pcb->rcvq.bytes || pcb->oooq.bytes) {
		tcp_abort(st, pcb, 0);
		return;
	}
	tcp_shutdown_wr(st, pcb);
	if (pcb->state == TCP_FIN_WAIT_2)
		pcb->t_wait = st->now + TCP_FIN_WAIT2_MS;
}

/* Free receive space, less what the scale cannot express. */
uint32_t tcp_rcv_window(const struct tcp_pcb *pcb)
{
	uint32_t used = pcb->rcvq.bytes + pcb->oooq.bytes;
	uint32_t space = used < pcb->rcvbuf ? pcb->rcvbuf - used : 0;

	return TCPIP_MIN(space, (uint32_t)0xffff << pcb->rcv_scale);
}

/*
 * The user read data. Announce the reopened window when it grew by two
 * segments or half the buffer since the last advertisement (receiver SWS
 * avoidance, RFC 9293 3.8.6.2.2, and RFC 1122 4.2.3.3).
 */
void tcp_recved(struct tcpip *st, struct tcp_pcb *pcb)
{
	if (pcb->state < TCP_ESTABLISHED || pcb->state == TCP_TIME_WAIT ||
	    (pcb->flags & TF_RCVD_FIN))
		return;
	uint32_t adv = SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt) ? pcb->rcv_adv - pcb->rcv_nxt : 0;
	uint32_t win = tcp_rcv_window(pcb);
	if (win > adv && win - adv >= TCPIP_MIN(2u * pcb->mss, pcb->rcvbuf / 2)) {
		pcb->flags |= TF_ACK_NOW;
		tcp_output(st, pcb);
	}
}

/* An ICMP protocol/port unreachable quoting one of our segments (icmp.c). */
void tcp_unreachable(struct tcpip *st, uint32_t lip, uint16_t lport, uint32_t rip,
		     uint16_t rport, uint32_t seq)
{
	struct tcp_pcb *pcb = tcp_lookup(st, lip, lport, rip, rport);

	if (!pcb || pcb->state != TCP_SYN_SENT || seq != pcb->iss)
		return;
	pcb->err = TCPIP_ECONNREFUSED;
	tcp_free(st, pcb);
}
