/* Host tests for the bitmap frame allocator (kernel/mm/palloc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <mm/palloc.h>

#define BASE 256      /* frame numbers start at 1 MiB, like a real map */
#define NFRAMES 1000  /* not a multiple of 64: the last word is partial */

static uint64_t bits[(NFRAMES + 63) / 64];
static struct palloc pa;

static int setup(void **state)
{
	(void)state;
	palloc_init(&pa, bits, BASE, NFRAMES);
	return 0;
}

static void starts_empty(void **state)
{
	(void)state;
	assert_int_equal(palloc_nfree(&pa), 0);
	assert_int_equal(palloc_alloc(&pa), PALLOC_NONE);
}

static void add_alloc_free(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, BASE + 10, 3), PALLOC_OK);
	assert_int_equal(palloc_nfree(&pa), 3);
	uint64_t a = palloc_alloc(&pa), b = palloc_alloc(&pa), c = palloc_alloc(&pa);
	assert_int_equal(a, BASE + 10);
	assert_int_equal(b, BASE + 11);
	assert_int_equal(c, BASE + 12);
	assert_int_equal(palloc_alloc(&pa), PALLOC_NONE);
	assert_int_equal(palloc_free(&pa, b), PALLOC_OK);
	assert_true(palloc_is_free(&pa, b));
	assert_int_equal(palloc_alloc(&pa), b);
}

static void double_free_detected(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, BASE, 4), PALLOC_OK);
	uint64_t f = palloc_alloc(&pa);
	assert_int_equal(palloc_free(&pa, f), PALLOC_OK);
	assert_int_equal(palloc_free(&pa, f), PALLOC_EDOUBLE);
	assert_int_equal(palloc_nfree(&pa), 4);
	/* Adding a range that partly overlaps free frames changes nothing. */
	assert_int_equal(palloc_add(&pa, BASE + 3, 2), PALLOC_EDOUBLE);
	assert_false(palloc_is_free(&pa, BASE + 4));
	assert_int_equal(palloc_nfree(&pa), 4);
}

static void out_of_range(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, BASE - 1, 1), PALLOC_ERANGE);
	assert_int_equal(palloc_add(&pa, BASE + NFRAMES, 1), PALLOC_ERANGE);
	assert_int_equal(palloc_add(&pa, BASE + NFRAMES - 1, 2), PALLOC_ERANGE);
	assert_int_equal(palloc_add(&pa, BASE + 5, UINT64_MAX), PALLOC_ERANGE);
	assert_int_equal(palloc_free(&pa, 0), PALLOC_ERANGE);
	assert_int_equal(palloc_add(&pa, BASE + NFRAMES - 1, 1), PALLOC_OK);
	assert_int_equal(palloc_alloc(&pa), BASE + NFRAMES - 1);
	assert_false(palloc_is_free(&pa, BASE + NFRAMES));
}

static void exhaustion_and_refill(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, BASE, NFRAMES), PALLOC_OK);
	uint8_t *seen = calloc(NFRAMES, 1);
	for (int i = 0; i < NFRAMES; i++) {
		uint64_t f = palloc_alloc(&pa);
		assert_true(f >= BASE && f < BASE + NFRAMES);
		assert_int_equal(seen[f - BASE], 0);  /* never handed out twice */
		seen[f - BASE] = 1;
	}
	assert_int_equal(palloc_nfree(&pa), 0);
	assert_int_equal(palloc_alloc(&pa), PALLOC_NONE);
	for (int i = 0; i < NFRAMES; i += 2)
		assert_int_equal(palloc_free(&pa, BASE + i), PALLOC_OK);
	assert_int_equal(palloc_nfree(&pa), NFRAMES / 2);
	free(seen);
}

static void carving(void **state)
{
	(void)state;
	/* Two usable regions with a hole, then carve the bitmap's own pages. */
	assert_int_equal(palloc_add(&pa, BASE, 100), PALLOC_OK);
	assert_int_equal(palloc_add(&pa, BASE + 200, 50), PALLOC_OK);
	assert_int_equal(palloc_take(&pa, BASE + 200, 5), PALLOC_OK);
	assert_int_equal(palloc_nfree(&pa), 145);
	assert_int_equal(palloc_take(&pa, BASE + 99, 2), PALLOC_EBUSY); /* into the hole */
	assert_int_equal(palloc_take(&pa, BASE + 200, 1), PALLOC_EBUSY); /* taken twice */
	assert_int_equal(palloc_nfree(&pa), 145);
	for (int i = 0; i < 145; i++) {
		uint64_t f = palloc_alloc(&pa);
		assert_false(f >= BASE + 100 && f < BASE + 205);
	}
	assert_int_equal(palloc_alloc(&pa), PALLOC_NONE);
}

static void contiguous(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, BASE, 64), PALLOC_OK);
	assert_int_equal(palloc_take(&pa, BASE + 3, 1), PALLOC_OK);
	/* First aligned run of 8 that avoids frame BASE+3 is BASE+8. */
	uint64_t f = palloc_alloc_contig(&pa, 8, 8);
	assert_int_equal(f, BASE + 8);
	for (int i = 0; i < 8; i++)
		assert_false(palloc_is_free(&pa, f + i));
	assert_int_equal(palloc_alloc_contig(&pa, 3, 1), BASE + 0);
	assert_int_equal(palloc_alloc_contig(&pa, 64, 1), PALLOC_NONE);
	assert_int_equal(palloc_alloc_contig(&pa, 4, 3), PALLOC_NONE); /* align not 2^k */
	assert_int_equal(palloc_alloc_contig(&pa, 0, 1), PALLOC_NONE);
	assert_int_equal(palloc_free_contig(&pa, f, 8), PALLOC_OK);
	assert_int_equal(palloc_free_contig(&pa, f, 8), PALLOC_EDOUBLE);
	assert_int_equal(palloc_nfree(&pa), 64 - 1 - 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(starts_empty, setup),
		cmocka_unit_test_setup(add_alloc_free, setup),
		cmocka_unit_test_setup(double_free_detected, setup),
		cmocka_unit_test_setup(out_of_range, setup),
		cmocka_unit_test_setup(exhaustion_and_refill, setup),
		cmocka_unit_test_setup(carving, setup),
		cmocka_unit_test_setup(contiguous, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
