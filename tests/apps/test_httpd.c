/*
 * httpd on the real stack, files from a ustar archive built here, with a
 * second stack as the client over the simulated link (simnet.h):
 * keep-alive, pipelining, HEAD, Content-Length, 404, malformed and
 * oversize requests (400/405/413/414/431/501/505, each followed by a
 * close), request bodies skipped, idle time-out, a client that does not
 * read, the connection limit, a
 * 1 MiB file byte-exact over a lossy link, and 1000 sequential connections
 * back to the baseline.
 */
#define _GNU_SOURCE   /* memmem */
#include "simnet.h"

#include "../../apps/httpd/httpd.h"

#define BIG (1u << 20)

static const char INDEX[] = "<html><body>index</body></html>\n";
static const char ATXT[] = "a text file\n";
static uint8_t *big;

struct tfile {
	const char *name;
	const void *data;
	size_t size;
};

/* A ustar archive (POSIX.1 pax format's ustar header) of the files. */
static uint8_t *make_tar(const struct tfile *f, int n, size_t *size)
{
	size_t total = 1024;
	for (int i = 0; i < n; i++)
		total += 512 + ((f[i].size + 511) & ~(size_t)511);
	uint8_t *t = aligned_alloc(512, total);
	assert_non_null(t);
	memset(t, 0, total);
	size_t off = 0;
	for (int i = 0; i < n; i++) {
		uint8_t *h = t + off;
		snprintf((char *)h, 100, "%s", f[i].name);
		snprintf((char *)h + 100, 8, "%07o", 0644);
		snprintf((char *)h + 108, 8, "%07o", 0);
		snprintf((char *)h + 116, 8, "%07o", 0);
		snprintf((char *)h + 124, 12, "%011zo", f[i].size);
		snprintf((char *)h + 136, 12, "%011o", 0);
		h[156] = '0';
		memcpy(h + 257, "ustar", 6);
		memcpy(h + 263, "00", 2);
		memset(h + 148, ' ', 8);
		unsigned sum = 0;
		for (int k = 0; k < 512; k++)
			sum += h[k];
		snprintf((char *)h + 148, 8, "%06o", sum);
		memcpy(h + 512, f[i].data, f[i].size);
		off += 512 + ((f[i].size + 511) & ~(size_t)511);
	}
	*size = total;
	return t;
}

struct world {
	struct simnet *sn;
	struct httpd *h;
	struct httpd_fs fs;
	struct httpd_tarfs tfs;
	uint8_t *tar;
	struct tcpip_pool_usage base;
};

static struct world *world_new(unsigned loss, unsigned reorder, uint64_t delay)
{
	struct world *w = calloc(1, sizeof *w);
	if (!big) {
		big = malloc(BIG);
		for (size_t i = 0; i < BIG; i++)
			big[i] = sim_pattern(42, i);
	}
	struct tfile files[] = {
		{ "./index.html", INDEX, sizeof INDEX - 1 },
		{ "./1m.bin", big, BIG },
		{ "./dir/a.txt", ATXT, sizeof ATXT - 1 },
	};
	size_t size;
	w->tar = make_tar(files, 3, &size);
	httpd_tarfs_init(&w->fs, &w->tfs, w->tar, size, "");
	w->sn = simnet_new(11, loss, reorder, delay);
	w->h = calloc(1, sizeof *w->h);
	assert_int_equal(httpd_start(w->h, sim_server(w->sn), 80, &w->fs), 0);
	tcpip_pool_usage(sim_server(w->sn)->st, &w->base);
	return w;
}

static void world_free(struct world *w)
{
	simnet_run(w->sn, 70000);   /* TIME-WAIT, lingering closes */
	assert_int_equal(w->h->active, 0);
	sim_assert_rest(sim_server(w->sn), w->base.sockets, w->base.tcp_pcbs);
	httpd_stop(w->h, sim_server(w->sn));
	simnet_free(w->sn);
	free(w->h);
	free(w->tar);
	free(w);
}

/* The client's end of one connection, with what it read ahead. */
struct hconn {
	struct simnet *sn;
	int sd;
	size_t len;
	uint8_t buf[65536];
};

struct resp {
	int status;
	long length;            /* Content-Length, -1 if none */
	bool close;
	char head[1024];
	uint8_t *body;          /* malloc'd, length bytes */
};

static struct hconn *hc_open(struct world *w)
{
	struct hconn *c = calloc(1, sizeof *c);
	c->sn = w->sn;
	c->sd = sim_connect(w->sn, 80);
	return c;
}

