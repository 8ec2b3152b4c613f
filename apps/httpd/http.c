/*
 * HTTP/1.1 request parsing and response heads (see http.h). Section
 * numbers are RFC 9112's (message syntax) unless RFC 9110 is named.
 */
#include "http.h"

/* RFC 9110 5.6.2: tchar, the characters of a token. */
static bool is_tchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	for (const char *s = "!#$%&'*+-.^_`|~"; *s; s++)
		if (c == *s)
			return true;
	return false;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Case-insensitive comparison of buf[0, len) with the lower-case word w. */
static bool eq_nocase(const char *buf, size_t len, const char *w)
{
	size_t i = 0;
	for (; i < len && w[i]; i++)
		if (lower(buf[i]) != w[i])
			return false;
	return i == len && w[i] == 0;
}

static size_t find_lf(const char *buf, size_t from, size_t len)
{
	for (size_t i = from; i < len; i++)
		if (buf[i] == '\n')
			return i;
	return len;
}

/* Line [start, lf) without a trailing CR (2.2: a bare LF is accepted too). */
static size_t line_end(const char *buf, size_t start, size_t lf)
{
	return lf > start && buf[lf - 1] == '\r' ? lf - 1 : lf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * The request target (3.2) into req->path: origin-form, or absolute-form
 * whose authority is skipped. Percent-decoded (RFC 3986 2.1); the query is
 * dropped; a ".." segment, which would climb out of the web root, is
 * refused.
 */
static int parse_target(const char *t, size_t len, struct http_req *req)
{
	size_t i = 0, o = 0;

	if (len >= 7 && (eq_nocase(t, 7, "http://") || (len >= 8 && eq_nocase(t, 8, "https://")))) {
		i = lower(t[4]) == 's' ? 8 : 7;
		while (i < len && t[i] != '/' && t[i] != '?')
			i++;
		if (i == len || t[i] == '?') {
			req->path[0] = '/';
			req->path[1] = 0;
			return 0;
		}
	}
	if (i >= len || t[i] != '/')
		return -400;
	for (; i < len && t[i] != '?'; i++) {
		char c = t[i];
		if (c == '%') {
			int hi = i + 2 < len ? hexval(t[i + 1]) : -1;
			int lo = i + 2 < len ? hexval(t[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi | lo) == 0)
				return -400;   /* malformed escape, or an encoded NUL */
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '#') {
			return -400;   /* a fragment is never sent (RFC 9110 4.2.4) */
		}
		if (o == HTTP_MAX_PATH)
			return -414;
		req->path[o++] = c;
	}
	req->path[o] = 0;
	for (size_t s = 0; s < o; s++)
		if (req->path[s] == '/' && req->path[s + 1] == '.' && req->path[s + 2] == '.' &&
		    (req->path[s + 3] == '/' || req->path[s + 3] == 0))
			return -400;
	return 0;
}

/* Request line (3): method SP request-target SP HTTP-version. */
static int parse_request_line(const char *l, size_t len, struct http_req *req,
			      const char **target, size_t *tlen)
{
	size_t i = 0;
	while (i < len && is_tchar(l[i]))
		i++;
	if (i == 0 || i == len || l[i] != ' ')
		return -400;
	req->method = (i == 3 && __builtin_memcmp(l, "GET", 3) == 0)    ? HTTP_GET
		      : (i == 4 && __builtin_memcmp(l, "HEAD", 4) == 0) ? HTTP_HEAD
									 : HTTP_OTHER;
	size_t t = ++i;
	while (i < len && l[i] > ' ' && l[i] < 0x7f)
		i++;
	if (i == t || i == len || l[i] != ' ')
		return -400;
	*target = l + t;
	*tlen = i - t;
	const char *v = l + i + 1;
	size_t vlen = len - i - 1;
	if (vlen != 8 || __builtin_memcmp(v, "HTTP/", 5) != 0 || v[5] < '0' || v[5] > '9' ||
	    v[6] != '.' || v[7] < '0' || v[7] > '9')
		return -400;
	if (v[5] != '1')
		return -505;
	req->minor = v[7] - '0';
	return 0;
}

struct head_fields {
	bool host, close, keep_alive, chunked, has_length;
	uint64_t length;
};

/* One field line (5): name ":" OWS value OWS. */
static int parse_field(const char *l, size_t len, struct head_fields *h)
{
	size_t i = 0;
	while (i < len && is_tchar(l[i]))
		i++;
	if (i == 0 || i == len || l[i] != ':')
		return -400;   /* 5.1: no whitespace between name and colon */
	size_t nlen = i++;
	while (i < len && (l[i] == ' ' || l[i] == '\t'))
		i++;
	size_t vend = len;
	while (vend > i && (l[vend - 1] == ' ' || l[vend - 1] == '\t'))
		vend--;
	for (size_t k = i; k < vend; k++)
		if ((unsigned char)l[k] < ' ' && l[k] != '\t')
			return -400;
	const char *v = l + i;
	size_t vlen = vend - i;

	if (eq_nocase(l, nlen, "host")) {
		if (h->host)
			return -400;   /* 3.2: more than one Host */
		h->host = true;
	} else if (eq_nocase(l, nlen, "content-length")) {
		uint64_t n = 0;
		if (vlen == 0 || vlen > 15)
			return -400;
		for (size_t k = 0; k < vlen; k++) {
			if (v[k] < '0' || v[k] > '9')
				return -400;
			n = n * 10 + (uint64_t)(v[k] - '0');
		}
		if (h->has_length && h->length != n)
			return -400;   /* 6.3 (5): conflicting lengths */
		h->has_length = true;
		h->length = n;
	} else if (eq_nocase(l, nlen, "transfer-encoding")) {
		h->chunked = true;
	} else if (eq_nocase(l, nlen, "connection")) {
		/* RFC 9110 7.6.1: a comma-separated list of options. */
		size_t k = 0;
		while (k < vlen) {
			while (k < vlen && (v[k] == ',' || v[k] == ' ' || v[k] == '\t'))
				k++;
			size_t s = k;
			while (k < vlen && v[k] != ',' && v[k] != ' ' && v[k] != '\t')
				k++;
			if (eq_nocase(v + s, k - s, "close"))
				h->close = true;
			else if (eq_nocase(v + s, k - s, "keep-alive"))
				h->keep_alive = true;
		}
	}
	return 0;
}

int http_parse(const char *buf, size_t len, struct http_req *req)
{
	size_t p = 0;
	/* 2.2: empty lines before the request line are ignored. */
	while (p < len && (buf[p] == '\r' || buf[p] == '\n'))
		if (++p > HTTP_MAX_LINE)
			return -400;
	size_t eol = find_lf(buf, p, len);
	if (eol - p > HTTP_MAX_LINE)
		return -414;
	if (eol == len)
		return 0;

	/* Find the blank line that ends the head before looking inside. */
	size_t q = eol + 1, end = 0, nfields = 0;
	for (;;) {
		size_t lf = find_lf(buf, q, len);
		if (lf == len)
			return len >= HTTP_MAX_HEAD ? -431 : 0;
		if (line_end(buf, q, lf) == q) {
			end = lf + 1;
			break;
		}
		if (++nfields > HTTP_MAX_HEADERS)
			return -431;
		q = lf + 1;
	}
	if (end > HTTP_MAX_HEAD)
		return -431;

	const char *target;
	size_t tlen;
	int r = parse_request_line(buf + p, line_end(buf, p, eol) - p, req, &target, &tlen);
	if (r < 0)
		return r;
	struct head_fields h = { 0 };
	for (q = eol + 1; q < end;) {
		size_t lf = find_lf(buf, q, len), le = line_end(buf, q, lf);
		if (le == q)
			break;
		if (buf[q] == ' ' || buf[q] == '\t')
			return -400;   /* 5.2: obsolete line folding */
		if ((r = parse_field(buf + q, le - q, &h)) < 0)
			return r;
		q = lf + 1;
	}
	if (req->minor >= 1 && !h.host)
		return -400;   /* 3.2: an HTTP/1.1 request without Host */
	if (h.chunked)
		return -501;   /* 6.1: we cannot frame such a body */
	if (req->method == HTTP_OTHER)
		return -405;
	if (h.has_length && h.length > HTTP_MAX_BODY)
		return -413;
	if ((r = parse_target(target, tlen, req)) < 0)
		return r;
	req->body_len = h.has_length ? h.length : 0;
	/* 9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive". */
	req->keep_alive = !h.close && (req->minor >= 1 || h.keep_alive);
	return (int)end;
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

const char *http_mime(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ "html", "text/html" }, { "htm", "text/html" }, { "txt", "text/plain" },
		{ "css", "text/css" },   { "js", "text/javascript" }, { "json", "application/json" },
		{ "png", "image/png" },  { "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" },
		{ "gif", "image/gif" },  { "svg", "image/svg+xml" },
	};
	const char *dot = 0;
	for (const char *s = path; *s; s++)
		if (*s == '.')
			dot = s + 1;
		else if (*s == '/')
			dot = 0;
	if (dot)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
			size_t n = 0;
			while (dot[n])
				n++;
			if (eq_nocase(dot, n, types[i].ext))
				return types[i].type;
		}
	return "application/octet-stream";
}

