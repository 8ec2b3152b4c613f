/* Host tests for user-range arithmetic (kernel/mm/urange.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <mm/urange.h>

#define TOP EXO_USER_TOP

static void inside(void **state)
{
	(void)state;
	assert_int_equal(urange_check(0x400000, 100, TOP), 0);
	assert_int_equal(urange_check(0, 1, TOP), 0);  /* NULL is a page-table question */
	assert_int_equal(urange_check(TOP - 1, 1, TOP), 0);
	assert_int_equal(urange_check(0, TOP, TOP), 0);
}

static void empty_ranges(void **state)
{
	(void)state;
	assert_int_equal(urange_check(0, 0, TOP), 0);
	assert_int_equal(urange_check(0xffffffff80000000ULL, 0, TOP), 0);
}

static void kernel_and_noncanonical(void **state)
{
	(void)state;
	assert_int_equal(urange_check(TOP, 1, TOP), -EXO_EFAULT);
	assert_int_equal(urange_check(0x8000000000000000ULL, 1, TOP), -EXO_EFAULT);
	assert_int_equal(urange_check(EXO_DIRECT_MAP, 8, TOP), -EXO_EFAULT);
	assert_int_equal(urange_check(EXO_KERNEL_BASE, 8, TOP), -EXO_EFAULT);
}

static void crossing_and_wrapping(void **state)
{
	(void)state;
	assert_int_equal(urange_check(TOP - 0x1000, 0x2000, TOP), -EXO_EFAULT);
	assert_int_equal(urange_check(TOP - 1, 2, TOP), -EXO_EFAULT);
	assert_int_equal(urange_check(0x1000, UINT64_MAX, TOP), -EXO_EFAULT);
	assert_int_equal(urange_check(0xfffffffffffff000ULL, 0x2000, TOP), -EXO_EFAULT);
	assert_int_equal(urange_check(1, TOP, TOP), -EXO_EFAULT);
}

static void pages(void **state)
{
	(void)state;
	assert_int_equal(urange_pages(0x1000, 1), 1);
	assert_int_equal(urange_pages(0x1000, 0x1000), 1);
	assert_int_equal(urange_pages(0x1fff, 2), 2);
	assert_int_equal(urange_pages(0x1800, 0x2000), 3);
	assert_int_equal(urange_pages(0, TOP), TOP >> 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inside),
		cmocka_unit_test(empty_ranges),
		cmocka_unit_test(kernel_and_noncanonical),
		cmocka_unit_test(crossing_and_wrapping),
		cmocka_unit_test(pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
