/*
 * httpd: a static-file HTTP/1.1 server as a netapp service. Persistent
 * connections and pipelining: requests are parsed out of a connection's
 * buffer one at a time, and the next is looked at only when the previous
 * response has gone into the send queue, so responses leave in request
 * order and each connection needs one buffer. Bodies are sent straight from
 * the files' memory. Bad requests get their status (http.h) and the
 * connection closes after it; a connection idle for HTTPD_IDLE_MS (no
 * request, or a response the client does not read) closes.
 * Pure socket code (host-tested in tests/apps/test_httpd.c).
 */
#ifndef APPS_HTTPD_H
#define APPS_HTTPD_H

#include <libos/netapp.h>

#include "fs.h"
#include "http.h"

#define HTTPD_CONNS 32
#define HTTPD_IDLE_MS 30000u    /* no request, or no progress sending */
#define HTTPD_LINGER_MS 2000u   /* after a closing response: wait for the FIN */

enum httpd_state {
	HC_FREE,
	HC_READ,        /* parsing requests */
	HC_SEND,        /* a response is going out */
	HC_SKIP,        /* discarding a request body */
	HC_LINGER,      /* response sent, our FIN sent: reading until the peer's */
};

struct httpd_conn {
	int sd;
	enum httpd_state state;
	bool keep_alive;        /* of the response being sent */
	uint64_t deadline;      /* idle or linger time-out */
	uint64_t skip;          /* body bytes still to discard */
	size_t inlen;
	size_t head_len, head_off;
	const uint8_t *body;
	size_t body_len, body_off;
	char head[1024];        /* response head, and a small body with it */
	char in[HTTP_MAX_HEAD];
};

struct httpd_counters {
	uint64_t accepted, requests, responses[6];   /* by status class: [2] = 2xx ... */
	uint64_t bytes, timeouts, resets, refused;
};

struct httpd {
	struct netapp_service svc;
	const struct httpd_fs *fs;
	int lsd;
	unsigned active;
	struct httpd_counters c;
	struct httpd_conn conn[HTTPD_CONNS];
};

int httpd_start(struct httpd *h, struct netapp *na, uint16_t port, const struct httpd_fs *fs);
void httpd_stop(struct httpd *h, struct netapp *na);

#endif /* APPS_HTTPD_H */
