/*
 * BSD-style sockets (socket.h) over UDP and TCP.
 *
 * Every entry point decodes and checks its arguments (descriptor, address,
 * lengths, socket type and state) before it changes anything. A socket is a
 * slot in st->socks; a TCP socket gets a pcb at listen() or connect(), and
 * accept() gives an established child pcb a socket of its own.
 *
 * Data transfer is in sockio.c, options, names and poll in sockopt.c.
 *
 * Filters: a UDP socket installs "UDP to local ip:port" at bind time, a
 * listening TCP socket "TCP to local ip:port" at listen(); connections add
 * their 4-tuple filter themselves (tcp.c). A refused install fails the call
 * with TCPIP_EADDRINUSE: another environment owns the port.
 */
#include "priv.h"

void sock_event(struct tcpip *st, int sd)
{
	if (st->env.sock_event)
		st->env.sock_event(st->env.ctx, sd);
}

static int sock_alloc(struct tcpip *st, int type)
{
	for (int i = 0; i < TCPIP_NSOCK; i++) {
		struct sock *s = &st->socks[i];
		if (s->type)
			continue;
		tcpip_memset(s, 0, sizeof *s);
		s->type = (uint8_t)type;
		s->rcvbuf = s->sndbuf = TCP_DEFAULT_BUF;
		s->keepidle = TCP_KEEPIDLE_MS;
		s->keepintvl = TCP_KEEPINTVL_MS;
		s->keepcnt = TCP_KEEPCNT;
		return i;
	}
	return TCPIP_EMFILE;
}

struct sock *sock_get(struct tcpip *st, int sd)
{
	if (sd < 0 || sd >= TCPIP_NSOCK || !st->socks[sd].type)
		return NULL;
	return &st->socks[sd];
}

int sock_check_addr(const struct tcpip_sockaddr_in *a)
{
	if (!a)
		return TCPIP_EINVAL;
	if (a->sin_family != TCPIP_AF_INET)
		return TCPIP_EAFNOSUPPORT;
	return 0;
}

static bool port_taken(struct tcpip *st, const struct sock *self, uint32_t lip, uint16_t port)
{
	for (unsigned i = 0; i < TCPIP_NSOCK; i++) {
		const struct sock *s = &st->socks[i];
		if (s == self || s->type != self->type || !(s->flags & SF_BOUND) ||
		    s->lport != port)
			continue;
		if (!lip || !s->lip || s->lip == lip)
			return true;
	}
	/* Connections that outlived their sockets (TIME_WAIT, orphans). */
	return self->type == TCPIP_SOCK_STREAM && !(self->flags & SF_REUSEADDR) &&
	       tcp_port_used(st, lip, port);
}

/* An unused port from the dynamic range, starting at a random point. */
static uint16_t ephemeral_port(struct tcpip *st, const struct sock *s)
{
	const uint32_t span = 65536 - TCP_EPHEMERAL_LO;

	if (!st->eph_next)
		st->eph_next = st->env.random(st->env.ctx);
	for (uint32_t i = 0; i < span; i++) {
		uint16_t port = (uint16_t)(TCP_EPHEMERAL_LO + st->eph_next++ % span);
		if (!port_taken(st, s, 0, port) && !tcp_port_used(st, 0, port))
			return port;
	}
	return 0;
}

static int sock_filter(struct tcpip *st, struct sock *s, uint8_t kind)
{
	s->filter = (struct tcpip_filter){ .kind = kind, .local_ip = s->lip,
					   .local_port = s->lport };
	if (filter_hook(st, &s->filter, true) != 0)
		return TCPIP_EADDRINUSE;
	s->flags |= SF_FILTER;
	return 0;
}

int sock_bind(struct tcpip *st, struct sock *s, uint32_t lip, uint16_t port)
{
	if (lip && !ip_is_local(st, lip))
		return TCPIP_EADDRNOTAVAIL;
	if (port == 0)
		port = ephemeral_port(st, s);
	if (port == 0 || port_taken(st, s, lip, port))
		return TCPIP_EADDRINUSE;
	s->lip = lip;
	s->lport = port;
	if (s->type == TCPIP_SOCK_DGRAM) {
		int err = sock_filter(st, s, TCPIP_FILTER_UDP);
		if (err)
			return err;
	}
	s->flags |= SF_BOUND;
	return 0;
}