struct out {
	char *buf;
	size_t size, len;
	bool overflow;
};

static void put_str(struct out *o, const char *s)
{
	for (; *s; s++) {
		if (o->len + 1 >= o->size) {
			o->overflow = true;
			return;
		}
		o->buf[o->len++] = *s;
	}
}

static void put_u64(struct out *o, uint64_t v)
{
	char d[21];
	int n = 20;
	d[n] = 0;
	do {
		d[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_str(o, d + n);
}

size_t http_response_head(char *out, size_t size, int status, const char *type,
			  uint64_t content_length, bool keep_alive)
{
	struct out o = { out, size, 0, false };
	put_str(&o, "HTTP/1.1 ");
	put_u64(&o, (uint64_t)status);
	put_str(&o, " ");
	put_str(&o, http_reason(status));
	put_str(&o, "\r\nServer: exo-httpd\r\n");
	if (type) {
		put_str(&o, "Content-Type: ");
		put_str(&o, type);
		put_str(&o, "\r\n");
	}
	put_str(&o, "Content-Length: ");
	put_u64(&o, content_length);
	put_str(&o, keep_alive ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n");
	if (status == 405)
		put_str(&o, "Allow: GET, HEAD\r\n");
	put_str(&o, "\r\n");
	if (o.overflow)
		return 0;
	out[o.len] = 0;
	return o.len;
}
