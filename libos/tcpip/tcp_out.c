/*
 * TCP segment output.
 *
 * Segments are built directly in st->tx behind room for the Ethernet and IP
 * headers, copying the payload from the send queue, so a retransmission is
 * simply another build from the same queue. tcp_output() sends what the
 * windows allow:
 *  - usable window = min(snd_wnd, cwnd) minus the bytes in flight, plus a
 *    segment per duplicate ACK before fast retransmit (RFC 3042);
 *  - sender silly-window avoidance (RFC 9293 3.8.6.2.1): a segment smaller
 *    than the MSS goes only if it empties the queue, or is at least half
 *    the largest window the peer offered; the persist timer overrides;
 *  - Nagle (RFC 896): a small final segment waits while data is in flight,
 *    unless TCP_NODELAY;
 *  - the FIN rides on the last segment once the user has closed.
 * Every segment carries the current ACK and window, which also ends any
 * delayed ACK.
 */
#include "priv.h"

/*
 * The window to advertise: never shrink the right edge already offered
 * (RFC 9293 3.8.6.2.2), and do not advertise small increases.
 */
static uint16_t tcp_adv_window(struct tcp_pcb *pcb, bool syn)
{
	uint32_t win = tcp_rcv_window(pcb);
	uint32_t cur = SEQ_GT(pcb->rcv_adv, pcb->rcv_nxt) ? pcb->rcv_adv - pcb->rcv_nxt : 0;

	uint32_t field, edge;

	if (syn) {
		field = TCPIP_MIN(win, 0xffffu); /* RFC 7323 2.2: a SYN's is unscaled */
		edge = pcb->rcv_nxt + field;
	} else {
		if (win < cur || win - cur < TCPIP_MIN(pcb->rcvbuf / 2, (uint32_t)pcb->mss))
			win = cur;
		field = TCPIP_MIN(win >> pcb->rcv_scale, 0xffffu);
		edge = pcb->rcv_nxt + (field << pcb->rcv_scale);
	}
	if (SEQ_GT(edge, pcb->rcv_adv))
		pcb->rcv_adv = edge;
	return (uint16_t)field;
}

/* Build and send one segment of len queued bytes starting at seq. */
static void tcp_emit(struct tcpip *st, struct tcp_pcb *pcb, uint32_t seq, uint8_t flags,
		     uint32_t len)
{
	uint8_t *seg = st->tx + TX_L4;
	struct tcp_hdr *th = (struct tcp_hdr *)seg;
	uint32_t hlen = TCP_HLEN;
	bool syn = flags & TCP_SYN;

	put16(th->sport, pcb->lport);
	put16(th->dport, pcb->rport);
	put32(th->seq, seq);
	put32(th->ack, (flags & TCP_ACK) ? pcb->rcv_nxt : 0);
	th->flags = flags;
	put16(th->urp, 0);
	if (syn) {
		/* MSS (RFC 9293 3.7.1), then window scale (RFC 7323 2.2). */
		uint8_t *o = seg + TCP_HLEN;
		o[0] = TCPOPT_MSS;
		o[1] = 4;
		put16(o + 2, TCPIP_MTU - IP_HLEN - TCP_HLEN);
		hlen += 4;
		if (pcb->state == TCP_SYN_SENT || (pcb->flags & TF_WSCALE)) {
			o[4] = TCPOPT_NOP;
			o[5] = TCPOPT_WSCALE;
			o[6] = 3;
			o[7] = pcb->rcv_scale;
			hlen += 4;
		}
	}
	th->off = (uint8_t)((hlen / 4) << 4);
	put16(th->wnd, tcp_adv_window(pcb, syn));
	if (len)
		pbq_copy(&pcb->sndq, seq - pcb->sndq_seq, seg + hlen, len);
	put16(th->sum, 0);
	uint32_t tot = hlen + len;
	put16(th->sum, cksum_fold(cksum_add(cksum_pseudo(pcb->lip, pcb->rip, IP_PROTO_TCP, tot),
					    seg, tot)));
	if (flags & TCP_ACK) {
		pcb->flags &= (uint16_t)~(TF_ACK_NOW | TF_DELACK);
		pcb->t_delack = 0;
		pcb->segs_unacked = 0;
	}
	EV(st, TCP_SEG_SENT);
	ip_output(st, pcb->lip, pcb->rip, IP_PROTO_TCP, seg, tot, IPO_DF);
}

