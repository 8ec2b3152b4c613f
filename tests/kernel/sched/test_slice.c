/* Host tests for the slice vector (kernel/sched/slice.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sched/slice.h>

static uint16_t storage[EXO_NSLICE];
static struct slice_vec sv;

static int setup(void **state)
{
	(void)state;
	slice_init(&sv, storage);
	return 0;
}

static int all_runnable(uint16_t owner, void *ctx)
{
	(void)owner, (void)ctx;
	return 1;
}

/* ctx: a bitmask of runnable owners (owner < 64). */
static int mask_runnable(uint16_t owner, void *ctx)
{
	return (*(uint64_t *)ctx >> owner) & 1;
}

static void bind_release(void **state)
{
	(void)state;
	assert_int_equal(slice_bind(&sv, 3, 7), SLICE_OK);
	assert_int_equal(slice_owner(&sv, 3), 7);
	assert_int_equal(slice_bind(&sv, 3, 8), SLICE_EBUSY);
	assert_int_equal(slice_bind(&sv, 3, 7), SLICE_EBUSY);
	assert_int_equal(slice_release(&sv, 3, 8), SLICE_EBUSY);   /* not 8's */
	assert_int_equal(slice_release(&sv, 3, 7), SLICE_OK);
	assert_int_equal(slice_release(&sv, 3, 7), SLICE_EBUSY);
	assert_int_equal(slice_owner(&sv, 3), 0);
}

static void ranges(void **state)
{
	(void)state;
	assert_int_equal(slice_bind(&sv, -1, 1), SLICE_ERANGE);
	assert_int_equal(slice_bind(&sv, EXO_NSLICE, 1), SLICE_ERANGE);
	assert_int_equal(slice_bind(&sv, INT64_MAX, 1), SLICE_ERANGE);
	assert_int_equal(slice_bind(&sv, 0, 0), SLICE_ERANGE);   /* 0 means free */
	assert_int_equal(slice_release(&sv, EXO_NSLICE, 1), SLICE_ERANGE);
	assert_int_equal(slice_owner(&sv, -5), 0);
	assert_int_equal(slice_owner(&sv, EXO_NSLICE), 0);
}

static void next_in_order(void **state)
{
	(void)state;
	assert_int_equal(slice_next(&sv, -1, all_runnable, NULL), -1);   /* all free */
	slice_bind(&sv, 5, 1);
	slice_bind(&sv, 9, 2);
	slice_bind(&sv, 60, 3);
	assert_int_equal(slice_next(&sv, -1, all_runnable, NULL), 5);
	assert_int_equal(slice_next(&sv, 5, all_runnable, NULL), 9);
	assert_int_equal(slice_next(&sv, 9, all_runnable, NULL), 60);
	assert_int_equal(slice_next(&sv, 60, all_runnable, NULL), 5);   /* wraps */
	assert_int_equal(slice_next(&sv, 99, all_runnable, NULL), 5);   /* bad from */
}

static void next_skips_blocked(void **state)
{
	(void)state;
	uint64_t mask = 1u << 2;
	slice_bind(&sv, 5, 1);
	slice_bind(&sv, 9, 2);
	assert_int_equal(slice_next(&sv, 9, mask_runnable, &mask), 9);  /* itself, last */
	assert_int_equal(slice_next(&sv, 5, mask_runnable, &mask), 9);
	mask = 0;
	assert_int_equal(slice_next(&sv, 5, mask_runnable, &mask), -1);
}

/* Walking the vector gives each owner its share of slices. */
static void shares(void **state)
{
	(void)state;
	unsigned seen[4] = { 0 };
	for (int i = 0; i < 6; i++)
		slice_bind(&sv, i * 10, 1);
	for (int i = 0; i < 2; i++)
		slice_bind(&sv, i * 10 + 5, 2);
	slice_bind(&sv, 63, 3);
	assert_int_equal(slice_count(&sv, 1), 6);
	assert_int_equal(slice_count(&sv, 2), 2);
	int cur = -1;
	for (int round = 0; round < 9 * 100; round++) {
		cur = slice_next(&sv, cur, all_runnable, NULL);
		seen[slice_owner(&sv, cur)]++;
	}
	assert_int_equal(seen[1], 600);
	assert_int_equal(seen[2], 200);
	assert_int_equal(seen[3], 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(bind_release, setup),
		cmocka_unit_test_setup(ranges, setup),
		cmocka_unit_test_setup(next_in_order, setup),
		cmocka_unit_test_setup(next_skips_blocked, setup),
		cmocka_unit_test_setup(shares, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
