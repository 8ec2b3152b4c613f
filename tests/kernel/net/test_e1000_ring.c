/*
 * Host tests for the e1000 ring logic (kernel/net/e1000_ring.c). The test
 * plays the device: it writes descriptors back the way the 82540EM does
 * (length, errors, then status with DD) and checks what the driver
 * delivers, counts and returns to the device.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <net/e1000_ring.h>

#define N 16

static struct e1000_rx_desc rxd[N];
static struct e1000_tx_desc txd[N];
static uint8_t bufmem[N][E1000_BUF_SIZE];
static uint8_t *bufs[N];
static struct e1000_rxq rq;
static struct e1000_txq tq;

struct got {
	unsigned n;
	size_t len[N * 2];
	uint8_t first[N * 2];
};
static struct got got;

static void take(void *ctx, const uint8_t *frame, size_t len)
{
	struct got *g = ctx;

	g->len[g->n] = len;
	g->first[g->n] = frame[0];
	g->n++;
}

static int setup(void **state)
{
	(void)state;
	memset(rxd, 0, sizeof(rxd));
	memset(txd, 0, sizeof(txd));
	memset(&got, 0, sizeof(got));
	for (int i = 0; i < N; i++)
		bufs[i] = bufmem[i];
	rq = (struct e1000_rxq){ .desc = rxd, .buf = bufs, .n = N, .rdt = N - 1 };
	tq = (struct e1000_txq){ .desc = txd, .buf = bufs, .n = N };
	return 0;
}

/* The device completes slot i with a frame of len bytes starting with tag. */
static void dev_rx(unsigned i, uint16_t len, uint8_t status, uint8_t errors, uint8_t tag)
{
	bufmem[i][0] = tag;
	rxd[i].length = len;
	rxd[i].errors = errors;
	rxd[i].status = status;
}

static void rx_frames(void **state)
{
	(void)state;
	assert_false(e1000_rxq_pending(&rq));
	struct e1000_rx_result r = e1000_rxq_poll(&rq, 64, take, &got);
	assert_int_equal(r.frames, 0);
	assert_int_equal(r.tail, -1);           /* nothing to give back */
	dev_rx(0, 60, RXD_STAT_DD | RXD_STAT_EOP, 0, 0xa0);
	dev_rx(1, 1514, RXD_STAT_DD | RXD_STAT_EOP, 0, 0xa1);
	dev_rx(2, 42, RXD_STAT_DD | RXD_STAT_EOP, 0, 0xa2);  /* runt: delivered as is */
	assert_true(e1000_rxq_pending(&rq));
	r = e1000_rxq_poll(&rq, 64, take, &got);
	assert_int_equal(r.frames, 3);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.tail, 2);
	assert_int_equal(got.n, 3);
	assert_int_equal(got.len[0], 60);
	assert_int_equal(got.len[1], 1514);
	assert_int_equal(got.len[2], 42);
	assert_int_equal(got.first[1], 0xa1);
	assert_int_equal(rq.next, 3);
	/* Taken slots keep their status until they go back to the device. */
	for (int i = 0; i < 3; i++)
		assert_int_not_equal(rxd[i].status, 0);
	assert_int_equal(e1000_rxq_taken(&rq), 3);   /* N - 1 (never used), 0, 1 */
	assert_int_equal(e1000_rxq_give_back(&rq), 2);   /* the new RDT */
	assert_int_equal(rxd[0].status, 0);
	assert_int_equal(rxd[1].status, 0);
	assert_int_equal(rxd[N - 1].status, 0);
	assert_int_not_equal(rxd[2].status, 0);   /* the device may still be writing it */
	assert_int_equal(rq.rdt, 2);
	assert_int_equal(e1000_rxq_taken(&rq), 0);
	assert_int_equal(e1000_rxq_give_back(&rq), 2);   /* nothing new: unchanged */
}

/* The slot at RDT is not the device's: the poll stops there even if a
 * stale DD is left in it (a device model rewriting a status late). */
static void rx_stops_at_rdt(void **state)
{
	(void)state;
	rq.next = 0;
	rq.rdt = 2;
	dev_rx(0, 60, RXD_STAT_DD | RXD_STAT_EOP, 0, 1);
	dev_rx(1, 60, RXD_STAT_DD | RXD_STAT_EOP, 0, 2);
	dev_rx(2, 60, RXD_STAT_DD | RXD_STAT_EOP, 0, 3);   /* stale: not given back */
	struct e1000_rx_result r = e1000_rxq_poll(&rq, 64, take, &got);
	assert_int_equal(r.frames, 2);
	assert_int_equal(rq.next, 2);
	assert_false(e1000_rxq_poll(&rq, 64, take, &got).frames);
}

