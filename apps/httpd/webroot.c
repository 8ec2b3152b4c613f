/* The www= argument of a handed-over web root (see webroot.h). */
#include "webroot.h"

#define TAR_BLOCK 512

/* Digits of base 10 or 16 up to the first non-digit: 0 and *v, or -1 on
 * no digits or a value above 2^64 - 1. *s is left after the digits. */
static int number(const char **s, unsigned base, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;

	for (;; p++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a') + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A') + 10;
		else
			break;
		if (n > (UINT64_MAX - d) / base)
			return -1;
		n = n * base + d;
	}
	if (p == *s)
		return -1;
	*s = p;
	*v = n;
	return 0;
}

int webroot_parse(const char *value, struct webroot *w, const char **why)
{
	const char *s = value;
	struct webroot r;

	if (s == NULL) {
		*why = "no www= argument: no web root was handed over";
		return -1;
	}
	if (s[0] != '0' || s[1] != 'x') {
		*why = "www= must read 0xVA:OFFSET:LENGTH";
		return -1;
	}
	s += 2;
	if (number(&s, 16, &r.va) != 0 || *s++ != ':' || number(&s, 10, &r.offset) != 0 ||
	    *s++ != ':' || number(&s, 10, &r.length) != 0 || *s != '\0') {
		*why = "www= must read 0xVA:OFFSET:LENGTH";
		return -1;
	}
	if (r.va % WEBROOT_PAGE != 0 || r.va < WEBROOT_VA_MIN || r.va >= WEBROOT_VA_END) {
		*why = "www=: the address is not a user page";
		return -1;
	}
	if (r.offset >= WEBROOT_PAGE || r.offset % TAR_BLOCK != 0) {
		*why = "www=: the offset is not a 512-byte block of the first page";
		return -1;
	}
	if (r.length > WEBROOT_MAX || r.length % TAR_BLOCK != 0) {
		*why = "www=: the length is not a whole number of blocks up to 256 MiB";
		return -1;
	}
	/* Both bounded above, so the sum cannot wrap. */
	if (r.offset + r.length > WEBROOT_VA_END - r.va) {
		*why = "www=: the span runs into the bookkeeping window";
		return -1;
	}
	*w = r;
	return 0;
}

uint64_t webroot_pages(const struct webroot *w)
{
	return (w->offset + w->length + WEBROOT_PAGE - 1) / WEBROOT_PAGE;
}

/* v in base 10 or 16 at buf[at..): the new end, or n (no room). */
static size_t put_number(char *buf, size_t n, size_t at, uint64_t v, unsigned base)
{
	char digits[20];
	int k = 0;

	do {
		digits[k++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (k > 0 && at < n)
		buf[at++] = digits[--k];
	return k ? n : at;
}

int webroot_format(char *buf, size_t n, const struct webroot *w)
{
	static const char head[] = WEBROOT_KEY "=0x";
	size_t at = 0;

	for (const char *s = head; *s && at < n; s++)
		buf[at++] = *s;
	at = put_number(buf, n, at, w->va, 16);
	if (at < n)
		buf[at++] = ':';
	at = put_number(buf, n, at, w->offset, 10);
	if (at < n)
		buf[at++] = ':';
	at = put_number(buf, n, at, w->length, 10);
	if (at >= n)
		return -1;   /* no room for the terminator (or for the digits) */
	buf[at] = '\0';
	return (int)at;
}

uint64_t webroot_held(const uint16_t *owners, uint32_t first, uint32_t n, uint16_t tag)
{
	uint64_t held = 0;

	for (uint32_t i = 0; i < n; i++)
		held += owners[first + i] == tag;
	return held;
}