static void hc_close(struct hconn *c)
{
	assert_int_equal(tcpip_close(sim_client(c->sn)->st, c->sd), 0);
	free(c);
}

static void hc_send(struct hconn *c, const void *data, size_t len)
{
	assert_int_equal(netapp_send_all(sim_client(c->sn), c->sd, data, len, 30000), (long)len);
}

static void hc_sends(struct hconn *c, const char *s)
{
	hc_send(c, s, strlen(s));
}

/* More bytes into the buffer; false at end of stream. */
static bool hc_fill(struct hconn *c)
{
	assert_true(c->len < sizeof c->buf);
	long r = netapp_recv(sim_client(c->sn), c->sd, c->buf + c->len, sizeof c->buf - c->len,
			     60000);
	if (r == 0 || r == TCPIP_ECONNRESET)
		return false;
	if (r < 0)
		fail_msg("recv: %ld", r);
	c->len += (size_t)r;
	return true;
}

static void hc_take(struct hconn *c, void *out, size_t n)
{
	if (out)
		memcpy(out, c->buf, n);
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

/* Read one response; HEAD responses have no body whatever the length. */
static void hc_read(struct hconn *c, struct resp *r, bool head_request)
{
	uint8_t *end;
	memset(r, 0, sizeof *r);
	while (!(end = memmem(c->buf, c->len, "\r\n\r\n", 4)))
		if (!hc_fill(c))
			fail_msg("end of stream inside a response head");
	size_t hlen = (size_t)(end - c->buf) + 4;
	assert_true(hlen < sizeof r->head);
	hc_take(c, r->head, hlen);
	r->head[hlen] = 0;
	assert_int_equal(sscanf(r->head, "HTTP/1.1 %d ", &r->status), 1);
	const char *cl = strstr(r->head, "\r\nContent-Length: ");
	r->length = cl ? atol(cl + 18) : -1;
	r->close = strstr(r->head, "\r\nConnection: close\r\n") != NULL;
	assert_true(r->close || strstr(r->head, "\r\nConnection: keep-alive\r\n"));
	assert_true(r->length >= 0);
	size_t want = head_request ? 0 : (size_t)r->length;
	r->body = malloc(want + 1);
	size_t got = 0;
	while (got < want) {
		if (c->len == 0 && !hc_fill(c))
			fail_msg("end of stream after %zu of %zu body bytes", got, want);
		size_t n = c->len < want - got ? c->len : want - got;
		hc_take(c, r->body + got, n);
		got += n;
	}
	r->body[want] = 0;
}

static void resp_free(struct resp *r)
{
	free(r->body);
}

/* The server closed: nothing more than the end of stream arrives. */
static void hc_expect_eof(struct hconn *c)
{
	assert_int_equal(c->len, 0);
	assert_false(hc_fill(c));
}

static void expect(struct hconn *c, const char *req, int status, const void *body, size_t len)
{
	struct resp r;
	hc_sends(c, req);
	hc_read(c, &r, strncmp(req, "HEAD", 4) == 0);
	if (r.status != status)
		fail_msg("%s: status %d, want %d", req, r.status, status);
	if (body) {
		assert_int_equal(r.length, len);
		assert_memory_equal(r.body, body, len);
	}
	resp_free(&r);
}

#define GET(path) "GET " path " HTTP/1.1\r\nHost: t\r\n\r\n"

static void test_keep_alive(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0, 1);
	struct hconn *c = hc_open(w);
	expect(c, GET("/"), 200, INDEX, sizeof INDEX - 1);
	expect(c, GET("/index.html"), 200, INDEX, sizeof INDEX - 1);
	expect(c, GET("/missing"), 404, "Not Found", 9);
	expect(c, GET("/dir/a.txt?v=2"), 200, ATXT, sizeof ATXT - 1);
	expect(c, GET("/dir/a%2etxt"), 200, ATXT, sizeof ATXT - 1);
	expect(c, GET("/dir"), 404, NULL, 0);
	struct resp r;
	hc_sends(c, "HEAD /1m.bin HTTP/1.1\r\nHost: t\r\n\r\n");
	hc_read(c, &r, true);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.length, BIG);
	assert_non_null(strstr(r.head, "Content-Type: application/octet-stream\r\n"));
	assert_false(r.close);
	resp_free(&r);
	hc_sends(c, GET("/"));
	hc_read(c, &r, false);
	assert_non_null(strstr(r.head, "Content-Type: text/html\r\n"));
	resp_free(&r);
	assert_int_equal(w->h->c.requests, 8);
	assert_int_equal(w->h->c.accepted, 1);
	hc_close(c);
	world_free(w);
}

