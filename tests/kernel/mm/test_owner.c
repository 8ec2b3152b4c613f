/* Host tests for the page ownership table (kernel/mm/owner.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <mm/owner.h>

#define N 1000

static uint16_t storage[N + 8];
static struct owner_table t;

static int setup(void **state)
{
	(void)state;
	storage[N] = 0x1234;   /* a canary just past the table */
	owner_init(&t, storage, N);
	return 0;
}

static void starts_kernel(void **state)
{
	(void)state;
	for (uint64_t f = 0; f < N; f++)
		assert_int_equal(owner_get(&t, f), EXO_OWNER_KERNEL);
	assert_int_equal(owner_count(&t, EXO_OWNER_KERNEL), N);
	assert_int_equal(storage[N], 0x1234);
}

static void set_and_move(void **state)
{
	(void)state;
	assert_int_equal(owner_set(&t, 10, EXO_OWNER_FREE), OWNER_OK);
	assert_int_equal(owner_move(&t, 10, EXO_OWNER_FREE, 3), OWNER_OK);
	assert_int_equal(owner_get(&t, 10), 3);
	/* Only the current owner can give it away. */
	assert_int_equal(owner_move(&t, 10, EXO_OWNER_FREE, 4), OWNER_EBUSY);
	assert_int_equal(owner_move(&t, 10, 4, EXO_OWNER_FREE), OWNER_EBUSY);
	assert_int_equal(owner_get(&t, 10), 3);
	assert_int_equal(owner_move(&t, 10, 3, 4), OWNER_OK);
	assert_int_equal(owner_count(&t, 4), 1);
	assert_int_equal(owner_count(&t, 3), 0);
}

static void out_of_range(void **state)
{
	(void)state;
	assert_int_equal(owner_set(&t, N, 1), OWNER_ERANGE);
	assert_int_equal(owner_set(&t, UINT64_MAX, 1), OWNER_ERANGE);
	assert_int_equal(owner_move(&t, N, EXO_OWNER_KERNEL, 1), OWNER_ERANGE);
	assert_int_equal(owner_get(&t, N), EXO_OWNER_KERNEL);
	assert_int_equal(owner_get(&t, UINT64_MAX), EXO_OWNER_KERNEL);
	assert_int_equal(storage[N], 0x1234);
}

static void initrd_to_env(void **state)
{
	(void)state;
	for (uint64_t f = 100; f < 110; f++)
		assert_int_equal(owner_move(&t, f, EXO_OWNER_KERNEL, EXO_OWNER_INITRD), OWNER_OK);
	assert_int_equal(owner_count(&t, EXO_OWNER_INITRD), 10);
	assert_int_equal(owner_move(&t, 105, EXO_OWNER_INITRD, 1), OWNER_OK);
	assert_int_equal(owner_move(&t, 105, 1, EXO_OWNER_FREE), OWNER_OK);
	assert_int_equal(owner_count(&t, EXO_OWNER_INITRD), 9);
	assert_int_equal(owner_count(&t, EXO_OWNER_FREE), 1);
}

static void env_tags(void **state)
{
	(void)state;
	assert_false(owner_is_env(EXO_OWNER_FREE, 64));
	assert_true(owner_is_env(1, 64));
	assert_true(owner_is_env(64, 64));
	assert_false(owner_is_env(65, 64));
	assert_false(owner_is_env(EXO_OWNER_KERNEL, 64));
	assert_false(owner_is_env(EXO_OWNER_INITRD, 64));
}

/* Random transitions against a shadow copy: counts always add up. */
static void random_walk(void **state)
{
	(void)state;
	static uint16_t shadow[N];
	uint64_t x = 88172645463325252ULL;

	for (uint64_t f = 0; f < N; f++)
		shadow[f] = EXO_OWNER_KERNEL;
	for (int i = 0; i < 100000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint64_t f = x % (N + 5);
		uint16_t from = (uint16_t)((x >> 20) % 4), to = (uint16_t)((x >> 30) % 4);
		from = from == 3 ? EXO_OWNER_KERNEL : from;
		to = to == 3 ? EXO_OWNER_KERNEL : to;
		int r = owner_move(&t, f, from, to);
		if (f >= N) {
			assert_int_equal(r, OWNER_ERANGE);
		} else if (shadow[f] == from) {
			assert_int_equal(r, OWNER_OK);
			shadow[f] = to;
		} else {
			assert_int_equal(r, OWNER_EBUSY);
		}
	}
	uint64_t total = 0;
	for (uint16_t who = 0; who < 3; who++)
		total += owner_count(&t, who);
	total += owner_count(&t, EXO_OWNER_KERNEL);
	assert_int_equal(total, N);
	for (uint64_t f = 0; f < N; f++)
		assert_int_equal(owner_get(&t, f), shadow[f]);
	assert_int_equal(storage[N], 0x1234);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(starts_kernel, setup),
		cmocka_unit_test_setup(set_and_move, setup),
		cmocka_unit_test_setup(out_of_range, setup),
		cmocka_unit_test_setup(initrd_to_env, setup),
		cmocka_unit_test(env_tags),
		cmocka_unit_test_setup(random_walk, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