static void rx_errors_and_split(void **state)
{
	(void)state;
	dev_rx(0, 60, RXD_STAT_DD | RXD_STAT_EOP, 1u << 0, 0);      /* CRC error */
	/* A frame over three buffers: DD without EOP, DD, DD + EOP. */
	dev_rx(1, 2048, RXD_STAT_DD, 0, 0);
	dev_rx(2, 2048, RXD_STAT_DD, 0, 0);
	dev_rx(3, 100, RXD_STAT_DD | RXD_STAT_EOP, 0, 0);
	dev_rx(4, 0, RXD_STAT_DD | RXD_STAT_EOP, 0, 0);             /* empty */
	dev_rx(5, 64, RXD_STAT_DD | RXD_STAT_EOP, 0, 0xb5);         /* good */
	struct e1000_rx_result r = e1000_rxq_poll(&rq, 64, take, &got);
	assert_int_equal(r.frames, 1);
	assert_int_equal(r.errors, 3);          /* CRC, the split frame once, empty */
	assert_int_equal(got.n, 1);
	assert_int_equal(got.first[0], 0xb5);
	assert_int_equal(r.tail, 5);
	assert_false(rq.discarding);
}

static void rx_split_across_polls(void **state)
{
	(void)state;
	dev_rx(0, 2048, RXD_STAT_DD, 0, 0);
	struct e1000_rx_result r = e1000_rxq_poll(&rq, 64, take, &got);
	assert_int_equal(r.errors, 1);
	assert_true(rq.discarding);
	/* The rest arrives later; it must not be delivered as a frame. */
	dev_rx(1, 300, RXD_STAT_DD | RXD_STAT_EOP, 0, 0xcc);
	dev_rx(2, 70, RXD_STAT_DD | RXD_STAT_EOP, 0, 0xc2);
	r = e1000_rxq_poll(&rq, 64, take, &got);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.frames, 1);
	assert_int_equal(got.first[0], 0xc2);
}

static void rx_budget_and_wrap(void **state)
{
	unsigned total = 0;

	(void)state;
	rq.next = N - 2;
	rq.rdt = N - 3;   /* the device owns every slot from N - 2 on */
	for (unsigned k = 0; k < 5; k++)
		dev_rx((N - 2 + k) % N, 60, RXD_STAT_DD | RXD_STAT_EOP, 0, (uint8_t)k);
	struct e1000_rx_result r = e1000_rxq_poll(&rq, 2, take, &got);
	assert_int_equal(r.frames, 2);
	assert_int_equal(r.tail, N - 1);
	total += r.frames;
	r = e1000_rxq_poll(&rq, 64, take, &got);
	total += r.frames;
	assert_int_equal(total, 5);
	assert_int_equal(r.tail, 2);            /* wrapped */
	assert_int_equal(rq.next, 3);
	for (unsigned k = 0; k < 5; k++)
		assert_int_equal(got.first[k], k);
}

static void tx_fill_reclaim(void **state)
{
	uint8_t frame[60] = { 0x11 };

	(void)state;
	for (int i = 0; i < N - 1; i++)
		assert_int_equal(e1000_txq_put(&tq, frame, sizeof(frame)), 0);
	/* One slot stays empty: the ring is full at n - 1. */
	assert_int_equal(e1000_txq_put(&tq, frame, sizeof(frame)), -1);
	assert_int_equal(tq.tail, N - 1);
	assert_int_equal(txd[0].length, 60);
	assert_int_equal(txd[0].cmd, TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS);
	assert_int_equal(bufmem[0][0], 0x11);
	/* Nothing done yet: nothing reclaimed. */
	assert_int_equal(e1000_txq_reclaim(&tq), 0);
	/* The device finishes the first three, out of a run that stops at a gap. */
	txd[0].status = TXD_STAT_DD;
	txd[1].status = TXD_STAT_DD;
	txd[2].status = TXD_STAT_DD;
	txd[4].status = TXD_STAT_DD;
	assert_int_equal(e1000_txq_reclaim(&tq), 3);
	assert_int_equal(tq.clean, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(e1000_txq_put(&tq, frame, sizeof(frame)), 0);
	assert_int_equal(e1000_txq_put(&tq, frame, sizeof(frame)), -1);
	assert_int_equal(tq.tail, 2);           /* wrapped */
}

static void tx_bad_lengths(void **state)
{
	static uint8_t big[E1000_BUF_SIZE + 1];

	(void)state;
	assert_int_equal(e1000_txq_put(&tq, big, 0), -1);
	assert_int_equal(e1000_txq_put(&tq, big, sizeof(big)), -1);
	assert_int_equal(tq.tail, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(rx_frames, setup),
		cmocka_unit_test_setup(rx_stops_at_rdt, setup),
		cmocka_unit_test_setup(rx_errors_and_split, setup),
		cmocka_unit_test_setup(rx_split_across_polls, setup),
		cmocka_unit_test_setup(rx_budget_and_wrap, setup),
		cmocka_unit_test_setup(tx_fill_reclaim, setup),
		cmocka_unit_test_setup(tx_bad_lengths, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
