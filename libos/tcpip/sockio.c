/*
 * Socket data transfer: send/sendto, recv/recvfrom and the zero-copy
 * receive. Nothing blocks: an empty receive queue or a full send queue is
 * TCPIP_EAGAIN, and the event loop retries after env->sock_event().
 *
 * TCP send copies the user's bytes into the pcb's send queue (up to
 * SO_SNDBUF) and lets tcp_output() decide what goes now. TCP receive reads
 * the pcb's receive queue, or, once the connection is gone, what it left
 * in the socket. UDP datagrams are read whole (a short buffer truncates).
 */
#include "priv.h"

static long udp_send(struct tcpip *st, struct sock *s, const uint8_t *buf, size_t len,
		     uint32_t dst, uint16_t dport)
{
	if (len > IP_MAXPACKET - IP_HLEN - UDP_HLEN)
		return TCPIP_EMSGSIZE;
	bool bcast = ip_is_bcast(st, dst);
	if (bcast && !(s->flags & SF_BROADCAST))
		return TCPIP_EINVAL;
	if (!st->ip)
		return TCPIP_ENETUNREACH;
	if (!(s->flags & SF_BOUND)) {
		int err = sock_bind(st, s, 0, 0);
		if (err)
			return err;
	}
	int err = udp_output(st, s->lip ? s->lip : st->ip, s->lport, dst, dport, buf,
			     (uint32_t)len, bcast ? IPO_BCAST : 0);
	return err ? err : (long)len;
}

static long tcp_send(struct tcpip *st, struct sock *s, const uint8_t *buf, size_t len)
{
	struct tcp_pcb *pcb = s->pcb;

	if (s->err) {
		int err = s->err;
		s->err = 0;
		return err;
	}
	if (!pcb)
		return (s->flags & SF_CONNECTED) ? TCPIP_EPIPE : TCPIP_ENOTCONN;
	if ((s->flags & SF_SHUT_WR) || (pcb->flags & TF_FIN_QUEUED))
		return TCPIP_EPIPE;
	if (pcb->state == TCP_SYN_SENT || pcb->state == TCP_SYN_RCVD)
		return TCPIP_EAGAIN;
	if (pcb->state != TCP_ESTABLISHED && pcb->state != TCP_CLOSE_WAIT)
		return TCPIP_ENOTCONN;
	uint32_t space = pcb->sndbuf > pcb->sndq.bytes ? pcb->sndbuf - pcb->sndq.bytes : 0;
	uint32_t n = (uint32_t)TCPIP_MIN((size_t)space, len);
	if (n == 0)
		return len ? TCPIP_EAGAIN : 0;
	n = pbq_append(st, &pcb->sndq, buf, n);
	if (n == 0)
		return TCPIP_EAGAIN; /* pool exhausted: retry after ACKs free blocks */
	tcp_output(st, pcb);
	return n;
}

long tcpip_sendto(struct tcpip *st, int sd, const void *buf, size_t len, int flags,
		  const struct tcpip_sockaddr_in *to)
{
	struct sock *s = sock_get(st, sd);

	(void)flags;
	if (!s)
		return TCPIP_EBADF;
	if (!buf && len)
		return TCPIP_EINVAL;
	if (s->type == TCPIP_SOCK_STREAM)
		return to ? TCPIP_EISCONN : tcp_send(st, s, buf, len);
	if (s->flags & SF_SHUT_WR)
		return TCPIP_EPIPE;
	if (!to) {
		if (!(s->flags & SF_CONNECTED))
			return TCPIP_EDESTADDRREQ;
		return udp_send(st, s, buf, len, s->rip, s->rport);
	}
	int err = sock_check_addr(to);
	if (err)
		return err;
	uint32_t dst = tcpip_ntohl(to->sin_addr);
	uint16_t dport = tcpip_ntohs(to->sin_port);
	if (dport == 0 || dst == 0)
		return TCPIP_EINVAL;
	return udp_send(st, s, buf, len, dst, dport);
}

long tcpip_send(struct tcpip *st, int sd, const void *buf, size_t len, int flags)
{
	return tcpip_sendto(st, sd, buf, len, flags, NULL);
}

