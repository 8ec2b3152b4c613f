/*
 * TCP segment arrival, following the event processing of RFC 9293 3.10.7:
 * a segment is first checked as a datagram (length, data offset, checksum,
 * options, flag combinations), then handed to the state it arrives in:
 * LISTEN and SYN-SENT have their own rules; every synchronized state goes
 * through the sequence of checks "acceptability, RST, SYN, ACK, data, FIN".
 *
 * RFC 5961 hardening: a RST is honoured only when its sequence number is
 * exactly RCV.NXT (in-window RSTs get a challenge ACK), a SYN in a
 * synchronized state gets a challenge ACK, and ACKs older than the largest
 * window the peer offered are dropped. Challenge ACKs are rate-limited.
 *
 * ACK processing and congestion control are in tcp_ack.c, the data and FIN
 * of a segment go to tcp_rcv.c.
 */
#include "priv.h"

static bool tcp_parse_options(const uint8_t *o, uint32_t n, struct seg *sg)
{
	uint32_t i = 0;

	while (i < n) {
		if (o[i] == TCPOPT_EOL)
			break;
		if (o[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (n - i < 2 || o[i + 1] < 2 || o[i + 1] > n - i)
			return false;
		uint8_t kind = o[i], len = o[i + 1];
		if (kind == TCPOPT_MSS) {
			if (len != 4)
				return false;
			sg->mss = get16(o + i + 2);
		} else if (kind == TCPOPT_WSCALE) {
			if (len != 3)
				return false;
			sg->wscale = o[i + 2];
		}
		i += len;
	}
	return true;
}

int tcp_challenge_ack(struct tcpip *st, struct tcp_pcb *pcb)
{
	uint64_t sec = st->now / 1000;

	if (sec != st->challenge_sec) {
		st->challenge_sec = sec;
		st->challenge_count = 0;
	}
	if (st->challenge_count++ < TCP_CHALLENGE_ACKS)
		tcp_send_ack(st, pcb);
	return RX_TCP_CHALLENGE;
}

/* MSS, window scale and the initial congestion window from a SYN. */
static void tcp_syn_options(struct tcp_pcb *pcb, const struct seg *sg)
{
	uint32_t mss = sg->mss ? sg->mss : TCP_DEFAULT_MSS;

	/* Our own limit, and a floor so a tiny MSS cannot turn a send into
	 * thousands of segments. */
	mss = TCPIP_MIN(mss, (uint32_t)(TCPIP_MTU - IP_HLEN - TCP_HLEN));
	pcb->mss = (uint16_t)TCPIP_MAX(mss, 64u);
	if (sg->wscale >= 0) {
		pcb->flags |= TF_WSCALE;
		pcb->snd_scale = (uint8_t)TCPIP_MIN(sg->wscale, TCP_MAX_WSCALE);
	} else {
		pcb->flags &= (uint16_t)~TF_WSCALE;
		pcb->snd_scale = pcb->rcv_scale = 0;
	}
	/* RFC 5681 3.1 initial window. */
	pcb->cwnd = pcb->mss > 2190 ? 2u * pcb->mss : pcb->mss > 1095 ? 3u * pcb->mss
								      : 4u * pcb->mss;
	pcb->ssthresh = 0x3fffffff;
}

static bool in_rwnd(const struct tcp_pcb *pcb, uint32_t x, uint32_t rwnd)
{
	return SEQ_GEQ(x, pcb->rcv_nxt) && SEQ_LT(x, pcb->rcv_nxt + rwnd);
}

/* RFC 9293 3.10.7.4, first check: is the segment acceptable? */
static bool tcp_acceptable(const struct tcp_pcb *pcb, const struct seg *sg, uint32_t rwnd)
{
	uint32_t seglen = sg->len + !!(sg->flags & TCP_SYN) + !!(sg->flags & TCP_FIN);

	if (seglen == 0)
		return rwnd == 0 ? sg->seq == pcb->rcv_nxt : in_rwnd(pcb, sg->seq, rwnd);
	if (rwnd == 0)
		return sg->seq == pcb->rcv_nxt; /* keep its ACK and RST; data trimmed */
	return in_rwnd(pcb, sg->seq, rwnd) || in_rwnd(pcb, sg->seq + seglen - 1, rwnd);
}

static int tcp_reset(struct tcpip *st, struct tcp_pcb *pcb)
{
	switch (pcb->state) {
	case TCP_SYN_RCVD:
		pcb->err = pcb->parent ? 0 : TCPIP_ECONNREFUSED;
		break;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
		pcb->err = TCPIP_ECONNRESET;
		EV(st, TCP_RESET);
		break;
	default:
		break;
	}
	tcp_free(st, pcb);
	return RX_TCP_OK;
}

static int tcp_sync_input(struct tcpip *st, struct tcp_pcb *pcb, struct seg *sg)
{
	uint32_t rwnd = SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt) ? pcb->rcv_adv - pcb->rcv_nxt : 0;

	if (!tcp_acceptable(pcb, sg, rwnd)) {
		if (pcb->state == TCP_SYN_RCVD && (sg->flags & TCP_SYN) && sg->seq == pcb->irs) {
			pcb->snd_nxt = pcb->iss; /* our SYN-ACK was lost */
			tcp_output(st, pcb);
			return RX_TCP_OK;
		}
		if (pcb->state == TCP_TIME_WAIT && (sg->flags & TCP_FIN))
			pcb->t_wait = st->now + 2 * TCP_MSL_MS;
		if (!(sg->flags & TCP_RST)) {
			pcb->flags |= TF_ACK_NOW;
			tcp_output(st, pcb);
		}
		return RX_TCP_NOT_ACCEPTABLE;
	}
	uint32_t seq0 = sg->seq;
	if (SEQ_LT(sg->seq, pcb->rcv_nxt)) {
		uint32_t d = pcb->rcv_nxt - sg->seq;
		if (sg->flags & TCP_SYN) {
			sg->flags &= (uint8_t)~TCP_SYN;
			d--;
		}
		if (d > sg->len)
			sg->flags &= (uint8_t)~TCP_FIN;
		d = TCPIP_MIN(d, sg->len);
		sg->data += d;
		sg->len -= d;
		sg->seq = pcb->rcv_nxt;
	}
	if (SEQ_GT(sg->seq + sg->len, pcb->rcv_nxt + rwnd)) {
		/* Beyond the window (a zero-window probe, say): keep what fits
		 * and tell the sender where the window stands. */
		sg->len = pcb->rcv_nxt + rwnd - sg->seq;
		sg->flags &= (uint8_t)~TCP_FIN;
		pcb->flags |= TF_ACK_NOW;
	}
	if (sg->flags & TCP_RST) /* RFC 5961 3.2 */
		return seq0 == pcb->rcv_nxt ? tcp_reset(st, pcb) : tcp_challenge_ack(st, pcb);
	if (sg->flags & TCP_SYN) /* RFC 5961 4.2 */
		return tcp_challenge_ack(st, pcb);
	if (!(sg->flags & TCP_ACK))
		return RX_TCP_STATE_DROP;
	if (pcb->state == TCP_SYN_RCVD) {
		if (SEQ_LEQ(sg->ack, pcb->snd_una) || SEQ_GT(sg->ack, pcb->snd_max)) {
			tcp_send_rst(st, pcb->lip, pcb->lport, pcb->rip, pcb->rport, sg->ack, 0,
				     TCP_RST);
			return RX_TCP_BAD_ACK;
		}
		pcb->snd_wnd = sg->wnd << pcb->snd_scale;
		pcb->snd_wl1 = sg->seq;
		pcb->snd_wl2 = sg->ack;
		pcb->max_snd_wnd = pcb->snd_wnd;
		tcp_set_state(st, pcb, TCP_ESTABLISHED);
	}
	int v = tcp_ack(st, pcb, sg);
	if (v != TCP_CONTINUE)
		return v;
	v = RX_TCP_OK;
	bool fin = sg->flags & TCP_FIN;
	if (sg->len || fin) {
		if (pcb->state != TCP_ESTABLISHED && pcb->state != TCP_FIN_WAIT_1 &&
		    pcb->state != TCP_FIN_WAIT_2) {
			pcb->flags |= TF_ACK_NOW;
		} else if (sg->len && (pcb->flags & (TF_ORPHAN | TF_SHUT_RD))) {
			tcp_abort(st, pcb, 0); /* nobody will read it */
			return RX_TCP_OK;
		} else {
			v = tcp_data(st, pcb, sg->seq, sg->data, sg->len, fin);
		}
	}
	tcp_output(st, pcb);
	return v;
}

static int tcp_listen_input(struct tcpip *st, struct tcp_pcb *l, const struct ip_pkt *pkt,
			    const struct seg *sg, uint16_t sport, uint16_t dport)
{
	if (sg->flags & TCP_RST)
		return RX_TCP_STATE_DROP;
	if (sg->flags & TCP_ACK) {
		tcp_send_rst(st, pkt->dst, dport, pkt->src, sport, sg->ack, 0, TCP_RST);
		return RX_TCP_STATE_DROP;
	}
	if (!(sg->flags & TCP_SYN))
		return RX_TCP_STATE_DROP;
	if (l->nchild >= l->backlog)
		return RX_TCP_LISTEN_FULL;
	struct tcp_pcb *c = tcp_alloc(st);
	if (!c)
		return RX_TCP_NOMEM;
	c->lip = pkt->dst;
	c->lport = dport;
	c->rip = pkt->src;
	c->rport = sport;
	c->parent = l;
	l->nchild++;
	c->rcvbuf = l->rcvbuf;
	c->sndbuf = l->sndbuf;
	c->flags = l->flags & (TF_NODELAY | TF_KEEPALIVE);
	c->keepidle = l->keepidle;
	c->keepintvl = l->keepintvl;
	c->keepcnt = l->keepcnt;
	c->irs = sg->seq;
	c->rcv_nxt = c->rcv_adv = sg->seq + 1;
	c->iss = st->env.random(st->env.ctx);
	c->snd_una = c->snd_nxt = c->snd_max = c->recover = c->iss;
	c->sndq_seq = c->iss + 1;
	c->rcv_scale = tcp_wscale_for(c->rcvbuf);
	tcp_syn_options(c, sg);
	c->snd_wnd = c->max_snd_wnd = sg->wnd;
	c->snd_wl1 = sg->seq;
	c->snd_wl2 = c->iss;
	c->state = TCP_SYN_RCVD;
	c->last_rx = st->now;
	tcp_filter(st, c, true);
	tcp_output(st, c);
	return RX_TCP_OK;
}

static int tcp_syn_sent_input(struct tcpip *st, struct tcp_pcb *pcb, const struct seg *sg)
{
	bool ack = sg->flags & TCP_ACK;

	if (ack && (SEQ_LEQ(sg->ack, pcb->iss) || SEQ_GT(sg->ack, pcb->snd_max))) {
		if (!(sg->flags & TCP_RST))
			tcp_send_rst(st, pcb->lip, pcb->lport, pcb->rip, pcb->rport, sg->ack, 0,
				     TCP_RST);
		return RX_TCP_BAD_ACK;
	}
	if (sg->flags & TCP_RST) {
		if (!ack)
			return RX_TCP_BAD_RST;
		pcb->err = TCPIP_ECONNREFUSED;
		tcp_free(st, pcb);
		return RX_TCP_OK;
	}
	if (!(sg->flags & TCP_SYN))
		return RX_TCP_STATE_DROP;
	pcb->irs = sg->seq;
	pcb->rcv_nxt = pcb->rcv_adv = sg->seq + 1;
	tcp_syn_options(pcb, sg);
	pcb->snd_wnd = pcb->max_snd_wnd = sg->wnd; /* never scaled in a SYN */
	pcb->snd_wl1 = sg->seq;
	pcb->snd_wl2 = sg->ack;
	if (!ack) {
		/* Simultaneous open (RFC 9293 3.5, figure 8). */
		pcb->state = TCP_SYN_RCVD;
		pcb->snd_nxt = pcb->iss;
		tcp_output(st, pcb);
		return RX_TCP_OK;
	}
	if ((pcb->flags & TF_RTT) && pcb->nrexmit == 0)
		tcp_rtt_sample(pcb, (uint32_t)(st->now - pcb->rtt_start));
	pcb->flags &= (uint16_t)~TF_RTT;
	pcb->nrexmit = 0;
	pcb->snd_una = sg->ack;
	pcb->t_rexmit = 0;
	tcp_set_state(st, pcb, TCP_ESTABLISHED);
	pcb->flags |= TF_ACK_NOW;
	tcp_output(st, pcb);
	return RX_TCP_OK;
}

int tcp_input(struct tcpip *st, struct ip_pkt *pkt)
{
	if (pkt->len < TCP_HLEN)
		return RX_TCP_SHORT;
	const struct tcp_hdr *th = (const struct tcp_hdr *)pkt->data;
	uint32_t off = (uint32_t)(th->off >> 4) * 4;
	if (off < TCP_HLEN || off > pkt->len)
		return RX_TCP_BAD_OFF;
	if (cksum_fold(cksum_add(cksum_pseudo(pkt->src, pkt->dst, IP_PROTO_TCP, pkt->len),
				 pkt->data, pkt->len)) != 0)
		return RX_TCP_BAD_CSUM;
	uint16_t sport = get16(th->sport), dport = get16(th->dport);
	if (sport == 0 || dport == 0)
		return RX_TCP_BAD_PORT;
	struct seg sg = {
		.seq = get32(th->seq), .ack = get32(th->ack), .wnd = get16(th->wnd),
		.flags = th->flags, .data = pkt->data + off, .len = pkt->len - off,
		.wscale = -1,
	};
	uint8_t f = sg.flags;
	if (((f & TCP_SYN) && (f & (TCP_FIN | TCP_RST))) || !(f & (TCP_SYN | TCP_ACK | TCP_RST)) ||
	    pkt->bcast)
		return RX_TCP_BAD_FLAGS;
	if (!tcp_parse_options(pkt->data + TCP_HLEN, off - TCP_HLEN, &sg))
		return RX_TCP_BAD_OPTS;

	struct tcp_pcb *pcb = tcp_lookup(st, pkt->dst, dport, pkt->src, sport);
	if (pcb && pcb->state == TCP_TIME_WAIT && (f & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
	    SEQ_GT(sg.seq, pcb->rcv_nxt)) {
		/* A new incarnation of the connection beyond the old sequence
		 * space may end TIME_WAIT early (RFC 1122 4.2.2.13). */
		tcp_free(st, pcb);
		pcb = tcp_lookup(st, pkt->dst, dport, pkt->src, sport);
	}
	if (!pcb) {
		/* RFC 9293 3.10.7.1: reset anything but a reset. */
		if (!(f & TCP_RST)) {
			if (f & TCP_ACK)
				tcp_send_rst(st, pkt->dst, dport, pkt->src, sport, sg.ack, 0, TCP_RST);
			else
				tcp_send_rst(st, pkt->dst, dport, pkt->src, sport, 0,
					     sg.seq + sg.len + !!(f & TCP_SYN) + !!(f & TCP_FIN),
					     TCP_RST | TCP_ACK);
		}
		return RX_TCP_NO_PCB;
	}
	if (pcb->state == TCP_LISTEN)
		return tcp_listen_input(st, pcb, pkt, &sg, sport, dport);
	pcb->last_rx = st->now;
	if (pcb->flags & TF_KEEPALIVE) {
		pcb->t_keep = st->now + pcb->keepidle;
		pcb->probes = 0;
	}
	if (pcb->state == TCP_SYN_SENT)
		return tcp_syn_sent_input(st, pcb, &sg);
	return tcp_sync_input(st, pcb, &sg);
}
