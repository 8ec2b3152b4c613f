/*
 * printf for user programs: lib/fmt into a small buffer, flushed through
 * the cputs system call when full and at the end of each call, so a line
 * usually reaches the console in one piece.
 */
#include <string.h>

#include <fmt.h>
#include <libos/console.h>
#include <libos/syscall.h>

struct outbuf {
	char buf[256];
	size_t len;
};

static void flush(struct outbuf *o)
{
	if (o->len > 0)
		sys_cputs(o->buf, o->len);
	o->len = 0;
}

static void put(void *ctx, char c)
{
	struct outbuf *o = ctx;

	if (o->len == sizeof(o->buf))
		flush(o);
	o->buf[o->len++] = c;
}

int vprintf(const char *fmt, va_list ap)
{
	struct outbuf o = { .len = 0 };
	int n = fmt_vformat(put, &o, fmt, ap);

	flush(&o);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	size_t n = strlen(s);

	if (sys_cputs(s, n) < 0 || sys_cputs("\n", 1) < 0)
		return -1;
	return (int)n + 1;
}
