/* Host tests for argument lookup (libos/args.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libos/args.h>

static void lookup(void **state)
{
	(void)state;
	char *argv[] = { "test=argv0", "test=boot", "fault=null", "quiet",
			 "testing=x", "test=late", NULL };
	int argc = 6;

	assert_string_equal(arg_value(argc, argv, "test"), "late");
	assert_string_equal(arg_value(argc, argv, "fault"), "null");
	assert_string_equal(arg_value(argc, argv, "quiet"), "");
	assert_string_equal(arg_value(argc, argv, "testing"), "x");
	assert_null(arg_value(argc, argv, "tes"));
	assert_null(arg_value(argc, argv, "missing"));
	/* argv[0] is the program, never an option. */
	assert_null(arg_value(1, argv, "test"));
	assert_null(arg_value(0, argv, "test"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
