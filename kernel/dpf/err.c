/*
 * Error reports. Every failing operation fills a struct dpf_error with a
 * code, the path and atom it concerns and a one-line message. The library
 * has no libc, so the message is formatted by the small routine below,
 * which knows just the conversions the library uses: %u %d %x %s.
 */
#include "dpf_int.h"

struct sink {
	char *buf;
	size_t cap;
	size_t len;
};

static void put(struct sink *s, char c)
{
	if (s->len + 1 < s->cap)
		s->buf[s->len++] = c;
}

static void put_str(struct sink *s, const char *p)
{
	while (*p)
		put(s, *p++);
}

static void put_uint(struct sink *s, uint32_t v, unsigned radix)
{
	char tmp[12];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % radix];
		v /= radix;
	} while (v);
	while (n)
		put(s, tmp[--n]);
}

static void vformat(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(s, *fmt);
			continue;
		}
		switch (*++fmt) {
		case 'u':
			put_uint(s, va_arg(ap, uint32_t), 10);
			break;
		case 'x':
			put_uint(s, va_arg(ap, uint32_t), 16);
			break;
		case 'd': {
			int v = va_arg(ap, int);

			if (v < 0)
				put(s, '-');
			put_uint(s, v < 0 ? 0u - (uint32_t)v : (uint32_t)v, 10);
			break;
		}
		case 's':
			put_str(s, va_arg(ap, const char *));
			break;
		case '\0':
			return;
		default:
			put(s, *fmt);
		}
	}
}

int dpf_fail(struct dpf_error *err, int code, int path, int atom,
	     const char *fmt, ...)
{
	struct sink s;
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->path = path;
	err->atom = atom;
	err->other_id = 0;
	s.buf = err->msg;
	s.cap = sizeof(err->msg);
	s.len = 0;
	if (path >= 0) {
		put_str(&s, "path ");
		put_uint(&s, (uint32_t)path, 10);
		put_str(&s, atom >= 0 ? ", " : ": ");
	}
	if (atom >= 0) {
		put_str(&s, "atom ");
		put_uint(&s, (uint32_t)atom, 10);
		put_str(&s, ": ");
	}
	va_start(ap, fmt);
	vformat(&s, fmt, ap);
	va_end(ap);
	s.buf[s.len] = '\0';
	return code;
}

void dpf_ok(struct dpf_error *err)
{
	if (!err)
		return;
	dpf_memset(err, 0, sizeof(*err));
	err->path = -1;
	err->atom = -1;
}

const char *dpf_strerror(int code)
{
	switch (code) {
	case DPF_OK:
		return "success";
	case DPF_E_FORMAT:
		return "malformed bytecode";
	case DPF_E_LIMIT:
		return "limit exceeded";
	case DPF_E_OVERLAP:
		return "overlaps a filter of another owner";
	case DPF_E_EXISTS:
		return "filter id already installed";
	case DPF_E_NOENT:
		return "no such filter id";
	case DPF_E_NOMEM:
		return "out of memory";
	case DPF_E_JIT:
		return "JIT compilation failed";
	case DPF_E_INVAL:
		return "invalid argument";
	}
	return "unknown error";
}
