/*
 * TCP timers. Each pcb keeps absolute deadlines (0 = off); tcp_tick() runs
 * the due ones and tcp_deadline() tells the event loop when to come back.
 *
 *  rexmit   RFC 6298: RTO = SRTT + max(G, 4 RTTVAR), clamped to
 *           [TCP_RTO_MIN_MS, TCP_RTO_MAX_MS], doubled on each expiry
 *           (5.5), reset by the next valid sample. On expiry: slow start
 *           from one segment (RFC 5681 3.1, eq. 4), go back to snd_una, and
 *           leave recovery with recover = snd_max (RFC 6582 4.2). SYNs give
 *           up after TCP_SYN_RETRIES, data after TCP_MAX_RETRIES.
 *  persist  zero-window probes (RFC 9293 3.8.6.1), backing off, never
 *           giving up while the peer answers; also the override for
 *           silly-window avoidance when a small window stays open.
 *  delack   the delayed ACK (RFC 9293 3.8.6.3, RFC 5681 4.2).
 *  wait     TIME_WAIT's 2 MSL, or an orphaned FIN_WAIT_2's give-up time.
 *  keep     keepalive probes (RFC 1122 4.2.3.6) with SO_KEEPALIVE.
 */
#include "priv.h"

void tcp_rtt_sample(struct tcp_pcb *pcb, uint32_t r)
{
	if (pcb->srtt8 == 0) {
		pcb->srtt8 = (int32_t)(r * 8);            /* (2.2) SRTT <- R */
		pcb->rttvar4 = (int32_t)(r * 2);          /* RTTVAR <- R/2 */
	} else {
		int32_t delta = (int32_t)r - pcb->srtt8 / 8;
		pcb->srtt8 += delta;                      /* (2.3) alpha = 1/8 */
		if (delta < 0)
			delta = -delta;
		pcb->rttvar4 += delta - pcb->rttvar4 / 4; /* beta = 1/4 */
	}
	if (pcb->srtt8 < 8)
		pcb->srtt8 = 8;
	uint32_t rto = (uint32_t)(pcb->srtt8 / 8 + TCPIP_MAX(1, pcb->rttvar4));
	pcb->rto = TCPIP_MIN(TCPIP_MAX(rto, TCP_RTO_MIN_MS), TCP_RTO_MAX_MS);
}

static void tcp_timeout(struct tcpip *st, struct tcp_pcb *pcb)
{
	pcb->t_rexmit = 0;
	bool syn = pcb->state == TCP_SYN_SENT || pcb->state == TCP_SYN_RCVD;
	if (pcb->nrexmit >= (syn ? TCP_SYN_RETRIES : TCP_MAX_RETRIES)) {
		EV(st, TCP_TIMEOUT);
		pcb->err = TCPIP_ETIMEDOUT;
		tcp_free(st, pcb);
		return;
	}
	EV(st, TCP_RTO);
	uint32_t flight = pcb->snd_max - pcb->snd_una;
	pcb->ssthresh = TCPIP_MAX(flight / 2, 2u * pcb->mss);
	pcb->cwnd = pcb->mss;
	pcb->recover = pcb->snd_max;
	pcb->flags &= (uint16_t)~(TF_RECOVERY | TF_RTT);
	pcb->dupacks = 0;
	pcb->snd_nxt = syn ? pcb->iss : pcb->snd_una;
	pcb->nrexmit++;
	pcb->rto = TCPIP_MIN(pcb->rto * 2, TCP_RTO_MAX_MS);
	pcb->t_rexmit = st->now + pcb->rto;
	tcp_output(st, pcb);
}

static void tcp_persist(struct tcpip *st, struct tcp_pcb *pcb)
{
	pcb->t_persist = 0;
	if (pcb->snd_wnd > 0) {
		tcp_output_force(st, pcb);
		return;
	}
	tcp_send_probe(st, pcb, false);
	pcb->persist_ms = TCPIP_MIN(pcb->persist_ms * 2, TCP_PERSIST_MAX_MS);
	pcb->t_persist = st->now + pcb->persist_ms;
}

static void tcp_keepalive(struct tcpip *st, struct tcp_pcb *pcb)
{
	if (pcb->state != TCP_ESTABLISHED && pcb->state != TCP_CLOSE_WAIT) {
		pcb->t_keep = 0;
		return;
	}
	if (pcb->probes >= pcb->keepcnt) {
		EV(st, TCP_TIMEOUT);
		pcb->err = TCPIP_ETIMEDOUT;
		tcp_free(st, pcb);
		return;
	}
	pcb->probes++;
	tcp_send_probe(st, pcb, true);
	pcb->t_keep = st->now + pcb->keepintvl;
}

static bool due(uint64_t t, uint64_t now)
{
	return t && t <= now;
}

void tcp_tick(struct tcpip *st)
{
	for (unsigned i = 0; i < TCPIP_NTCP; i++) {
		struct tcp_pcb *pcb = &st->tcp[i];
		if (pcb->state == TCP_CLOSED || pcb->state == TCP_LISTEN)
			continue;
		if (due(pcb->t_wait, st->now)) {
			tcp_free(st, pcb);
			continue;
		}
		if (due(pcb->t_rexmit, st->now)) {
			tcp_timeout(st, pcb);
			if (pcb->state == TCP_CLOSED)
				continue;
		}
		if (due(pcb->t_persist, st->now))
			tcp_persist(st, pcb);
		if (due(pcb->t_keep, st->now)) {
			tcp_keepalive(st, pcb);
			if (pcb->state == TCP_CLOSED)
				continue;
		}
		if (due(pcb->t_delack, st->now)) {
			pcb->t_delack = 0;
			pcb->flags |= TF_ACK_NOW;
			tcp_output(st, pcb);
		}
	}
}

static uint64_t earliest(uint64_t d, uint64_t t)
{
	return t && t < d ? t : d;
}

uint64_t tcp_deadline(struct tcpip *st)
{
	uint64_t d = UINT64_MAX;

	for (unsigned i = 0; i < TCPIP_NTCP; i++) {
		const struct tcp_pcb *p = &st->tcp[i];
		if (p->state == TCP_CLOSED)
			continue;
		d = earliest(d, p->t_rexmit);
		d = earliest(d, p->t_persist);
		d = earliest(d, p->t_delack);
		d = earliest(d, p->t_wait);
		d = earliest(d, p->t_keep);
	}
	return d;
}