static long udp_recv(struct tcpip *st, struct sock *s, uint8_t *buf, size_t len, int flags,
		     struct tcpip_sockaddr_in *from)
{
	struct pbuf *p = s->rxq.head;

	if (!p && s->err) {
		int err = s->err;
		s->err = 0;
		return err;
	}
	if (!p)
		return (s->flags & SF_SHUT_RD) ? 0 : TCPIP_EAGAIN;
	uint32_t dlen = p->seq, n = (uint32_t)TCPIP_MIN((size_t)dlen, len);
	if (from) {
		tcpip_memset(from, 0, sizeof *from);
		from->sin_family = TCPIP_AF_INET;
		from->sin_port = tcpip_htons(p->port);
		from->sin_addr = tcpip_htonl(p->addr);
	}
	pbq_copy(&s->rxq, 0, buf, n);
	if (!(flags & TCPIP_MSG_PEEK)) {
		pb_free(st, pbq_pop(&s->rxq));
		while (s->rxq.head && s->rxq.head->mark)
			pb_free(st, pbq_pop(&s->rxq));
	}
	return n; /* the rest of a longer datagram is discarded, as in BSD */
}

/* The queue a TCP socket reads from: the pcb's, or what it left behind. */
struct pbq *sock_tcp_rxq(struct sock *s)
{
	return s->pcb ? &s->pcb->rcvq : &s->rxq;
}

static long tcp_eof_or_error(struct sock *s)
{
	if (s->err) {
		int err = s->err;
		s->err = 0;
		return err;
	}
	if (!(s->flags & SF_CONNECTED))
		return TCPIP_ENOTCONN;
	if (!s->pcb || (s->pcb->flags & TF_RCVD_FIN) || (s->flags & SF_SHUT_RD))
		return 0;
	return TCPIP_EAGAIN;
}

long tcpip_recvfrom(struct tcpip *st, int sd, void *buf, size_t len, int flags,
		    struct tcpip_sockaddr_in *from)
{
	struct sock *s = sock_get(st, sd);

	if (!s)
		return TCPIP_EBADF;
	if (!buf && len)
		return TCPIP_EINVAL;
	if (s->type == TCPIP_SOCK_DGRAM)
		return udp_recv(st, s, buf, len, flags, from);
	if (s->flags & SF_LISTEN)
		return TCPIP_ENOTCONN;
	struct pbq *q = sock_tcp_rxq(s);
	if (q->bytes == 0)
		return tcp_eof_or_error(s);
	uint32_t n = (uint32_t)TCPIP_MIN((size_t)q->bytes, len);
	pbq_copy(q, 0, buf, n);
	if (!(flags & TCPIP_MSG_PEEK)) {
		pbq_drop(st, q, n);
		if (s->pcb)
			tcp_recved(st, s->pcb);
	}
	if (from)
		tcpip_getpeername(st, sd, from);
	return n;
}

long tcpip_recv(struct tcpip *st, int sd, void *buf, size_t len, int flags)
{
	return tcpip_recvfrom(st, sd, buf, len, flags, NULL);
}

long tcpip_recv_zc(struct tcpip *st, int sd, const void **data)
{
	struct sock *s = sock_get(st, sd);

	if (!s)
		return TCPIP_EBADF;
	if (!data || s->type != TCPIP_SOCK_STREAM)
		return TCPIP_EINVAL;
	struct pbq *q = sock_tcp_rxq(s);
	if (!q->head)
		return tcp_eof_or_error(s);
	*data = q->head->data;
	return q->head->len;
}

int tcpip_recv_consume(struct tcpip *st, int sd, size_t len)
{
	struct sock *s = sock_get(st, sd);

	if (!s)
		return TCPIP_EBADF;
	if (s->type != TCPIP_SOCK_STREAM)
		return TCPIP_EINVAL;
	struct pbq *q = sock_tcp_rxq(s);
	if (len > q->bytes)
		return TCPIP_EINVAL;
	pbq_drop(st, q, (uint32_t)len);
	if (s->pcb)
		tcp_recved(st, s->pcb);
	return 0;
}

