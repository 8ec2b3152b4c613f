/*
 * printf-style formatting core (see fmt.h for the supported subset).
 *
 * One pass over the format: parse a conversion specification into struct
 * spec (C11 7.21.6.1 gives the grammar: flags, width, precision, length,
 * conversion), fetch the argument at the width the length modifier names,
 * then emit padding, sign/prefix, zero fill and digits in that order.
 * Everything goes through one output callback, so the console, snprintf
 * and user printf share the code.
 */
#include <stdint.h>

#include "fmt.h"

#define F_MINUS 0x01 /* left-justify */
#define F_ZERO  0x02 /* pad with zeros */
#define F_PLUS  0x04 /* always a sign */
#define F_SPACE 0x08 /* space for a missing '+' */
#define F_ALT   0x10 /* '#': 0x / leading 0 */

enum length { LEN_INT, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

struct spec {
	unsigned flags;
	int width;      /* 0: none */
	int prec;       /* -1: none */
	enum length len;
	char conv;
};

struct out {
	fmt_putc_fn put;
	void *ctx;
	int count;
};

static void emit(struct out *o, char c)
{
	o->put(o->ctx, c);
	o->count++;
}

static void emit_n(struct out *o, char c, int n)
{
	while (n-- > 0)
		emit(o, c);
}

/* Parse a decimal number; stops growing near 10^9 so it cannot overflow. */
static int parse_num(const char **p)
{
	int v = 0;

	while (**p >= '0' && **p <= '9') {
		if (v < 100000000)
			v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v;
}

/* Parse "flags width .prec length conv" after the '%'. */
static const char *parse_spec(const char *p, struct spec *s, va_list *ap)
{
	s->flags = 0;
	for (;; p++) {
		if (*p == '-')
			s->flags |= F_MINUS;
		else if (*p == '0')
			s->flags |= F_ZERO;
		else if (*p == '+')
			s->flags |= F_PLUS;
		else if (*p == ' ')
			s->flags |= F_SPACE;
		else if (*p == '#')
			s->flags |= F_ALT;
		else
			break;
	}

	s->width = 0;
	if (*p == '*') {
		int w = va_arg(*ap, int);

		p++;
		if (w < 0) { /* C11 7.21.6.1p5: a negative width is '-' flag + width */
			s->flags |= F_MINUS;
			w = w == -__INT_MAX__ - 1 ? __INT_MAX__ : -w;
		}
		s->width = w;
	} else {
		s->width = parse_num(&p);
	}

	s->prec = -1;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			int pr = va_arg(*ap, int);

			p++;
			s->prec = pr < 0 ? -1 : pr; /* negative: as if omitted */
		} else {
			s->prec = parse_num(&p);
		}
	}

	s->len = LEN_INT;
	switch (*p) {
	case 'h':
		p++;
		s->len = LEN_H;
		if (*p == 'h') {
			p++;
			s->len = LEN_HH;
		}
		break;
	case 'l':
		p++;
		s->len = LEN_L;
		if (*p == 'l') {
			p++;
			s->len = LEN_LL;
		}
		break;
	case 'z': p++; s->len = LEN_Z; break;
	case 't': p++; s->len = LEN_T; break;
	case 'j': p++; s->len = LEN_J; break;
	default: break;
	}
	s->conv = *p;
	return p;
}

static intmax_t fetch_signed(const struct spec *s, va_list *ap)
{
	switch (s->len) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H: return (short)va_arg(*ap, int);
	case LEN_L: return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_Z: return (intmax_t)(intptr_t)va_arg(*ap, size_t); /* "ssize_t" */
	case LEN_T: return va_arg(*ap, ptrdiff_t);
	case LEN_J: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static uintmax_t fetch_unsigned(const struct spec *s, va_list *ap)
{
	switch (s->len) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
	case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
	case LEN_L: return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_Z: return va_arg(*ap, size_t);
	case LEN_T: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	case LEN_J: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned);
	}
}

/*
 * Emit one integer: [pad][sign or 0x][zeros][digits][pad]. `sign` is '-',
 * '+', ' ' or 0; `base` 8, 10 or 16; `upper` selects A-F.
 */
