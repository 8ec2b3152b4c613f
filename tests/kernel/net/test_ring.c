/*
 * Host tests for the small pure pieces: ring index arithmetic
 * (kernel/net/ring.h), the transmit length rule (netdev_tx_len in
 * kernel/net/netdev.h) and MSI message composition (arch/msi.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arch/msi.h>
#include <net/netdev.h>
#include <net/ring.h>

static void next_wraps(void **state)
{
	(void)state;
	assert_int_equal(ring_next(0, 8), 1);
	assert_int_equal(ring_next(6, 8), 7);
	assert_int_equal(ring_next(7, 8), 0);
	assert_int_equal(ring_next(0, 1), 0);
}

static void used_and_free(void **state)
{
	(void)state;
	/* Empty: clean == tail; n - 1 slots usable. */
	assert_int_equal(ring_used(5, 5, 8), 0);
	assert_int_equal(ring_free(5, 5, 8), 7);
	/* Wrapped: clean 6, tail 2 -> slots 6, 7, 0, 1 in flight. */
	assert_int_equal(ring_used(6, 2, 8), 4);
	assert_int_equal(ring_free(6, 2, 8), 3);
	/* Full: tail one behind clean. */
	assert_int_equal(ring_used(3, 2, 8), 7);
	assert_int_equal(ring_free(3, 2, 8), 0);
	/* Exhaustive: used + free = n - 1 everywhere. */
	for (unsigned c = 0; c < 128; c++)
		for (unsigned t = 0; t < 128; t++)
			assert_int_equal(ring_used(c, t, 128) + ring_free(c, t, 128), 127);
}

static void fill_to_full(void **state)
{
	unsigned clean = 100, tail = 100, n = 128, queued = 0;

	(void)state;
	while (ring_free(clean, tail, n) > 0) {
		tail = ring_next(tail, n);
		queued++;
	}
	assert_int_equal(queued, n - 1);
	assert_int_equal(ring_next(tail, n), clean);
}

static void tx_len_rule(void **state)
{
	(void)state;
	assert_int_equal(netdev_tx_len(0), -1);
	assert_int_equal(netdev_tx_len(ETH_HLEN - 1), -1);
	assert_int_equal(netdev_tx_len(ETH_HLEN), ETH_ZLEN);    /* runt: padded */
	assert_int_equal(netdev_tx_len(42), 60);                /* an ARP request */
	assert_int_equal(netdev_tx_len(60), 60);
	assert_int_equal(netdev_tx_len(61), 61);
	assert_int_equal(netdev_tx_len(1514), 1514);
	assert_int_equal(netdev_tx_len(1515), -1);              /* oversize */
	assert_int_equal(netdev_tx_len((size_t)-1), -1);
}

static void msi_message(void **state)
{
	struct msi_msg m;

	(void)state;
	assert_int_equal(msi_compose(0, 65, &m), 0);
	assert_int_equal(m.address, 0xfee00000u);
	assert_int_equal(m.data, 65);               /* fixed, edge */
	assert_int_equal(msi_compose(3, 200, &m), 0);
	assert_int_equal(m.address, 0xfee03000u);   /* destination in bits 19:12 */
	assert_int_equal(m.data & MSI_DATA_LEVEL, 0);
	assert_int_equal(msi_compose(0, 15, &m), -1);  /* reserved vectors */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(next_wraps),
		cmocka_unit_test(used_and_free),
		cmocka_unit_test(fill_to_full),
		cmocka_unit_test(tx_len_rule),
		cmocka_unit_test(msi_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
