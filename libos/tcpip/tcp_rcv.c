/*
 * The data and FIN of an acceptable segment (RFC 9293 3.10.7.4, seventh and
 * eighth steps).
 *
 * Data that arrives in order is queued for the user, by reference to the
 * received frame when large enough (pb_can_ref), copied into the queue's
 * last block otherwise, so small segments coalesce. Data beyond a hole is
 * kept, trimmed against what is already held (never splitting a pbuf, so a
 * frame stays referenced once), in a sorted out-of-order queue of at most
 * TCP_OOO_MAX segments; a pure duplicate ACK tells the sender about the
 * hole at once (RFC 5681 4.2). A FIN that arrives beyond a hole is
 * remembered with its segment and takes effect when the hole fills.
 */
#include "priv.h"

#define TCP_OOO_MAX 64 /* segments held beyond a hole */

/* The peer's FIN is next in sequence (RFC 9293 3.10.7.4, eighth step). */
static void tcp_fin(struct tcpip *st, struct tcp_pcb *pcb)
{
	pcb->rcv_nxt++;
	pcb->flags |= TF_RCVD_FIN | TF_ACK_NOW;
	switch (pcb->state) {
	case TCP_SYN_RCVD:
	case TCP_ESTABLISHED:
		tcp_set_state(st, pcb, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT_1:
		tcp_set_state(st, pcb, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT_2:
		tcp_set_state(st, pcb, TCP_TIME_WAIT);
		break;
	default:
		break;
	}
	tcp_notify(st, pcb);
}

static uint32_t tcp_queue_rcv(struct tcpip *st, struct tcp_pcb *pcb, const uint8_t *data,
			      uint32_t len)
{
	if (pb_can_ref(st, len)) {
		struct pbuf *p = pb_keep(st, data, len);
		if (p) {
			pbq_push(&pcb->rcvq, p);
			return len;
		}
	}
	uint32_t n = pbq_append(st, &pcb->rcvq, data, len);
	if (n)
		EV(st, RX_COPIED);
	return n;
}

/* Insert [seq, seq+len) into the sorted out-of-order queue, trimmed. */
static bool tcp_ooo_insert(struct tcpip *st, struct tcp_pcb *pcb, uint32_t seq,
			   const uint8_t *data, uint32_t len, bool fin)
{
	struct pbq *q = &pcb->oooq;
	struct pbuf *prev = NULL, *p = q->head;
	uint32_t s = seq, e = seq + len;

	while (p && SEQ_LEQ(p->seq + p->len, s)) {
		prev = p;
		p = p->next;
	}
	while (p && SEQ_LT(p->seq, e)) {
		uint32_t pend = p->seq + p->len;
		if (SEQ_LEQ(p->seq, s)) {
			if (SEQ_GEQ(pend, e))
				return true; /* entirely held already */
			data += pend - s;
			s = pend;
			prev = p;
			p = p->next;
		} else if (SEQ_LEQ(pend, e)) {
			struct pbuf *next = p->next; /* covered by the new one */
			if (prev)
				prev->next = next;
			else
				q->head = next;
			if (q->tail == p)
				q->tail = prev;
			q->bytes -= p->len;
			q->count--;
			pb_free(st, p);
			p = next;
		} else {
			e = p->seq;
			fin = false;
			break;
		}
	}
	if (q->count >= TCP_OOO_MAX)
		return false;
	struct pbuf *n = pb_keep(st, data, e - s);
	if (!n)
		return false;
	n->seq = s;
	n->mark = fin;
	n->next = p;
	if (prev)
		prev->next = n;
	else
		q->head = n;
	if (!p)
		q->tail = n;
	q->bytes += n->len;
	q->count++;
	EV(st, TCP_OOO);
	return true;
}

/* Move what the out-of-order queue now continues into the receive queue. */
static void tcp_ooo_drain(struct tcpip *st, struct tcp_pcb *pcb)
{
	struct pbuf *p;

	while ((p = pcb->oooq.head) && SEQ_LEQ(p->seq, pcb->rcv_nxt)) {
		pbq_pop(&pcb->oooq);
		uint32_t end = p->seq + p->len;
		bool fin = p->mark && SEQ_GEQ(end, pcb->rcv_nxt);
		if (SEQ_GT(end, pcb->rcv_nxt)) {
			uint32_t d = pcb->rcv_nxt - p->seq;
			p->data += d;
			p->len -= d;
			pcb->rcv_nxt = end;
			pbq_push(&pcb->rcvq, p);
		} else {
			pb_free(st, p);
		}
		if (fin) {
			tcp_fin(st, pcb);
			break;
		}
	}
}

int tcp_data(struct tcpip *st, struct tcp_pcb *pcb, uint32_t seq,
		    const uint8_t *data, uint32_t len, bool fin)
{
	if (seq != pcb->rcv_nxt) {
		int v = RX_TCP_OK;
		if (len && !tcp_ooo_insert(st, pcb, seq, data, len, fin))
			v = RX_TCP_NOMEM;
		/* A duplicate ACK right away, and a pure one: the sender counts
		 * only ACKs without data as duplicates (RFC 5681 2, 4.2). */
		tcp_send_ack(st, pcb);
		return v;
	}
	bool had_ooo = pcb->oooq.count > 0;
	uint32_t n = len ? tcp_queue_rcv(st, pcb, data, len) : 0;
	pcb->rcv_nxt += n;
	if (n < len) {
		pcb->flags |= TF_ACK_NOW;
		return RX_TCP_NOMEM;
	}
	if (fin)
		tcp_fin(st, pcb);
	else
		tcp_ooo_drain(st, pcb);
	/* RFC 5681 4.2: ACK at least every second segment, at once when a
	 * hole was filled; otherwise delay up to TCP_DELACK_MS. */
	if (had_ooo || fin || ++pcb->segs_unacked >= 2) {
		pcb->flags |= TF_ACK_NOW;
	} else if (!(pcb->flags & TF_DELACK)) {
		pcb->flags |= TF_DELACK;
		pcb->t_delack = st->now + TCP_DELACK_MS;
	}
	if (n)
		tcp_notify(st, pcb);
	return RX_TCP_OK;
}

