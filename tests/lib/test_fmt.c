/*
 * lib/fmt against the host C library's snprintf: every combination of
 * flags, width and precision for each integer conversion and length
 * modifier over boundary values, then strings, characters, pointers, '*'
 * arguments, and the C99 truncation contract of fmt_vsnprintf.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fmt.h"

/* Format with both implementations and require identical output and count. */
static void same(const char *fmt, ...)
{
	char want[512], got[512];
	va_list ap, aq;

	va_start(ap, fmt);
	va_copy(aq, ap);
	int nw = vsnprintf(want, sizeof want, fmt, ap);
	int ng = fmt_vsnprintf(got, sizeof got, fmt, aq);
	va_end(aq);
	va_end(ap);
	if (strcmp(want, got) != 0 || nw != ng)
		fail_msg("format \"%s\": libc \"%s\" (%d), fmt \"%s\" (%d)",
			 fmt, want, nw, got, ng);
}

static const char *flag_sets[] = {
	"", "-", "0", "+", " ", "#", "-0", "-+", "- ", "-#", "0+", "0 ", "0#",
	"+ ", "+#", " #", "-0+", "-+#", "0+#", "0 #", "-0+ #",
};
static const char *widths[] = { "", "1", "3", "8", "25" };
static const char *precs[] = { "", ".", ".0", ".1", ".4", ".22" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* For every flags/width/precision, call check(fmt) with "%<spec><suffix>". */
static void each_spec(const char *suffix, void (*check)(const char *fmt, const void *arg),
		      const void *arg)
{
	char fmt[64];

	for (size_t f = 0; f < N(flag_sets); f++)
		for (size_t w = 0; w < N(widths); w++)
			for (size_t p = 0; p < N(precs); p++) {
				snprintf(fmt, sizeof fmt, "[%%%s%s%s%s]", flag_sets[f],
					 widths[w], precs[p], suffix);
				check(fmt, arg);
			}
}

/* Values and the argument type each length modifier expects. */
static const long long ivals[] = {
	0, 1, -1, 7, -8, 9, 10, 42, -42, 127, -128, 128, 255, 256, 4095, 32767,
	-32768, 65535, 65536, 2147483647LL, -2147483647LL - 1, 4294967295LL,
	4294967296LL, 0x123456789abcdefLL, INT64_MAX, INT64_MIN,
};

static const char *cur_len;

static void check_int(const char *fmt, const void *arg)
{
	long long v = *(const long long *)arg;

	if (strcmp(cur_len, "hh") == 0)
		same(fmt, (int)(signed char)v);
	else if (strcmp(cur_len, "h") == 0)
		same(fmt, (int)(short)v);
	else if (strcmp(cur_len, "") == 0)
		same(fmt, (int)v);
	else if (strcmp(cur_len, "l") == 0)
		same(fmt, (long)v);
	else if (strcmp(cur_len, "ll") == 0)
		same(fmt, v);
	else if (strcmp(cur_len, "z") == 0)
		same(fmt, (size_t)v);
	else if (strcmp(cur_len, "t") == 0)
		same(fmt, (ptrdiff_t)v);
	else
		same(fmt, (intmax_t)v);
}

static void test_integers(void **state)
{
	(void)state;
	static const char *lens[] = { "hh", "h", "", "l", "ll", "z", "t", "j" };
	static const char *convs = "diuxXo";
	char suffix[8];

	for (size_t l = 0; l < N(lens); l++) {
		cur_len = lens[l];
		for (const char *c = convs; *c; c++) {
			snprintf(suffix, sizeof suffix, "%s%c", lens[l], *c);
			for (size_t v = 0; v < N(ivals); v++)
				each_spec(suffix, check_int, &ivals[v]);
		}
	}
}

static void check_str(const char *fmt, const void *arg)
{
	same(fmt, (const char *)arg);
}

static void test_strings(void **state)
{
	(void)state;
	static const char *strs[] = { "", "a", "hello", "a longer string of text" };
	static const char *sflags[] = { "", "-" };
	char fmt[32];

	for (size_t s = 0; s < N(strs); s++)
		each_spec("s", check_str, strs[s]);
	/* NULL prints "(null)" (glibc agrees when no precision cuts it). */
	for (size_t f = 0; f < N(sflags); f++)
		for (size_t w = 0; w < N(widths); w++) {
			snprintf(fmt, sizeof fmt, "<%%%s%ss>", sflags[f], widths[w]);
			same(fmt, (const char *)NULL);
		}
	/* The precision bounds the read: the array need not be terminated. */
	/* (ASan's vsnprintf interceptor would over-read here, so no libc.) */
	char raw[4] = { 'a', 'b', 'c', 'd' }, got[16];
	assert_int_equal(fmt_snprintf(got, sizeof got, "%.4s|%.2s|%.0s", raw, raw, raw), 8);
	assert_string_equal(got, "abcd|ab|");
}

static void test_chars_and_percent(void **state)
{
	(void)state;
	same("%c%c%c", 'a', 0x7f, '~');
	same("[%5c][%-5c][%1c]", 'x', 'y', 'z');
	same("100%% %d%%", 5);
	same("%s and %s", "this", "that");
	char got[8];
	assert_int_equal(fmt_snprintf(got, sizeof got, "%c", 0), 1);
	assert_int_equal(got[0], '\0');
}

static void test_pointers(void **state)
{
	(void)state;
	int x;
	void *ps[] = { &x, (void *)1, (void *)0xffffffff80001000ULL, (void *)UINTPTR_MAX };

	for (size_t i = 0; i < N(ps); i++) {
		same("%p", ps[i]);
		same("[%20p]", ps[i]);
		same("[%-20p]", ps[i]);
	}
	/* glibc prints "(nil)"; ours is documented as 0x0. */
	char got[16];
	fmt_snprintf(got, sizeof got, "%p", NULL);
	assert_string_equal(got, "0x0");
}

static void test_star(void **state)
{
	(void)state;
	int ws[] = { -12, -1, 0, 1, 6, 30 };
	int ps[] = { -3, -1, 0, 2, 9 };

	for (size_t w = 0; w < N(ws); w++)
		for (size_t p = 0; p < N(ps); p++) {
			same("[%*.*d]", ws[w], ps[p], -1234);
			same("[%0*.*x]", ws[w], ps[p], 0xbeefu);
			same("[%*.*s]", ws[w], ps[p], "string");
			same("[%-*d][%*c]", ws[w], 77, ws[w], 'q');
		}
}

static void test_truncation(void **state)
{
	(void)state;
	char buf[8];

	memset(buf, 'X', sizeof buf);
	assert_int_equal(fmt_snprintf(buf, 5, "%s", "abcdefgh"), 8);
	assert_string_equal(buf, "abcd");
	assert_int_equal(buf[5], 'X'); /* nothing written past size */

	memset(buf, 'X', sizeof buf);
	assert_int_equal(fmt_snprintf(buf, 1, "%d", 12345), 5);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'X');

	assert_int_equal(fmt_snprintf(NULL, 0, "%08x|%s", 1u, "abc"), 12);

	assert_int_equal(fmt_snprintf(buf, sizeof buf, "%s", "1234567"), 7);
	assert_string_equal(buf, "1234567");
	assert_int_equal(fmt_snprintf(buf, sizeof buf, "%s", "12345678"), 8);
	assert_string_equal(buf, "1234567");
}

