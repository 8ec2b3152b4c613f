/*
 * Packet rings (kernel/net/pktring.c, exo/net.h): layout arithmetic, the
 * producer against a consumer that behaves, one that lags (full ring:
 * drop and count, never overwrite), one that lies about its tail, the
 * 32-bit index wrap, and the counters (delivered + dropped = offered).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <net/pktring.h>

struct fixture {
	struct pktring r;
	uint8_t *mem;
};

static struct fixture *make(uint32_t npages)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->mem = aligned_alloc(4096, (size_t)npages * 4096);
	memset(f->mem, 0xee, (size_t)npages * 4096);
	for (uint32_t i = 0; i < npages; i++) {
		f->r.page[i] = f->mem + (size_t)i * 4096;
		f->r.frame[i] = 100 + i;
	}
	assert_int_equal(pktring_init(&f->r, npages), 0);
	return f;
}

static void drop(struct fixture *f)
{
	free(f->mem);
	free(f);
}

static const struct exo_pktslot *slot(struct fixture *f, uint32_t i)
{
	i %= f->r.nslots;
	return (const struct exo_pktslot *)(f->mem + exo_pktslot_page(i) * 4096 +
					    exo_pktslot_off(i));
}

static void layout(void **state)
{
	(void)state;
	assert_int_equal(exo_pktring_slots(0), 0);
	assert_int_equal(exo_pktring_slots(1), 0);
	assert_int_equal(exo_pktring_slots(2), 2);
	assert_int_equal(exo_pktring_slots(EXO_PKTRING_MAX_PAGES), 256);
	/* Every slot lies inside one data page, none in the header. */
	for (uint32_t i = 0; i < 256; i++) {
		assert_int_equal(exo_pktslot_page(i), 1 + i / 2);
		assert_true(exo_pktslot_off(i) + EXO_PKT_SLOT <= 4096);
	}
	assert_int_equal(exo_pktring_room(0, 0, 8), 8);
	assert_int_equal(exo_pktring_room(8, 0, 8), 0);
	assert_int_equal(exo_pktring_room(5, 3, 8), 6);
	/* A tail ahead of head (a lying consumer) reads as full. */
	assert_int_equal(exo_pktring_room(3, 5, 8), 0);
	/* Across the 32-bit wrap. */
	assert_int_equal(exo_pktring_room(2, 0xfffffffeu, 8), 4);
}

static void bad_sizes(void **state)
{
	struct pktring r;
	uint8_t page[4096];

	(void)state;
	r.page[0] = page;
	assert_int_equal(pktring_init(&r, 1), -1);
	assert_int_equal(pktring_init(&r, EXO_PKTRING_MAX_PAGES + 1), -1);
}

static void deliver_in_order(void **state)
{
	struct fixture *f = make(3);   /* 4 slots */
	const struct exo_pktring *h = pktring_hdr(&f->r);
	uint8_t frame[1518];

	(void)state;
	assert_int_equal(h->magic, EXO_PKTRING_MAGIC);
	assert_int_equal(h->nslots, 4);
	for (uint32_t n = 0; n < 1000; n++) {
		size_t len = 14 + n % 1505;
		memset(frame, (int)n, len);
		assert_int_equal(pktring_put(&f->r, frame, len, 1, 0, 7, n), 1);
		const struct exo_pktslot *s = slot(f, h->tail);
		assert_int_equal(s->len, len);
		assert_int_equal(s->dev, 1);
		assert_int_equal(s->filter, 7);
		assert_int_equal(s->tsc, n);
		assert_memory_equal(s->data, frame, len);
		((struct exo_pktring *)h)->tail++;
	}
	assert_int_equal(h->head, 1000);
	assert_int_equal(h->delivered, 1000);
	assert_int_equal(h->dropped, 0);
	drop(f);
}

static void full_ring_drops(void **state)
{
	struct fixture *f = make(3);
	struct exo_pktring *h = pktring_hdr(&f->r);
	uint8_t frame[60] = { 1 };

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pktring_put(&f->r, frame, 60, 0, 0, 1, 0), 1);
	frame[0] = 2;
	for (int i = 0; i < 10; i++)
		assert_int_equal(pktring_put(&f->r, frame, 60, 0, 0, 1, 0), 0);
	/* Nothing was overwritten. */
	for (uint32_t i = 0; i < 4; i++)
		assert_int_equal(slot(f, i)->data[0], 1);
	assert_int_equal(h->delivered + h->dropped, 14);
	h->tail = 1;     /* the consumer frees one slot */
	assert_int_equal(pktring_put(&f->r, frame, 60, 0, 0, 1, 0), 1);
	assert_int_equal(slot(f, 4)->data[0], 2);
	drop(f);
}

static void lying_consumer(void **state)
{
	struct fixture *f = make(3);
	struct exo_pktring *h = pktring_hdr(&f->r);
	uint8_t frame[60] = { 0 };

	(void)state;
	h->tail = 12345;          /* ahead of head: claims more room than exists */
	h->head = 999;            /* and scribbles on head, which is ignored */
	assert_int_equal(pktring_put(&f->r, frame, 60, 0, 0, 1, 0), 0);
	assert_int_equal(f->r.head, 0);
	h->tail = 0;
	assert_int_equal(pktring_put(&f->r, frame, 60, 0, 0, 1, 0), 1);
	assert_int_equal(h->head, 1);   /* the kernel's own copy was published */
	drop(f);
}

static void oversize(void **state)
{
	struct fixture *f = make(2);
	uint8_t frame[2100] = { 0 };

	(void)state;
	assert_int_equal(pktring_put(&f->r, frame, sizeof(frame), 0, 0, 1, 0), -1);
	assert_int_equal(pktring_put(&f->r, frame, EXO_PKT_SLOT - 16, 0, 0, 1, 0), 1);
	assert_int_equal(pktring_hdr(&f->r)->dropped, 1);
	drop(f);
}

static void index_wrap(void **state)
{
	struct fixture *f = make(2);
	struct exo_pktring *h = pktring_hdr(&f->r);
	uint8_t frame[60] = { 0 };

	(void)state;
	f->r.head = 0xfffffffeu;
	h->tail = 0xfffffffeu;
	for (int i = 0; i < 6; i++) {
		assert_int_equal(pktring_put(&f->r, frame, 60, 0, 0, 1, 0), 1);
		h->tail++;
	}
	assert_int_equal(f->r.head, 4);
	drop(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout),
		cmocka_unit_test(bad_sizes),
		cmocka_unit_test(deliver_in_order),
		cmocka_unit_test(full_ring_drops),
		cmocka_unit_test(lying_consumer),
		cmocka_unit_test(oversize),
		cmocka_unit_test(index_wrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
