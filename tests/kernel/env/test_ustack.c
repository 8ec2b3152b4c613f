/* Host tests for the initial user stack layout (kernel/env/ustack.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <env/ustack.h>

#define TOP 0x7fffffff0000ULL
#define SIZE 8192

static uint8_t img[SIZE];

static uint64_t word(uint64_t va)
{
	uint64_t v;
	assert_true(va >= TOP - SIZE && va + 8 <= TOP);
	memcpy(&v, img + (va - (TOP - SIZE)), 8);
	return v;
}

static const char *str(uint64_t va)
{
	assert_true(va >= TOP - SIZE && va < TOP);
	return (const char *)img + (va - (TOP - SIZE));
}

static void layout(void **state)
{
	(void)state;
	const char *argv[] = { "init", "test=boot", "x" };
	const char *envp[] = { "HOME=/" };
	const uint64_t auxv[] = { 6, 4096, 9, 0x401000 };
	struct ustack_args a = { argv, 3, envp, 1, auxv, 2 };
	uint64_t sp;

	assert_int_equal(ustack_build(img, SIZE, TOP, &a, &sp), 0);
	assert_int_equal(sp % 16, 0);
	assert_int_equal(word(sp), 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(str(word(sp + 8 + 8 * i)), argv[i]);
	assert_int_equal(word(sp + 32), 0);
	assert_string_equal(str(word(sp + 40)), "HOME=/");
	assert_int_equal(word(sp + 48), 0);
	assert_int_equal(word(sp + 56), 6);
	assert_int_equal(word(sp + 64), 4096);
	assert_int_equal(word(sp + 72), 9);
	assert_int_equal(word(sp + 80), 0x401000);
	assert_int_equal(word(sp + 88), 0);  /* AT_NULL */
	/* Strings lie above the vectors, inside the stack. */
	assert_true(word(sp + 8) > sp + 88);
}

static void no_args(void **state)
{
	(void)state;
	struct ustack_args a = { NULL, 0, NULL, 0, NULL, 0 };
	uint64_t sp;

	assert_int_equal(ustack_build(img, SIZE, TOP, &a, &sp), 0);
	assert_int_equal(sp % 16, 0);
	assert_int_equal(word(sp), 0);
	assert_int_equal(word(sp + 8), 0);
	assert_int_equal(word(sp + 16), 0);
}

static void too_big(void **state)
{
	(void)state;
	static char big[SIZE];
	memset(big, 'a', sizeof(big) - 1);
	const char *argv[] = { big };
	struct ustack_args a = { argv, 1, NULL, 0, NULL, 0 };
	uint64_t sp = 0;

	assert_int_equal(ustack_build(img, SIZE, TOP, &a, &sp), -1);
	/* Strings fit but the vector does not. */
	big[SIZE - 40] = '\0';
	assert_int_equal(ustack_build(img, SIZE, TOP, &a, &sp), -1);
	big[SIZE - 200] = '\0';
	assert_int_equal(ustack_build(img, SIZE, TOP, &a, &sp), 0);
	assert_true(sp >= TOP - SIZE);
	assert_int_equal(ustack_build(img, SIZE, TOP + 8, &a, &sp), -1); /* misaligned top */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout),
		cmocka_unit_test(no_args),
		cmocka_unit_test(too_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
