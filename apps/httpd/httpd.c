/* httpd: see httpd.h. */
#include "httpd.h"

static void conn_close(struct httpd *h, struct netapp *na, struct httpd_conn *c)
{
	tcpip_close(na->st, c->sd);
	c->sd = -1;
	c->state = HC_FREE;
	h->active--;
}

/* Queue a response: head now, body (if any) from the file's memory. */
static void respond(struct httpd *h, struct httpd_conn *c, int status, const char *type,
		    const void *body, size_t len, bool send_body, bool keep_alive)
{
	c->head_len = http_response_head(c->head, sizeof c->head, status, type, len, keep_alive);
	c->head_off = 0;
	c->body = body;
	c->body_len = send_body ? len : 0;
	c->body_off = 0;
	if (c->body_len <= sizeof c->head - c->head_len) {
		/* A small body rides with the head: one segment, not two. */
		__builtin_memcpy(c->head + c->head_len, body, c->body_len);
		c->head_len += c->body_len;
		c->body_len = 0;
	}
	c->keep_alive = keep_alive;
	c->state = HC_SEND;
	h->c.responses[status / 100 < 6 ? status / 100 : 5]++;
}

static void respond_error(struct httpd *h, struct httpd_conn *c, int status)
{
	/* The body names the status, so that a browser shows something. */
	const char *reason = http_reason(status);
	size_t n = 0;
	while (reason[n])
		n++;
	respond(h, c, status, "text/plain", reason, n, true, false);
}

static void serve(struct httpd *h, struct httpd_conn *c, const struct http_req *req)
{
	struct httpd_file f;
	h->c.requests++;
	if (h->fs->lookup(h->fs->ctx, req->path, &f) != 0) {
		static const char nf[] = "Not Found";
		respond(h, c, 404, "text/plain", nf, sizeof nf - 1, req->method == HTTP_GET,
			req->keep_alive);
		return;
	}
	/* A directory's file is its index.html (fs.h). */
	size_t n = 0;
	while (req->path[n])
		n++;
	const char *type = req->path[n - 1] == '/' ? "text/html" : http_mime(req->path);
	respond(h, c, 200, type, f.data, f.size, req->method == HTTP_GET, req->keep_alive);
}

/* The next request in the buffer, if it is complete. */
static void parse_next(struct httpd *h, struct httpd_conn *c)
{
	struct http_req req;
	int r = http_parse(c->in, c->inlen, &req);
	if (r == 0)
		return;
	if (r < 0) {
		h->c.requests++;
		respond_error(h, c, -r);
		return;
	}
	__builtin_memmove(c->in, c->in + r, c->inlen - (size_t)r);
	c->inlen -= (size_t)r;
	/* A body on a GET or HEAD means nothing to us: skip it, but first
	 * from what the buffer already holds. */
	uint64_t from_buf = req.body_len < c->inlen ? req.body_len : c->inlen;
	__builtin_memmove(c->in, c->in + from_buf, c->inlen - (size_t)from_buf);
	c->inlen -= (size_t)from_buf;
	c->skip = req.body_len - from_buf;
	serve(h, c, &req);
}

/* Push the response out; true when all of it is in the send queue. */
static bool send_some(struct httpd *h, struct netapp *na, struct httpd_conn *c, bool *dead)
{
	while (c->head_off < c->head_len || c->body_off < c->body_len) {
		const char *p;
		size_t n;
		if (c->head_off < c->head_len) {
			p = c->head + c->head_off;
			n = c->head_len - c->head_off;
		} else {
			p = (const char *)c->body + c->body_off;
			n = c->body_len - c->body_off;
		}
		long w = tcpip_send(na->st, c->sd, p, n, 0);
		if (w == TCPIP_EAGAIN)
			return false;
		if (w < 0) {
			*dead = true;
			return false;
		}
		if (c->head_off < c->head_len)
			c->head_off += (size_t)w;
		else
			c->body_off += (size_t)w;
		h->c.bytes += (uint64_t)w;
	}
	return true;
}

/* Read what the socket has into the request buffer: false on EOF/error. */
static bool read_more(struct httpd *h, struct netapp *na, struct httpd_conn *c, bool *got)
{
	*got = false;
	if (c->inlen == sizeof c->in)
		return true;
	long r = tcpip_recv(na->st, c->sd, c->in + c->inlen, sizeof c->in - c->inlen, 0);
	if (r > 0) {
		c->inlen += (size_t)r;
		*got = true;
		return true;
	}
	if (r < 0 && r != TCPIP_EAGAIN)
		h->c.resets++;
	return r == TCPIP_EAGAIN;
}

