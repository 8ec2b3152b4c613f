/*
 * The ACK of an arriving segment (RFC 9293 3.10.7.4, fifth step) and the
 * congestion control it drives:
 *  - new data acknowledged: the send queue shrinks, an RTT sample is taken
 *    if the timed segment is covered (Karn's rule: never for a
 *    retransmission), cwnd grows by slow start (min(acked, SMSS) per ACK)
 *    or congestion avoidance (SMSS*SMSS/cwnd), RFC 5681 3.1;
 *  - duplicate ACKs (no data, no SYN/FIN, same window, data outstanding,
 *    RFC 5681 2): the third starts fast retransmit and NewReno recovery
 *    (RFC 6582), further ones inflate cwnd; in recovery a partial ACK
 *    retransmits the next hole and a full ACK deflates cwnd;
 *  - the send window is updated from the newest segment (SND.WL1/WL2);
 *  - an acknowledged FIN moves FIN-WAIT-1, CLOSING and LAST-ACK on.
 */
#include "priv.h"

static bool fin_acked(const struct tcp_pcb *pcb)
{
	return (pcb->flags & TF_FIN_QUEUED) && pcb->sndq.bytes == 0 &&
	       pcb->snd_una == pcb->sndq_seq + 1;
}

static void tcp_new_ack(struct tcpip *st, struct tcp_pcb *pcb, uint32_t ack)
{
	uint32_t acked = ack - pcb->snd_una;
	uint32_t data = acked - (pcb->snd_una == pcb->iss); /* the SYN */
	uint32_t n = TCPIP_MIN(data, pcb->sndq.bytes);

	pbq_drop(st, &pcb->sndq, n);
	pcb->sndq_seq += n;
	if ((pcb->flags & TF_RTT) && SEQ_GT(ack, pcb->rtt_seq)) {
		tcp_rtt_sample(pcb, (uint32_t)(st->now - pcb->rtt_start));
		pcb->flags &= (uint16_t)~TF_RTT;
	}
	pcb->nrexmit = 0;
	pcb->snd_una = ack;
	if (SEQ_LT(pcb->snd_nxt, ack))
		pcb->snd_nxt = ack;
	if (pcb->flags & TF_RECOVERY) {
		if (SEQ_GEQ(ack, pcb->recover)) {
			/* Full ACK (RFC 6582 3.2 step 3). */
			uint32_t flight = pcb->snd_max - ack;
			pcb->cwnd = TCPIP_MIN(pcb->ssthresh,
					      TCPIP_MAX(flight, (uint32_t)pcb->mss) + pcb->mss);
			pcb->flags &= (uint16_t)~TF_RECOVERY;
			pcb->dupacks = 0;
		} else {
			/* Partial ACK: the next hole, deflate by the amount acked. */
			tcp_rexmit_one(st, pcb);
			pcb->cwnd = pcb->cwnd > acked ? pcb->cwnd - acked : 0;
			if (acked >= pcb->mss)
				pcb->cwnd += pcb->mss;
			pcb->cwnd = TCPIP_MAX(pcb->cwnd, (uint32_t)pcb->mss);
		}
	} else if (data) {
		pcb->dupacks = 0;
		if (pcb->cwnd < pcb->ssthresh)
			pcb->cwnd += TCPIP_MIN(data, (uint32_t)pcb->mss); /* slow start */
		else
			pcb->cwnd += TCPIP_MAX(1u, (uint32_t)pcb->mss * pcb->mss / pcb->cwnd);
		pcb->cwnd = TCPIP_MIN(pcb->cwnd, 0x3fffffffu);
	}
	pcb->t_rexmit = pcb->snd_una == pcb->snd_max ? 0 : st->now + pcb->rto;
	if (n)
		tcp_notify(st, pcb);
}

/* RFC 5681 3.2 fast retransmit, RFC 6582 NewReno recovery. */
static void tcp_dupack(struct tcpip *st, struct tcp_pcb *pcb)
{
	EV(st, TCP_DUPACK);
	pcb->dupacks++;
	if (pcb->flags & TF_RECOVERY) {
		pcb->cwnd += pcb->mss;
	} else if (pcb->dupacks == 3 && SEQ_GEQ(pcb->snd_una, pcb->recover)) {
		uint32_t flight = pcb->snd_max - pcb->snd_una;
		pcb->ssthresh = TCPIP_MAX(flight / 2, 2u * pcb->mss);
		pcb->recover = pcb->snd_max;
		pcb->flags |= TF_RECOVERY;
		EV(st, TCP_FAST_REXMIT);
		tcp_rexmit_one(st, pcb);
		pcb->cwnd = pcb->ssthresh + 3u * pcb->mss;
	}
}

int tcp_ack(struct tcpip *st, struct tcp_pcb *pcb, const struct seg *sg)
{
	uint32_t ack = sg->ack;

	if (SEQ_GT(ack, pcb->snd_max)) {
		pcb->flags |= TF_ACK_NOW;
		tcp_output(st, pcb);
		return RX_TCP_BAD_ACK;
	}
	if (SEQ_LT(ack, pcb->snd_una - pcb->max_snd_wnd))
		return tcp_challenge_ack(st, pcb);
	uint32_t wnd = sg->wnd << pcb->snd_scale;
	bool update = SEQ_LT(pcb->snd_wl1, sg->seq) ||
		      (pcb->snd_wl1 == sg->seq && SEQ_LEQ(pcb->snd_wl2, ack));
	if (SEQ_GT(ack, pcb->snd_una)) {
		/* SND.WND is counted from SND.UNA: if this segment may not
		 * update the window (an older SEQ, say a retransmission), the
		 * right edge the peer offered must not move with the ACK, or we
		 * send beyond it (BSD's snd_wnd -= acked). */
		if (!update)
			pcb->snd_wnd -= TCPIP_MIN(pcb->snd_wnd, ack - pcb->snd_una);
		tcp_new_ack(st, pcb, ack);
	}
	else if (ack == pcb->snd_una && sg->len == 0 && !(sg->flags & (TCP_SYN | TCP_FIN)) &&
		 pcb->snd_max != pcb->snd_una && wnd == pcb->snd_wnd)
		tcp_dupack(st, pcb);
	if (update) {
		pcb->snd_wnd = wnd;
		pcb->snd_wl1 = sg->seq;
		pcb->snd_wl2 = ack;
		pcb->max_snd_wnd = TCPIP_MAX(pcb->max_snd_wnd, wnd);
		if (wnd > 0 && pcb->t_persist) {
			pcb->t_persist = 0;
			pcb->persist_ms = 0;
		}
	}
	if (!fin_acked(pcb))
		return TCP_CONTINUE;
	switch (pcb->state) {
	case TCP_FIN_WAIT_1:
		tcp_set_state(st, pcb, TCP_FIN_WAIT_2);
		if (pcb->flags & TF_ORPHAN)
			pcb->t_wait = st->now + TCP_FIN_WAIT2_MS;
		break;
	case TCP_CLOSING:
		tcp_set_state(st, pcb, TCP_TIME_WAIT);
		break;
	case TCP_LAST_ACK:
		tcp_free(st, pcb);
		return RX_TCP_OK;
	default:
		break;
	}
	return TCP_CONTINUE;
}