int tcpip_socket(struct tcpip *st, int type)
{
	if (type != TCPIP_SOCK_STREAM && type != TCPIP_SOCK_DGRAM)
		return TCPIP_EPROTOTYPE;
	return sock_alloc(st, type);
}

/*
 * Decode the (descriptor, address) pair of bind and connect: a bad
 * descriptor wins over a bad address.
 */
static int sock_get_addr(struct tcpip *st, int sd, const struct tcpip_sockaddr_in *a,
			 struct sock **sp)
{
	*sp = sock_get(st, sd);
	if (!*sp)
		return TCPIP_EBADF;
	return sock_check_addr(a);
}

int tcpip_bind(struct tcpip *st, int sd, const struct tcpip_sockaddr_in *a)
{
	struct sock *s;
	int err = sock_get_addr(st, sd, a, &s);

	if (err)
		return err;
	if (s->flags & SF_BOUND)
		return TCPIP_EINVAL;
	return sock_bind(st, s, tcpip_ntohl(a->sin_addr), tcpip_ntohs(a->sin_port));
}

static void pcb_from_sock(struct tcp_pcb *pcb, const struct sock *s, int sd)
{
	pcb->sd = (int16_t)sd;
	pcb->rcvbuf = s->rcvbuf;
	pcb->sndbuf = s->sndbuf;
	pcb->flags |= s->tflags & (TF_NODELAY | TF_KEEPALIVE);
	pcb->keepidle = s->keepidle;
	pcb->keepintvl = s->keepintvl;
	pcb->keepcnt = s->keepcnt;
}

int tcpip_listen(struct tcpip *st, int sd, int backlog)
{
	struct sock *s = sock_get(st, sd);

	if (!s)
		return TCPIP_EBADF;
	if (s->type != TCPIP_SOCK_STREAM)
		return TCPIP_EOPNOTSUPP;
	if (s->pcb && !(s->flags & SF_LISTEN))
		return TCPIP_EISCONN;
	backlog = backlog < 1 ? 1 : backlog > TCPIP_NTCP ? TCPIP_NTCP : backlog;
	if (s->flags & SF_LISTEN) {
		s->pcb->backlog = (uint16_t)backlog;
		return 0;
	}
	int err = (s->flags & SF_BOUND) ? 0 : sock_bind(st, s, 0, 0);
	if (err)
		return err;
	struct tcp_pcb *pcb = tcp_alloc(st);
	if (!pcb)
		return TCPIP_ENOBUFS;
	err = sock_filter(st, s, TCPIP_FILTER_TCP);
	if (err)
		return err;
	pcb_from_sock(pcb, s, sd);
	pcb->lip = s->lip;
	pcb->lport = s->lport;
	pcb->backlog = (uint16_t)backlog;
	pcb->state = TCP_LISTEN;
	s->pcb = pcb;
	s->flags |= SF_LISTEN;
	return 0;
}

int tcpip_accept(struct tcpip *st, int sd, struct tcpip_sockaddr_in *peer)
{
	struct sock *s = sock_get(st, sd);

	if (!s)
		return TCPIP_EBADF;
	if (!(s->flags & SF_LISTEN) || !s->pcb)
		return TCPIP_EINVAL;
	struct tcp_pcb *l = s->pcb, *c = l->acc_head;
	if (!c)
		return TCPIP_EAGAIN;
	int nsd = sock_alloc(st, TCPIP_SOCK_STREAM);
	if (nsd < 0)
		return nsd;
	l->acc_head = c->acc_next;
	if (!l->acc_head)
		l->acc_tail = NULL;
	l->nchild--;
	c->parent = NULL;
	c->acc_next = NULL;
	c->sd = (int16_t)nsd;
	struct sock *n = &st->socks[nsd];
	n->flags = SF_BOUND | SF_CONNECTED;
	n->lip = c->lip;
	n->lport = c->lport;
	n->rip = c->rip;
	n->rport = c->rport;
	n->rcvbuf = c->rcvbuf;
	n->sndbuf = c->sndbuf;
	n->tflags = (uint8_t)(c->flags & (TF_NODELAY | TF_KEEPALIVE));
	n->pcb = c;
	if (peer) {
		tcpip_memset(peer, 0, sizeof *peer);
		peer->sin_family = TCPIP_AF_INET;
		peer->sin_port = tcpip_htons(c->rport);
		peer->sin_addr = tcpip_htonl(c->rip);
	}
	return nsd;
}