static void emit_int(struct out *o, const struct spec *s, uintmax_t v,
		     char sign, unsigned base, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24]; /* 22 octal digits hold 2^64-1 */
	int n = 0;
	int is_zero = v == 0;
	const char *prefix = "";

	while (v != 0) {
		buf[n++] = digits[v % base];
		v /= base;
	}
	/* Precision 0 and value 0 print no digits (C11 7.21.6.1p8). */
	if (n == 0 && s->prec != 0)
		buf[n++] = '0';

	int zeros = s->prec > n ? s->prec - n : 0;

	if (s->flags & F_ALT) {
		if (base == 8 && zeros == 0 && (n == 0 || buf[n - 1] != '0'))
			zeros = 1; /* '#o': first digit is a zero */
		else if (base == 16 && !is_zero)
			prefix = upper ? "0X" : "0x";
	}
	if (s->conv == 'p')
		prefix = "0x";

	int plen = (sign != 0) + (prefix[0] ? 2 : 0);
	int body = plen + zeros + n;
	int pad = s->width > body ? s->width - body : 0;

	/* '0' is ignored with '-' or with a precision (C11 7.21.6.1p6). */
	int zero_pad = (s->flags & F_ZERO) && !(s->flags & F_MINUS) && s->prec < 0;

	if (zero_pad) {
		zeros += pad;
		pad = 0;
	}
	if (!(s->flags & F_MINUS))
		emit_n(o, ' ', pad);
	if (sign)
		emit(o, sign);
	for (const char *p = prefix; *p; p++)
		emit(o, *p);
	emit_n(o, '0', zeros);
	while (n > 0)
		emit(o, buf[--n]);
	if (s->flags & F_MINUS)
		emit_n(o, ' ', pad);
}

static void emit_str(struct out *o, const struct spec *s, const char *str)
{
	int n = 0;

	if (str == NULL)
		str = "(null)";
	/* Never read past the precision: the string need not be terminated. */
	while ((s->prec < 0 || n < s->prec) && str[n] != '\0')
		n++;

	int pad = s->width > n ? s->width - n : 0;

	if (!(s->flags & F_MINUS))
		emit_n(o, ' ', pad);
	for (int i = 0; i < n; i++)
		emit(o, str[i]);
	if (s->flags & F_MINUS)
		emit_n(o, ' ', pad);
}

static void emit_char(struct out *o, const struct spec *s, char c)
{
	int pad = s->width > 1 ? s->width - 1 : 0;

	if (!(s->flags & F_MINUS))
		emit_n(o, ' ', pad);
	emit(o, c);
	if (s->flags & F_MINUS)
		emit_n(o, ' ', pad);
}

/* One conversion; `start` is its '%' (copied verbatim if unknown). */
static void convert(struct out *o, const struct spec *s, const char *start,
		    const char *end, va_list *ap)
{
	switch (s->conv) {
	case 'd':
	case 'i': {
		intmax_t v = fetch_signed(s, ap);
		uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
		char sign = v < 0 ? '-' : (s->flags & F_PLUS) ? '+' :
			    (s->flags & F_SPACE) ? ' ' : 0;

		emit_int(o, s, mag, sign, 10, 0);
		break;
	}
	case 'u':
		emit_int(o, s, fetch_unsigned(s, ap), 0, 10, 0);
		break;
	case 'x':
	case 'X':
		emit_int(o, s, fetch_unsigned(s, ap), 0, 16, s->conv == 'X');
		break;
	case 'o':
		emit_int(o, s, fetch_unsigned(s, ap), 0, 8, 0);
		break;
	case 'p':
		emit_int(o, s, (uintptr_t)va_arg(*ap, void *), 0, 16, 0);
		break;
	case 's':
		emit_str(o, s, va_arg(*ap, const char *));
		break;
	case 'c':
		emit_char(o, s, (char)va_arg(*ap, int));
		break;
	case '%':
		emit(o, '%');
		break;
	default:
		for (const char *p = start; p < end; p++)
			emit(o, *p);
		break;
	}
}

int fmt_vformat(fmt_putc_fn put, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { put, ctx, 0 };
	struct spec s;
	va_list args;

	/* va_copy gives a va_list object whose address helpers may take. */
	va_copy(args, ap);
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			emit(&o, *p);
			continue;
		}
		const char *start = p;

		p = parse_spec(p + 1, &s, &args);
		if (*p == '\0') { /* a lone trailing '%...': print it as is */
			for (const char *q = start; q < p; q++)
				emit(&o, *q);
			break;
		}
		convert(&o, &s, start, p + 1, &args);
	}
	va_end(args);
	return o.count;
}

struct sbuf {
	char *buf;
	size_t size;
	size_t pos;
};

static void sbuf_put(void *ctx, char c)
{
	struct sbuf *b = ctx;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf b = { buf, size, 0 };
	int n = fmt_vformat(sbuf_put, &b, fmt, ap);

	if (size > 0)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
