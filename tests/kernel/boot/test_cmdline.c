/* Host tests for command-line parsing (kernel/boot/cmdline.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <boot/cmdline.h>

static struct cmdline c;

static void words(void **state)
{
	(void)state;
	assert_int_equal(cmdline_parse(&c, "  test=boot\tverbose  x=1 "), 0);
	assert_int_equal(c.nwords, 3);
	assert_string_equal(c.words[0], "test=boot");
	assert_string_equal(c.words[1], "verbose");
	assert_string_equal(c.words[2], "x=1");
}

static void empty(void **state)
{
	(void)state;
	assert_int_equal(cmdline_parse(&c, ""), 0);
	assert_int_equal(c.nwords, 0);
	assert_int_equal(cmdline_parse(&c, " \t \n"), 0);
	assert_int_equal(c.nwords, 0);
	assert_null(cmdline_get(&c, "test"));
}

static void options(void **state)
{
	(void)state;
	assert_int_equal(cmdline_parse(&c, "test=a quiet testing=no test=b empty="), 0);
	assert_string_equal(cmdline_get(&c, "test"), "b");     /* last one wins */
	assert_string_equal(cmdline_get(&c, "quiet"), "");     /* bare word */
	assert_string_equal(cmdline_get(&c, "testing"), "no"); /* no prefix confusion */
	assert_string_equal(cmdline_get(&c, "empty"), "");
	assert_null(cmdline_get(&c, "tes"));
	assert_null(cmdline_get(&c, "missing"));
}

static void too_long_or_too_many(void **state)
{
	(void)state;
	char s[EXO_CMDLINE_MAX + 1];
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	assert_int_equal(cmdline_parse(&c, s), -1);
	assert_int_equal(c.nwords, 0);

	char many[EXO_CMDLINE_MAX];
	size_t n = 0;
	for (int i = 0; i <= CMDLINE_MAX_WORDS; i++) {
		many[n++] = 'w';
		many[n++] = ' ';
	}
	many[n] = '\0';
	assert_int_equal(cmdline_parse(&c, many), -1);
	assert_int_equal(c.nwords, 0);
	many[2 * CMDLINE_MAX_WORDS] = '\0';  /* exactly the limit */
	assert_int_equal(cmdline_parse(&c, many), 0);
	assert_int_equal(c.nwords, CMDLINE_MAX_WORDS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words),
		cmocka_unit_test(empty),
		cmocka_unit_test(options),
		cmocka_unit_test(too_long_or_too_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
