/*
 * httpd's HTTP/1.1 parser and response heads (apps/httpd/http.c), table
 * driven: each case is a request head and the expected result, the parsed
 * fields, or the status of the error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../apps/httpd/http.h"

struct pcase {
	const char *name, *in;
	int want;               /* > 0: consumed the whole input; else the error */
	enum http_method method;
	const char *path;
	bool keep_alive;
	uint64_t body;
};

#define OK(name, in, m, path, ka, body) { name, in, 1, m, path, ka, body }
#define BAD(name, in, status) { name, in, -(status), HTTP_GET, NULL, false, 0 }

static const struct pcase cases[] = {
	OK("simple get", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", HTTP_GET, "/", true, 0),
	OK("head", "HEAD /x.html HTTP/1.1\r\nHost: a\r\n\r\n", HTTP_HEAD, "/x.html", true, 0),
	OK("bare LF lines", "GET /a HTTP/1.1\nHost: a\n\n", HTTP_GET, "/a", true, 0),
	OK("leading empty lines", "\r\n\r\nGET /a HTTP/1.1\r\nHost: a\r\n\r\n", HTTP_GET, "/a",
	   true, 0),
	OK("1.1 close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", HTTP_GET, "/",
	   false, 0),
	OK("1.1 close in a list", "GET / HTTP/1.1\r\nHost: a\r\nconnection: TE, Close\r\n\r\n",
	   HTTP_GET, "/", false, 0),
	OK("1.0 default close", "GET / HTTP/1.0\r\n\r\n", HTTP_GET, "/", false, 0),
	OK("1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", HTTP_GET, "/",
	   true, 0),
	OK("1.2 is 1.x", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", HTTP_GET, "/", true, 0),
	OK("query dropped", "GET /a/b.txt?x=1&y=2 HTTP/1.1\r\nHost: a\r\n\r\n", HTTP_GET,
	   "/a/b.txt", true, 0),
	OK("percent decoding", "GET /a%20b%2Fc HTTP/1.1\r\nHost: a\r\n\r\n", HTTP_GET,
	   "/a b/c", true, 0),
	OK("absolute form", "GET http://example.com/p?q HTTP/1.1\r\nHost: a\r\n\r\n", HTTP_GET,
	   "/p", true, 0),
	OK("absolute form no path", "GET http://example.com HTTP/1.1\r\nHost: a\r\n\r\n",
	   HTTP_GET, "/", true, 0),
	OK("body length", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\n", HTTP_GET,
	   "/", true, 12),
	OK("same length twice", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
	   "Content-Length: 3\r\n\r\n", HTTP_GET, "/", true, 3),
	OK("whitespace around value", "GET / HTTP/1.1\r\nHost:   a \t\r\nX-Y:\r\n\r\n",
	   HTTP_GET, "/", true, 0),
	OK("dots inside names", "GET /a..b/.c HTTP/1.1\r\nHost: a\r\n\r\n", HTTP_GET, "/a..b/.c",
	   true, 0),
	BAD("garbage", "GARBAGE\r\n\r\n", 400),
	BAD("no version", "GET /\r\n\r\n", 400),
	BAD("two spaces", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
	BAD("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400),
	BAD("version 2", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
	BAD("version 0.9", "GET / HTTP/0.9\r\n\r\n", 505),
	BAD("missing host", "GET / HTTP/1.1\r\n\r\n", 400),
	BAD("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
	BAD("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
	BAD("no colon", "GET / HTTP/1.1\r\nHost a\r\n\r\n", 400),
	BAD("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n c\r\n\r\n", 400),
	BAD("control char in value", "GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n", 400),
	BAD("bad length", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", 400),
	BAD("conflicting lengths", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
	    "Content-Length: 2\r\n\r\n", 400),
	BAD("body too large", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\n",
	    413),
	BAD("chunked", "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
	BAD("post", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n", 405),
	BAD("delete", "DELETE /x HTTP/1.1\r\nHost: a\r\n\r\n", 405),
	BAD("non-token method", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
	BAD("relative target", "GET a HTTP/1.1\r\nHost: a\r\n\r\n", 400),
	BAD("dot-dot", "GET /../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n", 400),
	BAD("encoded dot-dot", "GET /a/%2e%2E/b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
	BAD("trailing dot-dot", "GET /a/.. HTTP/1.1\r\nHost: a\r\n\r\n", 400),
	BAD("bad escape", "GET /a%g1 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
	BAD("short escape", "GET /a% HTTP/1.1\r\nHost: a\r\n\r\n", 400),
	BAD("encoded NUL", "GET /a%00 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
	BAD("fragment", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
	BAD("tab in target", "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", 400),
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct pcase *c = &cases[i];
		struct http_req req;
		size_t len = strlen(c->in);
		int r = http_parse(c->in, len, &req);
		int want = c->want > 0 ? (int)len : c->want;
		if (r != want)
			fail_msg("case \"%s\": %d, want %d", c->name, r, want);
		if (c->want < 0)
			continue;
		if (req.method != c->method || strcmp(req.path, c->path) != 0 ||
		    req.keep_alive != c->keep_alive || req.body_len != c->body)
			fail_msg("case \"%s\": method %d path \"%s\" keep-alive %d body %llu",
				 c->name, req.method, req.path, req.keep_alive,
				 (unsigned long long)req.body_len);
	}
}

/* Every proper prefix of a valid head is "need more", never an error. */
static void test_prefixes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].want < 0)
			continue;
		struct http_req req;
		size_t len = strlen(cases[i].in);
		for (size_t k = 0; k < len; k++)
			if (http_parse(cases[i].in, k, &req) != 0)
				fail_msg("case \"%s\": prefix of %zu bytes not incomplete",
					 cases[i].name, k);
	}
}

/* Pipelined requests: the parser takes exactly the first. */
static void test_pipelined(void **state)
{
	(void)state;
	const char *two = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n";
	struct http_req req;
	int r = http_parse(two, strlen(two), &req);
	assert_int_equal(r, 28);
	assert_string_equal(req.path, "/1");
	assert_int_equal(http_parse(two + r, strlen(two) - (size_t)r, &req), 28);
	assert_string_equal(req.path, "/2");
}

static void test_limits(void **state)
{
	(void)state;
	static char buf[HTTP_MAX_HEAD * 2];
	struct http_req req;

	/* A request line longer than HTTP_MAX_LINE: 414, complete or not. */
	memset(buf, 'a', sizeof buf);
	memcpy(buf, "GET /", 5);
	assert_int_equal(http_parse(buf, HTTP_MAX_LINE + 1, &req), -414);
	size_t n = (size_t)snprintf(buf, sizeof buf, "GET /%0*d HTTP/1.1\r\nHost: a\r\n\r\n",
				    HTTP_MAX_LINE, 0);
	assert_int_equal(http_parse(buf, n, &req), -414);
	/* A path that decodes longer than HTTP_MAX_PATH. */
	n = (size_t)snprintf(buf, sizeof buf, "GET /%0*d HTTP/1.1\r\nHost: a\r\n\r\n",
			     HTTP_MAX_PATH, 0);
	assert_int_equal(http_parse(buf, n, &req), -414);
	/* A path of exactly HTTP_MAX_PATH bytes is fine. */
	n = (size_t)snprintf(buf, sizeof buf, "GET /%0*d HTTP/1.1\r\nHost: a\r\n\r\n",
			     HTTP_MAX_PATH - 1, 0);
	assert_int_equal(http_parse(buf, n, &req), (int)n);
	/* Headers that never end within HTTP_MAX_HEAD: 431 once the buffer is full. */
	n = (size_t)snprintf(buf, sizeof buf, "GET / HTTP/1.1\r\nHost: a\r\n");
	while (n < HTTP_MAX_HEAD)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "X-Pad: %0250d\r\n", 1);
	assert_int_equal(http_parse(buf, HTTP_MAX_HEAD - 1, &req), 0);
	assert_int_equal(http_parse(buf, n, &req), -431);
	/* Too many (short) fields. */
	n = (size_t)snprintf(buf, sizeof buf, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (int i = 0; i < HTTP_MAX_HEADERS; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "X: %d\r\n", i);
	n += (size_t)snprintf(buf + n, sizeof buf - n, "\r\n");
	assert_int_equal(http_parse(buf, n, &req), -431);
}

static void test_response_head(void **state)
{
	(void)state;
	char out[320];
	size_t n = http_response_head(out, sizeof out, 200, "text/html", 1048576, true);
	assert_int_equal(n, strlen(out));
	assert_string_equal(out, "HTTP/1.1 200 OK\r\nServer: exo-httpd\r\n"
				 "Content-Type: text/html\r\nContent-Length: 1048576\r\n"
				 "Connection: keep-alive\r\n\r\n");
	n = http_response_head(out, sizeof out, 405, "text/plain", 18, false);
	assert_non_null(strstr(out, "HTTP/1.1 405 Method Not Allowed\r\n"));
	assert_non_null(strstr(out, "Allow: GET, HEAD\r\n"));
	assert_non_null(strstr(out, "Connection: close\r\n"));
	assert_int_equal(http_response_head(out, 40, 200, "text/html", 5, true), 0);
	assert_string_equal(http_mime("/a/index.html"), "text/html");
	assert_string_equal(http_mime("/x.PNG"), "image/png");
	assert_string_equal(http_mime("/a.b/noext"), "application/octet-stream");
	assert_string_equal(http_mime("/1m.bin"), "application/octet-stream");
}

/*
 * Mutated and random heads (ASan/UBSan watching): the result is always
 * "incomplete", a length within the input, or one of the documented
 * statuses, and an accepted path is absolute and never climbs out.
 */
static void test_fuzz(void **state)
{
	(void)state;
	static char buf[HTTP_MAX_HEAD + 64];
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	const char *alphabet = "GETHAD /%.?#:\r\n\t0123456789abcdefxHTP-";
	size_t alen = strlen(alphabet);
	for (int iter = 0; iter < 200000; iter++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		const struct pcase *c = &cases[rng % (sizeof cases / sizeof cases[0])];
		size_t len = strlen(c->in);
		memcpy(buf, c->in, len);
		int edits = 1 + (int)((rng >> 8) % 4);
		for (int e = 0; e < edits; e++) {
			rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
			size_t at = (size_t)(rng >> 16) % (len + 1);
			switch ((rng >> 40) % 3) {
			case 0:   /* replace */
				if (at < len)
					buf[at] = (rng >> 48) % 4 ? alphabet[(rng >> 50) % alen]
								  : (char)(rng >> 52);
				break;
			case 1:   /* insert */
				if (len + 1 < sizeof buf) {
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = alphabet[(rng >> 50) % alen];
					len++;
				}
				break;
			default:  /* cut */
				len = at;
				break;
			}
		}
		struct http_req req;
		int r = http_parse(buf, len, &req);
		if (r > 0) {
			assert_true((size_t)r <= len);
			assert_int_equal(req.path[0], '/');
			assert_null(strstr(req.path, "/../"));
			size_t pl = strlen(req.path);
			assert_false(pl >= 3 && !strcmp(req.path + pl - 3, "/.."));
			assert_true(req.method == HTTP_GET || req.method == HTTP_HEAD);
		} else if (r < 0) {
			assert_true(r == -400 || r == -405 || r == -413 || r == -414 ||
				    r == -431 || r == -501 || r == -505);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_pipelined),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_response_head),
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