struct sink {
	char text[64];
	int n;
};

static void sink_put(void *ctx, char c)
{
	struct sink *s = ctx;

	if (s->n < (int)sizeof s->text - 1)
		s->text[s->n++] = c;
}

static int sink_format(struct sink *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(sink_put, s, fmt, ap);
	va_end(ap);
	return n;
}

static void test_vformat_and_oddities(void **state)
{
	(void)state;
	struct sink s = { .n = 0 };

	assert_int_equal(sink_format(&s, "x=%d, y=%s", -3, "ok"), 10);
	assert_string_equal(s.text, "x=-3, y=ok");

	/* An unknown conversion is copied verbatim; a trailing '%' too. */
	char buf[32];
	const char *odd = "a%-5qb";
	assert_int_equal(fmt_snprintf(buf, sizeof buf, odd), 6);
	assert_string_equal(buf, "a%-5qb");
	const char *trail = "tail %";
	assert_int_equal(fmt_snprintf(buf, sizeof buf, trail), 6);
	assert_string_equal(buf, "tail %");
	/* A width wider than the buffer still counts every character. */
	assert_int_equal(fmt_snprintf(buf, sizeof buf, "%300d", 1), 300);
	assert_int_equal(strlen(buf), sizeof buf - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_chars_and_percent),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_vformat_and_oddities),
	};

	return cmocka_run_group_tests_name("lib/fmt", tests, NULL, NULL);
}