static void test_pipelined(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0, 1);
	struct hconn *c = hc_open(w);
	/* Four requests in one write; the responses come back in order. */
	hc_sends(c, GET("/") "HEAD /1m.bin HTTP/1.1\r\nHost: t\r\n\r\n" GET("/nope")
		    GET("/dir/a.txt"));
	struct resp r;
	hc_read(c, &r, false);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, INDEX, sizeof INDEX - 1);
	resp_free(&r);
	hc_read(c, &r, true);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.length, BIG);
	resp_free(&r);
	hc_read(c, &r, false);
	assert_int_equal(r.status, 404);
	resp_free(&r);
	hc_read(c, &r, false);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, ATXT, sizeof ATXT - 1);
	resp_free(&r);
	/* Then a pipelined good request and garbage: 200, 400, close. */
	hc_sends(c, GET("/") "GARBAGE\r\n\r\n" GET("/"));
	hc_read(c, &r, false);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	hc_read(c, &r, false);
	assert_int_equal(r.status, 400);
	assert_true(r.close);
	resp_free(&r);
	hc_expect_eof(c);
	hc_close(c);
	world_free(w);
}

static void test_1mb_lossy(void **state)
{
	(void)state;
	struct world *w = world_new(5, 25, 5);
	struct hconn *c = hc_open(w);
	struct resp r;
	for (int i = 0; i < 2; i++) {
		hc_sends(c, GET("/1m.bin"));
		hc_read(c, &r, false);
		assert_int_equal(r.status, 200);
		assert_int_equal(r.length, BIG);
		assert_memory_equal(r.body, big, BIG);
		resp_free(&r);
	}
	hc_close(c);
	/* HTTP/1.0: the server closes after the body. */
	c = hc_open(w);
	hc_sends(c, "GET /1m.bin HTTP/1.0\r\n\r\n");
	hc_read(c, &r, false);
	assert_true(r.close);
	assert_memory_equal(r.body, big, BIG);
	resp_free(&r);
	hc_expect_eof(c);
	hc_close(c);
	print_message("1 MiB x3 over the lossy link: %lu frames, %lu lost, %lu reordered\n",
		      w->sn->sent, w->sn->lost, w->sn->reordered);
	world_free(w);
}

static void test_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *req;
		int status;
	} bad[] = {
		{ "GARBAGE\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\n\r\n", 400 },                     /* no Host */
		{ "GET /../x HTTP/1.1\r\nHost: t\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost : t\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nabcd", 405 },
		{ "PUT /x HTTP/1.1\r\nHost: t\r\n\r\n", 405 },
		{ "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\n\r\n", 413 },
		{ "GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501 },
		{ "GET / HTTP/3.0\r\nHost: t\r\n\r\n", 505 },
	};
	struct world *w = world_new(0, 0, 1);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct hconn *c = hc_open(w);
		struct resp r;
		hc_sends(c, bad[i].req);
		hc_read(c, &r, false);
		if (r.status != bad[i].status)
			fail_msg("%s: %d, want %d", bad[i].req, r.status, bad[i].status);
		assert_true(r.close);
		assert_int_equal(r.length, strlen(http_reason(bad[i].status)));
		if (bad[i].status == 405)
			assert_non_null(strstr(r.head, "\r\nAllow: GET, HEAD\r\n"));
		resp_free(&r);
		hc_expect_eof(c);
		hc_close(c);
	}
	/* Oversize: a 3000-byte target (414), 12 KiB of header fields (431). */
	static char buf[16384];
	int n = snprintf(buf, sizeof buf, "GET /%03000d HTTP/1.1\r\nHost: t\r\n\r\n", 7);
	struct hconn *c = hc_open(w);
	struct resp r;
	hc_send(c, buf, (size_t)n);
	hc_read(c, &r, false);
	assert_int_equal(r.status, 414);
	resp_free(&r);
	hc_expect_eof(c);
	hc_close(c);
	n = snprintf(buf, sizeof buf, "GET / HTTP/1.1\r\nHost: t\r\n");
	while (n < 12288)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "X-Filler: %0200d\r\n", 1);
	n += snprintf(buf + n, sizeof buf - (size_t)n, "\r\n");
	c = hc_open(w);
	hc_send(c, buf, (size_t)n);
	hc_read(c, &r, false);
	assert_int_equal(r.status, 431);
	resp_free(&r);
	hc_expect_eof(c);
	hc_close(c);
	/* And the server still serves. */
	c = hc_open(w);
	expect(c, GET("/"), 200, INDEX, sizeof INDEX - 1);
	hc_close(c);
	world_free(w);
}

