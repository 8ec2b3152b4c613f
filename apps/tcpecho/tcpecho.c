/* tcpecho: see tcpecho.h. */
#include "tcpecho.h"

static void conn_close(struct tcpecho *t, struct netapp *na, struct tcpecho_conn *c)
{
	tcpip_close(na->st, c->sd);
	c->sd = -1;
	t->active--;
}

/* Move bytes both ways until the socket would block; false once closed. */
static bool conn_pump(struct tcpecho *t, struct netapp *na, struct tcpecho_conn *c)
{
	for (;;) {
		bool moved = false;
		if (c->len > 0) {
			long w = tcpip_send(na->st, c->sd, c->buf + c->head, c->len, 0);
			if (w > 0) {
				c->head += (size_t)w;
				c->len -= (size_t)w;
				t->bytes += (uint64_t)w;
				moved = true;
			} else if (w != TCPIP_EAGAIN) {
				t->resets++;
				return false;
			}
		}
		if (c->len == 0)
			c->head = 0;
		if (!c->eof && c->head + c->len < TCPECHO_BUF) {
			size_t tail = c->head + c->len;
			long r = tcpip_recv(na->st, c->sd, c->buf + tail, TCPECHO_BUF - tail, 0);
			if (r > 0) {
				c->len += (size_t)r;
				moved = true;
			} else if (r == 0) {
				c->eof = true;
			} else if (r != TCPIP_EAGAIN) {
				t->resets++;
				return false;
			}
		}
		if (c->eof && c->len == 0)
			return false;   /* all echoed: close (nothing unread, so a FIN) */
		if (!moved)
			return true;
	}
}

static void tcpecho_run(struct netapp *na, void *arg)
{
	struct tcpecho *t = arg;

	while (t->active < TCPECHO_CONNS) {
		int sd = tcpip_accept(na->st, t->lsd, 0);
		if (sd < 0)
			break;
		struct tcpecho_conn *c = t->conn;
		while (c->sd >= 0)
			c++;
		c->sd = sd;
		c->head = c->len = 0;
		c->eof = false;
		t->active++;
		t->accepted++;
	}
	for (int i = 0; i < TCPECHO_CONNS; i++) {
		struct tcpecho_conn *c = &t->conn[i];
		if (c->sd >= 0 && !conn_pump(t, na, c))
			conn_close(t, na, c);
	}
}

int tcpecho_start(struct tcpecho *t, struct netapp *na, uint16_t port)
{
	t->active = 0;
	t->accepted = t->bytes = t->resets = 0;
	for (int i = 0; i < TCPECHO_CONNS; i++)
		t->conn[i].sd = -1;
	t->lsd = tcpip_socket(na->st, TCPIP_SOCK_STREAM);
	if (t->lsd < 0)
		return t->lsd;
	int one = 1;
	struct tcpip_sockaddr_in a = { .sin_family = TCPIP_AF_INET,
				       .sin_port = tcpip_htons(port) };
	int r = tcpip_setsockopt(na->st, t->lsd, TCPIP_SOL_SOCKET, TCPIP_SO_REUSEADDR,
				 &one, sizeof one);
	/* Echo what arrived at once: no Nagle wait for the previous ACK. */
	if (r == 0)
		r = tcpip_setsockopt(na->st, t->lsd, TCPIP_IPPROTO_TCP, TCPIP_TCP_NODELAY, &one,
				     sizeof one);
	if (r == 0)
		r = tcpip_bind(na->st, t->lsd, &a);
	if (r == 0)
		r = tcpip_listen(na->st, t->lsd, 16);
	if (r < 0) {
		tcpip_close(na->st, t->lsd);
		return r;
	}
	t->svc = (struct netapp_service){ .name = "tcpecho", .arg = t, .run = tcpecho_run };
	netapp_add_service(na, &t->svc);
	return 0;
}

void tcpecho_stop(struct tcpecho *t, struct netapp *na)
{
	netapp_remove_service(na, &t->svc);
	for (int i = 0; i < TCPECHO_CONNS; i++)
		if (t->conn[i].sd >= 0)
			conn_close(t, na, &t->conn[i]);
	tcpip_close(na->st, t->lsd);
	t->lsd = -1;
}