static int tcp_sock_connect(struct tcpip *st, struct sock *s, int sd, uint32_t rip,
			    uint16_t rport)
{
	if (s->flags & SF_LISTEN)
		return TCPIP_EINVAL;
	if (s->pcb)
		return s->pcb->state == TCP_SYN_SENT ? TCPIP_EALREADY : TCPIP_EISCONN;
	if (s->flags & SF_CONNECTED)
		return TCPIP_EISCONN;
	if (!st->ip)
		return TCPIP_ENETUNREACH;
	if (!(s->flags & SF_BOUND)) {
		int err = sock_bind(st, s, 0, 0);
		if (err)
			return err;
	}
	uint32_t lip = s->lip ? s->lip : st->ip;
	if (tcp_lookup(st, lip, s->lport, rip, rport) &&
	    tcp_lookup(st, lip, s->lport, rip, rport)->state != TCP_LISTEN)
		return TCPIP_EADDRINUSE;
	struct tcp_pcb *pcb = tcp_alloc(st);
	if (!pcb)
		return TCPIP_ENOBUFS;
	pcb_from_sock(pcb, s, sd);
	pcb->lip = s->lip = lip;
	pcb->lport = s->lport;
	pcb->rip = s->rip = rip;
	pcb->rport = s->rport = rport;
	s->pcb = pcb;
	s->flags |= SF_CONNECTED;
	tcp_connect(st, pcb);
	return TCPIP_EINPROGRESS;
}

int tcpip_connect(struct tcpip *st, int sd, const struct tcpip_sockaddr_in *a)
{
	struct sock *s;
	int err = sock_get_addr(st, sd, a, &s);

	if (err)
		return err;
	uint32_t rip = tcpip_ntohl(a->sin_addr);
	uint16_t rport = tcpip_ntohs(a->sin_port);
	if (rport == 0 || rip == 0 || (rip >> 28) >= 0xe)
		return TCPIP_EINVAL;
	if (s->type == TCPIP_SOCK_STREAM) {
		if (ip_is_bcast(st, rip))
			return TCPIP_ENETUNREACH;
		return tcp_sock_connect(st, s, sd, rip, rport);
	}
	if (!(s->flags & SF_BOUND) && (err = sock_bind(st, s, 0, 0)))
		return err;
	s->rip = rip;
	s->rport = rport;
	s->flags |= SF_CONNECTED;
	return 0;
}

int tcpip_shutdown(struct tcpip *st, int sd, int how)
{
	struct sock *s = sock_get(st, sd);

	if (!s)
		return TCPIP_EBADF;
	if (how < TCPIP_SHUT_RD || how > TCPIP_SHUT_RDWR)
		return TCPIP_EINVAL;
	if (s->type == TCPIP_SOCK_STREAM && !(s->flags & SF_CONNECTED))
		return TCPIP_ENOTCONN;
	if (how != TCPIP_SHUT_WR) {
		s->flags |= SF_SHUT_RD;
		if (s->pcb) {
			s->pcb->flags |= TF_SHUT_RD;
			pbq_free(st, &s->pcb->rcvq);
		}
		pbq_free(st, &s->rxq);
	}
	if (how != TCPIP_SHUT_RD) {
		s->flags |= SF_SHUT_WR;
		if (s->pcb)
			tcp_shutdown_wr(st, s->pcb);
	}
	return 0;
}

int tcpip_close(struct tcpip *st, int sd)
{
	struct sock *s = sock_get(st, sd);

	if (!s)
		return TCPIP_EBADF;
	if (s->flags & SF_FILTER)
		filter_hook(st, &s->filter, false);
	if (s->pcb)
		tcp_close(st, s->pcb);
	pbq_free(st, &s->rxq);
	tcpip_memset(s, 0, sizeof *s);
	return 0;
}

void sock_release_all(struct tcpip *st)
{
	for (int i = 0; i < TCPIP_NSOCK; i++)
		if (st->socks[i].type)
			tcpip_close(st, i);
}

