/*
 * Socket options, names and poll. Options set before a TCP socket has a
 * pcb are kept in the socket and copied into the pcb at listen()/connect()
 * (and from a listener to its children), so SO_RCVBUF set before listen()
 * decides the window scale offered in the SYN-ACK.
 */
#include "priv.h"

static int opt_int(const void *val, size_t len, int *out)
{
	if (!val || len < sizeof(int))
		return TCPIP_EINVAL;
	tcpip_memcpy(out, val, sizeof(int));
	return 0;
}

static void set_tflag(struct sock *s, uint16_t flag, bool on)
{
	if (on)
		s->tflags |= (uint8_t)flag;
	else
		s->tflags &= (uint8_t)~flag;
	if (s->pcb) {
		if (on)
			s->pcb->flags |= flag;
		else
			s->pcb->flags &= (uint16_t)~flag;
	}
}

static uint32_t clamp_buf(int v)
{
	if (v < (int)TCP_MIN_BUF)
		return TCP_MIN_BUF;
	return (uint32_t)v > TCP_MAX_BUF ? TCP_MAX_BUF : (uint32_t)v;
}

int tcpip_setsockopt(struct tcpip *st, int sd, int level, int name, const void *val,
		     size_t len)
{
	struct sock *s = sock_get(st, sd);
	int v, err;

	if (!s)
		return TCPIP_EBADF;
	if ((err = opt_int(val, len, &v)))
		return err;
	struct tcp_pcb *pcb = s->pcb;
	if (level == TCPIP_SOL_SOCKET) {
		switch (name) {
		case TCPIP_SO_REUSEADDR:
			s->flags = v ? s->flags | SF_REUSEADDR : s->flags & ~SF_REUSEADDR;
			return 0;
		case TCPIP_SO_BROADCAST:
			s->flags = v ? s->flags | SF_BROADCAST : s->flags & ~SF_BROADCAST;
			return 0;
		case TCPIP_SO_RCVBUF:
			/* The window scale is fixed by the SYN: set it before. */
			s->rcvbuf = clamp_buf(v);
			if (pcb && pcb->state <= TCP_LISTEN)
				pcb->rcvbuf = s->rcvbuf;
			else if (pcb)
				pcb->rcvbuf = TCPIP_MIN(s->rcvbuf, (uint32_t)0xffff << pcb->rcv_scale);
			return 0;
		case TCPIP_SO_SNDBUF:
			s->sndbuf = clamp_buf(v);
			if (pcb)
				pcb->sndbuf = s->sndbuf;
			return 0;
		case TCPIP_SO_KEEPALIVE:
			if (s->type != TCPIP_SOCK_STREAM)
				return TCPIP_ENOPROTOOPT;
			set_tflag(s, TF_KEEPALIVE, v != 0);
			if (pcb && pcb->state == TCP_ESTABLISHED)
				pcb->t_keep = v ? st->now + pcb->keepidle : 0;
			return 0;
		}
		return TCPIP_ENOPROTOOPT;
	}
	if (level != TCPIP_IPPROTO_TCP || s->type != TCPIP_SOCK_STREAM)
		return TCPIP_ENOPROTOOPT;
	switch (name) {
	case TCPIP_TCP_NODELAY:
		set_tflag(s, TF_NODELAY, v != 0);
		if (pcb && v)
			tcp_output(st, pcb);
		return 0;
	case TCPIP_TCP_KEEPIDLE:
	case TCPIP_TCP_KEEPINTVL:
		if (v < 1 || v > 32767)
			return TCPIP_EINVAL;
		if (name == TCPIP_TCP_KEEPIDLE)
			s->keepidle = (uint32_t)v * 1000;
		else
			s->keepintvl = (uint32_t)v * 1000;
		break;
	case TCPIP_TCP_KEEPCNT:
		if (v < 1 || v > 127)
			return TCPIP_EINVAL;
		s->keepcnt = (uint8_t)v;
		break;
	default:
		return TCPIP_ENOPROTOOPT;
	}
	if (pcb) {
		pcb->keepidle = s->keepidle;
		pcb->keepintvl = s->keepintvl;
		pcb->keepcnt = s->keepcnt;
	}
	return 0;
}