static void tcp_send_syn(struct tcpip *st, struct tcp_pcb *pcb)
{
	uint8_t flags = pcb->state == TCP_SYN_SENT ? TCP_SYN : TCP_SYN | TCP_ACK;

	tcp_emit(st, pcb, pcb->iss, flags, 0);
	pcb->snd_nxt = pcb->iss + 1;
	if (SEQ_GT(pcb->snd_nxt, pcb->snd_max))
		pcb->snd_max = pcb->snd_nxt;
	if (!pcb->t_rexmit)
		pcb->t_rexmit = st->now + pcb->rto;
	if (!(pcb->flags & TF_RTT) && pcb->nrexmit == 0) {
		pcb->flags |= TF_RTT;
		pcb->rtt_seq = pcb->iss;
		pcb->rtt_start = st->now;
	}
}

/*
 * A pure ACK carries snd_max, not snd_nxt (as BSD does): after a timeout
 * rewound snd_nxt, an ACK numbered below the peer's RCV.NXT would fail its
 * acceptability test and the peer would never see it.
 */
void tcp_send_ack(struct tcpip *st, struct tcp_pcb *pcb)
{
	tcp_emit(st, pcb, pcb->snd_max, TCP_ACK, 0);
}

void tcp_send_rst(struct tcpip *st, uint32_t lip, uint16_t lport, uint32_t rip,
		  uint16_t rport, uint32_t seq, uint32_t ack, uint8_t flags)
{
	uint8_t *seg = st->tx + TX_L4;
	struct tcp_hdr *th = (struct tcp_hdr *)seg;

	tcpip_memset(seg, 0, TCP_HLEN);
	put16(th->sport, lport);
	put16(th->dport, rport);
	put32(th->seq, seq);
	put32(th->ack, (flags & TCP_ACK) ? ack : 0);
	th->off = 5 << 4;
	th->flags = flags;
	put16(th->sum, cksum_fold(cksum_add(cksum_pseudo(lip, rip, IP_PROTO_TCP, TCP_HLEN),
					    seg, TCP_HLEN)));
	EV(st, TCP_RST_SENT);
	EV(st, TCP_SEG_SENT);
	ip_output(st, lip, rip, IP_PROTO_TCP, seg, TCP_HLEN, IPO_DF);
}

/* Is sequence number seq the FIN (queued, and after all data)? */
static bool fin_at(const struct tcp_pcb *pcb, uint32_t seq)
{
	return (pcb->flags & TF_FIN_QUEUED) && seq == pcb->sndq_seq + pcb->sndq.bytes;
}

/* Retransmit the first unacknowledged segment (fast retransmit). */
void tcp_rexmit_one(struct tcpip *st, struct tcp_pcb *pcb)
{
	uint32_t off = pcb->snd_una - pcb->sndq_seq;
	uint32_t len = off < pcb->sndq.bytes ? TCPIP_MIN(pcb->sndq.bytes - off, pcb->mss) : 0;
	uint8_t flags = TCP_ACK;

	if (fin_at(pcb, pcb->snd_una + len) && SEQ_GT(pcb->snd_max, pcb->snd_una + len))
		flags |= TCP_FIN;
	if (len == 0 && !(flags & TCP_FIN))
		return;
	pcb->flags &= (uint16_t)~TF_RTT; /* Karn: no sample from a retransmission */
	tcp_emit(st, pcb, pcb->snd_una, flags, len);
}

/* Zero-window and keepalive probe: an old sequence number elicits an ACK. */
void tcp_send_probe(struct tcpip *st, struct tcp_pcb *pcb, bool keepalive)
{
	if (keepalive)
		EV(st, TCP_KEEPALIVE);
	else
		EV(st, TCP_PROBE);
	tcp_emit(st, pcb, pcb->snd_una - 1, TCP_ACK, 0);
}

