/* Host tests for handle tables (kernel/env/handle.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <env/handle.h>

static struct handle_table *t;

static int setup(void **state)
{
	(void)state;
	t = malloc(sizeof(*t));   /* ASan catches any access past the table */
	handle_table_init(t);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(t);
	return 0;
}

static void alloc_get_free(void **state)
{
	(void)state;
	int h = handle_alloc(t, H_PAGE, 0x1234, HF_RO, 0);
	assert_int_equal(h, 0);
	struct handle *e = handle_get(t, h, H_PAGE);
	assert_non_null(e);
	assert_int_equal(e->name, 0x1234);
	assert_int_equal(e->flags, HF_RO);
	assert_null(handle_get(t, h, H_SLICE));      /* wrong type */
	assert_non_null(handle_get(t, h, H_ANY));
	assert_int_equal(handle_find(t, H_PAGE, 0x1234), h);
	assert_int_equal(handle_find(t, H_SLICE, 0x1234), -1);
	assert_int_equal(handle_free(t, h), 0);
	assert_null(handle_get(t, h, H_ANY));
	assert_int_equal(handle_free(t, h), -1);      /* double release */
	assert_int_equal(t->used, 0);
}

static void bad_indices(void **state)
{
	(void)state;
	const int64_t bad[] = { -1, EXO_NHANDLE, EXO_NHANDLE + 1, INT64_MIN, INT64_MAX, 5 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(handle_get(t, bad[i], H_ANY));
		assert_int_equal(handle_free(t, bad[i]), -1);
	}
	assert_int_equal(handle_alloc(t, H_FREE, 1, 0, 0), -1);
	assert_int_equal(handle_alloc(t, H_ANY, 1, 0, 0), -1);
}

static void fill_and_reuse(void **state)
{
	(void)state;
	for (int i = 0; i < EXO_NHANDLE; i++)
		assert_int_equal(handle_alloc(t, H_PAGE, (uint32_t)i, 0, 0), i);
	assert_int_equal(handle_alloc(t, H_PAGE, 9999, 0, 0), -1);   /* full */
	assert_int_equal(handle_count(t, H_PAGE), EXO_NHANDLE);
	assert_int_equal(handle_free(t, 300), 0);
	assert_int_equal(handle_free(t, 7), 0);
	/* The lowest free index is reused first. */
	assert_int_equal(handle_alloc(t, H_SLICE, 1, 0, 0), 7);
	assert_int_equal(handle_alloc(t, H_SLICE, 2, 0, 0), 300);
	assert_int_equal(handle_count(t, H_SLICE), 2);
	assert_int_equal(t->used, EXO_NHANDLE);
}

static void grants_keep_peer(void **state)
{
	(void)state;
	int h = handle_alloc(t, H_PAGE_GRANT, 77, HF_RO | HF_NOEXEC, 5);
	struct handle *e = handle_get(t, h, H_PAGE_GRANT);
	assert_non_null(e);
	assert_int_equal(e->peer, 5);
	assert_int_equal(e->flags, HF_RO | HF_NOEXEC);
}

/* Random alloc/free against a shadow: used count and lookups agree. */
static void random_walk(void **state)
{
	(void)state;
	static uint8_t shadow[EXO_NHANDLE];
	uint64_t x = 0x2545F4914F6CDD1DULL;
	unsigned used = 0;

	for (int i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int64_t h = (int64_t)(x % (EXO_NHANDLE + 10)) - 5;
		if (x & (1ULL << 40)) {
			int k = handle_alloc(t, H_PAGE, (uint32_t)i, 0, 0);
			if (used == EXO_NHANDLE) {
				assert_int_equal(k, -1);
			} else {
				assert_true(k >= 0 && !shadow[k]);
				shadow[k] = 1, used++;
			}
		} else {
			int ok = h >= 0 && h < EXO_NHANDLE && shadow[h];
			assert_int_equal(handle_free(t, h), ok ? 0 : -1);
			if (ok)
				shadow[h] = 0, used--;
		}
		assert_int_equal(t->used, used);
	}
	for (int i = 0; i < EXO_NHANDLE; i++)
		assert_int_equal(handle_get(t, i, H_ANY) != NULL, shadow[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(alloc_get_free, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_indices, setup, teardown),
		cmocka_unit_test_setup_teardown(fill_and_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(grants_keep_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(random_walk, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