int tcpip_getsockopt(struct tcpip *st, int sd, int level, int name, void *val, size_t *len)
{
	struct sock *s = sock_get(st, sd);
	int v;

	if (!s)
		return TCPIP_EBADF;
	if (!val || !len || *len < sizeof(int))
		return TCPIP_EINVAL;
	uint16_t tf = s->pcb ? s->pcb->flags : s->tflags;
	if (level == TCPIP_SOL_SOCKET && name == TCPIP_SO_ERROR) {
		v = -s->err;
		s->err = 0;
	} else if (level == TCPIP_SOL_SOCKET && name == TCPIP_SO_RCVBUF) {
		v = (int)s->rcvbuf;
	} else if (level == TCPIP_SOL_SOCKET && name == TCPIP_SO_SNDBUF) {
		v = (int)s->sndbuf;
	} else if (level == TCPIP_SOL_SOCKET && name == TCPIP_SO_REUSEADDR) {
		v = !!(s->flags & SF_REUSEADDR);
	} else if (level == TCPIP_SOL_SOCKET && name == TCPIP_SO_KEEPALIVE) {
		v = !!(tf & TF_KEEPALIVE);
	} else if (level == TCPIP_IPPROTO_TCP && name == TCPIP_TCP_NODELAY) {
		v = !!(tf & TF_NODELAY);
	} else if (level == TCPIP_IPPROTO_TCP && name == TCPIP_TCP_MAXSEG) {
		v = s->pcb ? s->pcb->mss : TCP_DEFAULT_MSS;
	} else {
		return TCPIP_ENOPROTOOPT;
	}
	tcpip_memcpy(val, &v, sizeof v);
	*len = sizeof v;
	return 0;
}

static int fill_name(struct tcpip_sockaddr_in *a, uint32_t ip, uint16_t port)
{
	if (!a)
		return TCPIP_EINVAL;
	tcpip_memset(a, 0, sizeof *a);
	a->sin_family = TCPIP_AF_INET;
	a->sin_port = tcpip_htons(port);
	a->sin_addr = tcpip_htonl(ip);
	return 0;
}

int tcpip_getsockname(struct tcpip *st, int sd, struct tcpip_sockaddr_in *a)
{
	struct sock *s = sock_get(st, sd);

	return s ? fill_name(a, s->lip, s->lport) : TCPIP_EBADF;
}

int tcpip_getpeername(struct tcpip *st, int sd, struct tcpip_sockaddr_in *a)
{
	struct sock *s = sock_get(st, sd);

	if (!s)
		return TCPIP_EBADF;
	if (!(s->flags & SF_CONNECTED))
		return TCPIP_ENOTCONN;
	return fill_name(a, s->rip, s->rport);
}

static short sock_revents(struct sock *s)
{
	short ev = 0;
	struct tcp_pcb *pcb = s->pcb;

	if (s->err)
		ev |= TCPIP_POLLERR;
	if (s->type == TCPIP_SOCK_DGRAM)
		return (short)(ev | TCPIP_POLLOUT | (s->rxq.head ? TCPIP_POLLIN : 0));
	if (s->flags & SF_LISTEN)
		return (short)(ev | (pcb && pcb->acc_head ? TCPIP_POLLIN : 0));
	if (!(s->flags & SF_CONNECTED))
		return (short)(ev | TCPIP_POLLHUP | TCPIP_POLLOUT);
	if (sock_tcp_rxq(s)->bytes || !pcb || (pcb->flags & TF_RCVD_FIN) || s->err)
		ev |= TCPIP_POLLIN;
	if (!pcb)
		ev |= TCPIP_POLLHUP;
	else if ((pcb->state == TCP_ESTABLISHED || pcb->state == TCP_CLOSE_WAIT) &&
		 pcb->sndq.bytes < pcb->sndbuf && !(pcb->flags & TF_FIN_QUEUED))
		ev |= TCPIP_POLLOUT;
	return ev;
}

int tcpip_poll(struct tcpip *st, struct tcpip_pollfd *fds, size_t n)
{
	int ready = 0;

	if (!fds && n)
		return TCPIP_EINVAL;
	for (size_t i = 0; i < n; i++) {
		struct sock *s = sock_get(st, fds[i].sd);
		short ev = s ? sock_revents(s) : TCPIP_POLLNVAL;
		fds[i].revents = (short)(ev & (fds[i].events | TCPIP_POLLERR | TCPIP_POLLHUP |
					      TCPIP_POLLNVAL));
		ready += fds[i].revents != 0;
	}
	return ready;
}
