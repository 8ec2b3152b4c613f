/*
 * lib/string.c, built for the host under lib_* names and compared with the
 * C library on edge cases: zero lengths, overlapping memmove both ways,
 * bytes above 0x7f (comparisons are on unsigned char), embedded NULs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

/* Rename the implementations so that they sit beside libc's. */
#define LIB_STRING_TEST
#define memcpy lib_memcpy
#define memmove lib_memmove
#define memset lib_memset
#define memcmp lib_memcmp
#define strlen lib_strlen
#define strnlen lib_strnlen
#define strcmp lib_strcmp
#define strncmp lib_strncmp
#define strchr lib_strchr
#include "../../lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_memcpy_memset(void **state)
{
	(void)state;
	uint8_t a[300], b[300];

	for (size_t n = 0; n < 260; n += 7) {
		memset(a, 0xaa, sizeof a);
		assert_ptr_equal(lib_memset(a + 3, 0x5c, n), a + 3);
		for (size_t i = 0; i < sizeof a; i++)
			assert_int_equal(a[i], (i >= 3 && i < 3 + n) ? 0x5c : 0xaa);
		for (size_t i = 0; i < sizeof b; i++)
			b[i] = (uint8_t)(i * 7);
		memset(a, 0, sizeof a);
		assert_ptr_equal(lib_memcpy(a + 1, b + 2, n), a + 1);
		assert_memory_equal(a + 1, b + 2, n);
		assert_int_equal(a[0], 0);
		assert_int_equal(a[1 + n], 0);
	}
	/* memset uses only the low byte of c. */
	lib_memset(a, 0x1ff, 4);
	assert_int_equal(a[0], 0xff);
}

static void test_memmove_overlap(void **state)
{
	(void)state;
	uint8_t ref[64], buf[64];

	for (int shift = -9; shift <= 9; shift++) {
		for (size_t n = 0; n <= 40; n++) {
			for (size_t i = 0; i < sizeof buf; i++)
				ref[i] = buf[i] = (uint8_t)i;
			memmove(ref + 12 + shift, ref + 12, n);
			assert_ptr_equal(lib_memmove(buf + 12 + shift, buf + 12, n),
					 buf + 12 + shift);
			assert_memory_equal(buf, ref, sizeof buf);
		}
	}
}

static void test_compare(void **state)
{
	(void)state;
	static const char *s[] = { "", "a", "ab", "abc", "abd", "b", "\x80", "\x7f",
				   "a\xff", "ab\0c" };
	size_t k = sizeof s / sizeof s[0];

	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < k; j++) {
			assert_int_equal(sign(lib_strcmp(s[i], s[j])), sign(strcmp(s[i], s[j])));
			for (size_t n = 0; n < 5; n++) {
				assert_int_equal(sign(lib_strncmp(s[i], s[j], n)),
						 sign(strncmp(s[i], s[j], n)));
				size_t m = n < strlen(s[i]) + 1 ? n : strlen(s[i]) + 1;
				if (m > strlen(s[j]) + 1)
					m = strlen(s[j]) + 1;
				assert_int_equal(sign(lib_memcmp(s[i], s[j], m)),
						 sign(memcmp(s[i], s[j], m)));
			}
		}
	}
	assert_int_equal(lib_memcmp("x", "y", 0), 0);
}

static void test_length_and_search(void **state)
{
	(void)state;
	const char *t = "hello, world";

	assert_int_equal(lib_strlen(""), 0);
	assert_int_equal(lib_strlen(t), 12);
	assert_int_equal(lib_strnlen(t, 5), 5);
	assert_int_equal(lib_strnlen(t, 100), 12);
	assert_int_equal(lib_strnlen("abc", 0), 0);
	/* strnlen must not read past max: "abc" without its NUL. */
	char raw[3] = { 'a', 'b', 'c' };
	assert_int_equal(lib_strnlen(raw, 3), 3);

	assert_ptr_equal(lib_strchr(t, 'o'), t + 4);
	assert_ptr_equal(lib_strchr(t, 'z'), NULL);
	assert_ptr_equal(lib_strchr(t, '\0'), t + 12); /* the terminator is found */
	/* c is converted to char: 0xe9 finds the byte 0xe9. */
	const char *h = "a\xe9";
	assert_ptr_equal(lib_strchr(h, 0xe9), h + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy_memset),
		cmocka_unit_test(test_memmove_overlap),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_length_and_search),
	};

	return cmocka_run_group_tests_name("lib/string", tests, NULL, NULL);
}