/* Advance one connection as far as it goes; false when it must close. */
static bool conn_run(struct httpd *h, struct netapp *na, struct httpd_conn *c)
{
	uint64_t now = netapp_now(na);
	for (;;) {
		bool dead = false, got;
		switch (c->state) {
		case HC_SEND: {
			size_t before = c->head_off + c->body_off;
			bool done = send_some(h, na, c, &dead);
			if (c->head_off + c->body_off != before)
				c->deadline = now + HTTPD_IDLE_MS;   /* a reader that stalls times out */
			if (!done)
				return !dead;
			if (!c->keep_alive) {
				/* Our FIN after the response; keep reading until
				 * the peer's, so unread bytes cause no RST that
				 * could destroy the response in flight. */
				tcpip_shutdown(na->st, c->sd, TCPIP_SHUT_WR);
				c->state = HC_LINGER;
				c->deadline = now + HTTPD_LINGER_MS;
				continue;
			}
			c->state = c->skip ? HC_SKIP : HC_READ;
			c->deadline = now + HTTPD_IDLE_MS;
			continue;
		}
		case HC_SKIP: {
			char scratch[512];
			long r = tcpip_recv(na->st, c->sd, scratch,
					    c->skip < sizeof scratch ? c->skip : sizeof scratch, 0);
			if (r == TCPIP_EAGAIN)
				return true;
			if (r <= 0)
				return false;
			c->skip -= (uint64_t)r;
			if (c->skip == 0)
				c->state = HC_READ;
			continue;
		}
		case HC_READ:
			parse_next(h, c);
			if (c->state != HC_READ)
				continue;
			if (!read_more(h, na, c, &got))
				return false;
			if (!got)
				return true;
			c->deadline = now + HTTPD_IDLE_MS;
			continue;
		case HC_LINGER: {
			char scratch[512];
			long r = tcpip_recv(na->st, c->sd, scratch, sizeof scratch, 0);
			if (r == TCPIP_EAGAIN)
				return true;
			if (r <= 0)
				return false;
			continue;
		}
		case HC_FREE:
			return true;
		}
	}
}

static void accept_all(struct httpd *h, struct netapp *na)
{
	for (;;) {
		int sd = tcpip_accept(na->st, h->lsd, 0);
		if (sd < 0)
			return;
		h->c.accepted++;
		if (h->active == HTTPD_CONNS) {
			/* Full: a client keeps the others' slots; this one is told
			 * by a reset rather than left hanging. */
			h->c.refused++;
			tcpip_close(na->st, sd);
			continue;
		}
		struct httpd_conn *c = h->conn;
		while (c->state != HC_FREE)
			c++;
		c->sd = sd;
		c->state = HC_READ;
		c->inlen = 0;
		c->skip = 0;
		c->deadline = netapp_now(na) + HTTPD_IDLE_MS;
		h->active++;
	}
}

static void httpd_run(struct netapp *na, void *arg)
{
	struct httpd *h = arg;
	uint64_t now = netapp_now(na);

	accept_all(h, na);
	for (int i = 0; i < HTTPD_CONNS; i++) {
		struct httpd_conn *c = &h->conn[i];
		if (c->state == HC_FREE)
			continue;
		if (!conn_run(h, na, c)) {
			conn_close(h, na, c);
		} else if (now >= c->deadline) {
			h->c.timeouts++;
			conn_close(h, na, c);
		}
	}
}

static uint64_t httpd_deadline(struct netapp *na, void *arg)
{
	struct httpd *h = arg;
	uint64_t d = UINT64_MAX;
	(void)na;
	for (int i = 0; i < HTTPD_CONNS; i++)
		if (h->conn[i].state != HC_FREE && h->conn[i].deadline < d)
			d = h->conn[i].deadline;
	return d;
}

int httpd_start(struct httpd *h, struct netapp *na, uint16_t port, const struct httpd_fs *fs)
{
	__builtin_memset(&h->c, 0, sizeof h->c);
	h->fs = fs;
	h->active = 0;
	for (int i = 0; i < HTTPD_CONNS; i++) {
		h->conn[i].state = HC_FREE;
		h->conn[i].sd = -1;
	}
	h->lsd = tcpip_socket(na->st, TCPIP_SOCK_STREAM);
	if (h->lsd < 0)
		return h->lsd;
	/* No Nagle: a response's last small segment must not wait for the
	 * ACK of the previous one, which the client delays (RFC 1122
	 * 4.2.3.2): that costs tens of ms per response on keep-alive. */
	int one = 1, sndbuf = 256 * 1024;
	struct tcpip_sockaddr_in a = { .sin_family = TCPIP_AF_INET,
				       .sin_port = tcpip_htons(port) };
	int r = tcpip_setsockopt(na->st, h->lsd, TCPIP_SOL_SOCKET, TCPIP_SO_REUSEADDR, &one,
				 sizeof one);
	if (r == 0)
		r = tcpip_setsockopt(na->st, h->lsd, TCPIP_SOL_SOCKET, TCPIP_SO_SNDBUF, &sndbuf,
				     sizeof sndbuf);
	if (r == 0)
		r = tcpip_setsockopt(na->st, h->lsd, TCPIP_IPPROTO_TCP, TCPIP_TCP_NODELAY, &one,
				     sizeof one);
	if (r == 0)
		r = tcpip_bind(na->st, h->lsd, &a);
	if (r == 0)
		r = tcpip_listen(na->st, h->lsd, 32);
	if (r < 0) {
		tcpip_close(na->st, h->lsd);
		return r;
	}
	h->svc = (struct netapp_service){ .name = "httpd", .arg = h, .run = httpd_run,
					  .deadline = httpd_deadline };
	netapp_add_service(na, &h->svc);
	return 0;
}

void httpd_stop(struct httpd *h, struct netapp *na)
{
	netapp_remove_service(na, &h->svc);
	for (int i = 0; i < HTTPD_CONNS; i++)
		if (h->conn[i].state != HC_FREE)
			conn_close(h, na, &h->conn[i]);
	tcpip_close(na->st, h->lsd);
	h->lsd = -1;
}
