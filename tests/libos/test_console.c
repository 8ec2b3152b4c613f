/*
 * Host tests for user printf (libos/console.c): formatting goes through a
 * 256-byte buffer into the cputs call; output longer than the buffer must
 * arrive complete and in order, in as few calls as the buffer allows. The
 * system call is replaced by a recorder, and the functions under test are
 * renamed libos_* in this build (libos/libos.mk) to stay clear of libc's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

int libos_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int libos_puts(const char *s);
long sys_cputs(const char *buf, unsigned long len);

static char out[4096];
static size_t out_len;
static int calls;
static long fail_with;

long sys_cputs(const char *buf, unsigned long len)
{
	if (fail_with)
		return fail_with;
	assert_true(out_len + len <= sizeof(out));
	memcpy(out + out_len, buf, len);
	out_len += len;
	calls++;
	return (long)len;
}

static int setup(void **state)
{
	(void)state;
	out_len = 0;
	calls = 0;
	fail_with = 0;
	return 0;
}

static void short_line_one_call(void **state)
{
	(void)state;
	assert_int_equal(libos_printf("init: %s %d\n", "hello", 42), 15);
	assert_int_equal(out_len, 15);
	assert_memory_equal(out, "init: hello 42\n", 15);
	assert_int_equal(calls, 1);
}

static void long_output_split_in_order(void **state)
{
	(void)state;
	char big[1001];
	for (int i = 0; i < 1000; i++)
		big[i] = (char)('a' + i % 26);
	big[1000] = '\0';
	assert_int_equal(libos_printf("<%s>", big), 1002);
	assert_int_equal(out_len, 1002);
	assert_int_equal(out[0], '<');
	assert_memory_equal(out + 1, big, 1000);
	assert_int_equal(out[1001], '>');
	assert_int_equal(calls, 4);  /* 256 + 256 + 256 + 234 */
}

static void empty_output_no_call(void **state)
{
	(void)state;
	assert_int_equal(libos_printf("%s", ""), 0);
	assert_int_equal(calls, 0);
}

static void puts_adds_newline_and_reports_errors(void **state)
{
	(void)state;
	assert_int_equal(libos_puts("abc"), 4);
	assert_memory_equal(out, "abc\n", 4);
	fail_with = -14;
	assert_int_equal(libos_puts("abc"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(short_line_one_call, setup),
		cmocka_unit_test_setup(long_output_split_in_order, setup),
		cmocka_unit_test_setup(empty_output_no_call, setup),
		cmocka_unit_test_setup(puts_adds_newline_and_reports_errors, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
