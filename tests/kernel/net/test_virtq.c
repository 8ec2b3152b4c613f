/*
 * Host tests for the split virtqueue (kernel/net/virtq.c). The test plays
 * the device: it reads the available ring from its own last index and
 * writes used entries, including wrong ones a faulty device could write.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <net/virtq.h>

#define N 8

static _Alignas(16) uint8_t desc_mem[VIRTQ_DESC_BYTES(VIRTQ_MAX)];
static _Alignas(2) uint8_t avail_mem[VIRTQ_AVAIL_BYTES(VIRTQ_MAX)];
static _Alignas(4) uint8_t used_mem[VIRTQ_USED_BYTES(VIRTQ_MAX)];
static struct virtq q;
static uint16_t dev_avail;   /* device's next avail index */

#define AVAIL ((struct virtq_avail *)avail_mem)
#define USED ((struct virtq_used *)used_mem)

static int setup(void **state)
{
	(void)state;
	memset(desc_mem, 0, sizeof(desc_mem));
	memset(avail_mem, 0xee, sizeof(avail_mem));
	memset(used_mem, 0, sizeof(used_mem));
	dev_avail = 0;
	assert_int_equal(virtq_init(&q, N, (void *)desc_mem, AVAIL, USED), 0);
	return 0;
}

/* Device side: take one available slot; -1 if none. */
static int dev_take(void)
{
	if (dev_avail == AVAIL->idx)
		return -1;
	return AVAIL->ring[dev_avail++ % N];
}

static void dev_use(uint32_t id, uint32_t len)
{
	USED->ring[USED->idx % N].id = id;
	USED->ring[USED->idx % N].len = len;
	USED->idx++;
}

static void init_checks(void **state)
{
	(void)state;
	assert_int_equal(virtq_init(&q, 0, (void *)desc_mem, AVAIL, USED), -1);
	assert_int_equal(virtq_init(&q, 12, (void *)desc_mem, AVAIL, USED), -1);
	assert_int_equal(virtq_init(&q, VIRTQ_MAX * 2, (void *)desc_mem, AVAIL, USED), -1);
	assert_int_equal(virtq_init(&q, N, (void *)desc_mem, AVAIL, USED), 0);
	assert_int_equal(AVAIL->idx, 0);
	assert_int_equal(AVAIL->flags, 0);
	assert_int_equal(VIRTQ_USED_BYTES(128), 6 + 8 * 128);
}

static void post_and_get(void **state)
{
	uint16_t id;
	uint32_t len;

	(void)state;
	for (int i = 0; i < N; i++) {
		int s = virtq_alloc(&q);
		assert_int_equal(s, i);          /* slot 0 first */
		assert_int_equal(virtq_post(&q, (uint16_t)s), 0);
	}
	assert_int_equal(virtq_alloc(&q), -1);   /* all posted */
	assert_int_equal(AVAIL->idx, N);
	assert_false(virtq_pending(&q));
	assert_int_equal(virtq_get(&q, &id, &len), 0);
	/* The device uses slots out of order. */
	assert_int_equal(dev_take(), 0);
	assert_int_equal(dev_take(), 1);
	dev_use(1, 100);
	dev_use(0, 60);
	assert_true(virtq_pending(&q));
	assert_int_equal(virtq_get(&q, &id, &len), 1);
	assert_int_equal(id, 1);
	assert_int_equal(len, 100);
	assert_int_equal(virtq_get(&q, &id, &len), 1);
	assert_int_equal(id, 0);
	assert_int_equal(virtq_get(&q, &id, &len), 0);
	/* Refill hands back the slot freed last. */
	assert_int_equal(virtq_alloc(&q), 0);
}

static void post_checks(void **state)
{
	(void)state;
	assert_int_equal(virtq_post(&q, 3), -1);      /* not allocated */
	assert_int_equal(virtq_post(&q, N), -1);      /* out of range */
	int s = virtq_alloc(&q);
	assert_int_equal(virtq_post(&q, (uint16_t)s), 0);
	assert_int_equal(virtq_post(&q, (uint16_t)s), -1);  /* twice */
	assert_int_equal(AVAIL->idx, 1);
}

static void bad_device(void **state)
{
	uint16_t id;
	uint32_t len;

	(void)state;
	int s = virtq_alloc(&q);
	virtq_post(&q, (uint16_t)s);
	dev_use(7, 10);         /* never posted */
	dev_use(1000, 10);      /* out of range */
	dev_use((uint32_t)s, 10);
	dev_use((uint32_t)s, 10);  /* the same slot again */
	assert_int_equal(virtq_get(&q, &id, &len), 1);
	assert_int_equal(id, s);
	assert_int_equal(virtq_get(&q, &id, &len), 0);
	assert_int_equal(q.bad, 3);
	assert_int_equal(q.nfree, N);  /* nothing freed twice */
}

static void index_wraparound(void **state)
{
	uint16_t id;
	uint32_t len;
	unsigned rounds = 70000;   /* past the 16-bit index wrap */

	(void)state;
	for (unsigned r = 0; r < rounds; r++) {
		int s;
		while ((s = virtq_alloc(&q)) >= 0)
			assert_int_equal(virtq_post(&q, (uint16_t)s), 0);
		int d = dev_take();
		assert_true(d >= 0);
		dev_use((uint32_t)d, r);
		assert_int_equal(virtq_get(&q, &id, &len), 1);
		assert_int_equal(id, d);
		assert_int_equal(len, r);
	}
	assert_int_equal(q.bad, 0);
	assert_int_equal(q.last_used, (uint16_t)rounds);
}

static void irq_and_kick_flags(void **state)
{
	(void)state;
	virtq_irq(&q, 0);
	assert_int_equal(AVAIL->flags & VIRTQ_AVAIL_F_NO_INTERRUPT, VIRTQ_AVAIL_F_NO_INTERRUPT);
	virtq_irq(&q, 1);
	assert_int_equal(AVAIL->flags, 0);
	assert_true(virtq_kick_needed(&q));
	USED->flags = VIRTQ_USED_F_NO_NOTIFY;
	assert_false(virtq_kick_needed(&q));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(init_checks, setup),
		cmocka_unit_test_setup(post_and_get, setup),
		cmocka_unit_test_setup(post_checks, setup),
		cmocka_unit_test_setup(bad_device, setup),
		cmocka_unit_test_setup(index_wraparound, setup),
		cmocka_unit_test_setup(irq_and_kick_flags, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