static bool can_send_data(uint8_t state)
{
	return state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT ||
	       state == TCP_FIN_WAIT_1 || state == TCP_CLOSING || state == TCP_LAST_ACK;
}

static void tcp_output_ex(struct tcpip *st, struct tcp_pcb *pcb, bool force)
{
	bool sent = false;

	if (pcb->state == TCP_SYN_SENT || pcb->state == TCP_SYN_RCVD) {
		if (pcb->snd_nxt == pcb->iss) {
			tcp_send_syn(st, pcb);
			return;
		}
	}
	while (can_send_data(pcb->state)) {
		uint32_t off = pcb->snd_nxt - pcb->sndq_seq;
		if (off > pcb->sndq.bytes)
			break; /* FIN already sent */
		uint32_t avail = pcb->sndq.bytes - off;
		/* Limited transmit (RFC 3042): the first two duplicate ACKs
		 * each let one new segment out, so a small window still
		 * produces the third duplicate that triggers fast retransmit. */
		uint32_t lt = !(pcb->flags & TF_RECOVERY) && pcb->dupacks < 3
				      ? pcb->dupacks * (uint32_t)pcb->mss : 0;
		uint32_t wnd = TCPIP_MIN(pcb->snd_wnd, pcb->cwnd + lt);
		uint32_t flight = pcb->snd_nxt - pcb->snd_una;
		uint32_t usable = wnd > flight ? wnd - flight : 0;
		uint32_t len = TCPIP_MIN(TCPIP_MIN(avail, usable), (uint32_t)pcb->mss);
		if (force && len == 0 && avail && pcb->snd_wnd > flight)
			len = TCPIP_MIN(TCPIP_MIN(avail, pcb->snd_wnd - flight), (uint32_t)pcb->mss);
		bool fin = (pcb->flags & TF_FIN_QUEUED) && len == avail;
		if (!force && len < avail && len < pcb->mss && len < pcb->max_snd_wnd / 2)
			break; /* sender SWS avoidance */
		if (!force && len == avail && len && len < pcb->mss && !fin && flight &&
		    !(pcb->flags & TF_NODELAY))
			break; /* Nagle */
		if (len == 0 && !fin)
			break;
		uint8_t flags = TCP_ACK | (fin ? TCP_FIN : 0) | (len && len == avail ? TCP_PSH : 0);
		tcp_emit(st, pcb, pcb->snd_nxt, flags, len);
		if (!(pcb->flags & TF_RTT) && SEQ_GEQ(pcb->snd_nxt, pcb->snd_max) && len) {
			pcb->flags |= TF_RTT;
			pcb->rtt_seq = pcb->snd_nxt;
			pcb->rtt_start = st->now;
		}
		pcb->snd_nxt += len + fin;
		if (SEQ_GT(pcb->snd_nxt, pcb->snd_max))
			pcb->snd_max = pcb->snd_nxt;
		if (!pcb->t_rexmit)
			pcb->t_rexmit = st->now + pcb->rto;
		pcb->t_persist = 0;
		sent = true;
		force = false;
		if (fin)
			break;
	}
	/* Unsent data but nothing in flight and nothing allowed: persist. */
	uint32_t unsent_off = pcb->snd_nxt - pcb->sndq_seq;
	if (can_send_data(pcb->state) && unsent_off < pcb->sndq.bytes &&
	    pcb->snd_nxt == pcb->snd_una && !pcb->t_persist) {
		if (!pcb->persist_ms)
			pcb->persist_ms = TCPIP_MAX(pcb->rto, TCP_PERSIST_MIN_MS);
		pcb->t_persist = st->now + pcb->persist_ms;
		pcb->t_rexmit = 0;
	}
	if (!sent && (pcb->flags & TF_ACK_NOW) && pcb->state != TCP_SYN_SENT)
		tcp_send_ack(st, pcb);
}

void tcp_output(struct tcpip *st, struct tcp_pcb *pcb)
{
	tcp_output_ex(st, pcb, false);
}

/* The persist timer's override of silly-window avoidance and Nagle. */
void tcp_output_force(struct tcpip *st, struct tcp_pcb *pcb)
{
	tcp_output_ex(st, pcb, true);
}
