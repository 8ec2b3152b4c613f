/*
 * HTTP/1.1 message syntax for httpd (RFC 9110 semantics, RFC 9112
 * syntax): parsing a request head out of a connection's buffer, and
 * writing a response head. Pure functions on byte buffers, no sockets
 * (host-tested in tests/apps/test_http.c).
 *
 * Only what a static file server needs: GET and HEAD, origin-form (and
 * absolute-form) targets, Connection, Content-Length (a body on a GET is
 * read and discarded), Host. Everything else a client may send is checked
 * for syntax and ignored.
 */
#ifndef APPS_HTTP_H
#define APPS_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_LINE 2048      /* request line, else 414 URI Too Long */
#define HTTP_MAX_HEAD 8192      /* whole head, else 431 */
#define HTTP_MAX_HEADERS 64     /* header fields, else 431 */
#define HTTP_MAX_PATH 1024      /* decoded path */
#define HTTP_MAX_BODY (1u << 20) /* a GET body we are willing to skip, else 413 */

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OTHER };

struct http_req {
	enum http_method method;
	int minor;              /* HTTP/1.minor */
	bool keep_alive;        /* the connection stays open after the response */
	uint64_t body_len;      /* Content-Length bytes that follow the head */
	char path[HTTP_MAX_PATH + 1];   /* decoded, no query, no ".." segments */
};

/*
 * Parse one request head from buf[0, len). Returns its length (> 0) when
 * complete, 0 if more bytes are needed, or a negated status when the
 * request is bad: -400 malformed, -405 a method other than GET and HEAD,
 * -413 a body we will not skip, -414 a request line over HTTP_MAX_LINE,
 * -431 a head over HTTP_MAX_HEAD or HTTP_MAX_HEADERS, -501 a
 * Transfer-Encoding, -505 an HTTP version other than 1.x. On -405, -413
 * and -501 the request's version is known and req->minor is set.
 */
int http_parse(const char *buf, size_t len, struct http_req *req);

/* The reason phrase of a status code ("Not Found"). */
const char *http_reason(int status);

/* A media type from the path's extension ("text/html", ...). */
const char *http_mime(const char *path);

/*
 * Write a response head into out[0, size): status line, Server,
 * Content-Type (if type), Content-Length, Connection, Allow for 405, and
 * the blank line. Returns its length, or 0 if it does not fit.
 */
size_t http_response_head(char *out, size_t size, int status, const char *type,
			  uint64_t content_length, bool keep_alive);

#endif /* APPS_HTTP_H */