static void test_body_skipped(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0, 1);
	struct hconn *c = hc_open(w);
	static char body[5000];
	memset(body, 'b', sizeof body);
	hc_sends(c, "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n");
	hc_send(c, body, sizeof body);
	hc_sends(c, GET("/dir/a.txt"));
	struct resp r;
	hc_read(c, &r, false);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, INDEX, sizeof INDEX - 1);
	resp_free(&r);
	hc_read(c, &r, false);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.body, ATXT, sizeof ATXT - 1);
	resp_free(&r);
	hc_close(c);
	world_free(w);
}

static void test_idle_timeout(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0, 1);
	struct hconn *c = hc_open(w);
	expect(c, GET("/"), 200, INDEX, sizeof INDEX - 1);
	simnet_run(w->sn, HTTPD_IDLE_MS + 1000);
	assert_int_equal(w->h->c.timeouts, 1);
	hc_expect_eof(c);
	hc_close(c);
	world_free(w);
}

/* A client that asks for 1 MiB and never reads loses its slot. */
static void test_stalled_reader(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0, 1);
	struct hconn *c = hc_open(w);
	hc_sends(c, GET("/1m.bin"));
	simnet_run(w->sn, 1000);
	assert_int_equal(w->h->active, 1);
	simnet_run(w->sn, HTTPD_IDLE_MS + 1000);
	assert_int_equal(w->h->c.timeouts, 1);
	assert_int_equal(w->h->active, 0);
	hc_close(c);   /* unread data: a reset, which frees the server's pcb */
	c = hc_open(w);
	expect(c, GET("/"), 200, INDEX, sizeof INDEX - 1);
	hc_close(c);
	world_free(w);
}

static void test_connection_limit(void **state)
{
	(void)state;
	struct world *w = world_new(0, 0, 1);
	struct hconn *c[HTTPD_CONNS + 1];
	for (int i = 0; i < HTTPD_CONNS; i++) {
		c[i] = hc_open(w);
		expect(c[i], GET("/"), 200, INDEX, sizeof INDEX - 1);
	}
	/* One too many: accepted by the stack, then refused by httpd. */
	c[HTTPD_CONNS] = hc_open(w);
	hc_sends(c[HTTPD_CONNS], GET("/"));
	assert_false(hc_fill(c[HTTPD_CONNS]));
	assert_int_equal(w->h->c.refused, 1);
	hc_close(c[HTTPD_CONNS]);
	/* A slot freed is a slot to use. */
	hc_close(c[0]);
	simnet_run(w->sn, 100);
	c[0] = hc_open(w);
	expect(c[0], GET("/"), 200, INDEX, sizeof INDEX - 1);
	for (int i = 0; i < HTTPD_CONNS; i++)
		hc_close(c[i]);
	world_free(w);
}

static void test_1000_connections(void **state)
{
	(void)state;
	struct world *w = world_new(1, 10, 1);
	for (int i = 0; i < 1000; i++) {
		struct hconn *c = hc_open(w);
		/* Alternate who closes first: the server (Connection: close)
		 * or the client after a keep-alive response. */
		if (i % 2) {
			expect(c, "GET /dir/a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
			       200, ATXT, sizeof ATXT - 1);
			hc_expect_eof(c);
		} else {
			expect(c, GET("/"), 200, INDEX, sizeof INDEX - 1);
		}
		hc_close(c);
		if (i % 40 == 39)
			simnet_run(w->sn, 61000);   /* TIME-WAIT fits the pcb tables */
	}
	assert_int_equal(w->h->c.accepted, 1000);
	assert_int_equal(w->h->c.requests, 1000);
	world_free(w);   /* checks the server's pools and tables at baseline */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keep_alive),
		cmocka_unit_test(test_pipelined),
		cmocka_unit_test(test_1mb_lossy),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_body_skipped),
		cmocka_unit_test(test_idle_timeout),
		cmocka_unit_test(test_stalled_reader),
		cmocka_unit_test(test_connection_limit),
		cmocka_unit_test(test_1000_connections),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	free(big);
	return r;
}
