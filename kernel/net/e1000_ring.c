/*
 * e1000 ring logic (net/e1000_ring.h). The device writes a descriptor's
 * status last, so once DD is seen the length and errors are valid; the
 * compiler barrier keeps the reads in that order (x86 does not reorder
 * loads with loads).
 */
#include <string.h>

#include <net/e1000_ring.h>
#include <net/ring.h>

#define barrier() __asm__ volatile("" ::: "memory")

int e1000_rxq_pending(const struct e1000_rxq *q)
{
	return (q->desc[q->next].status & RXD_STAT_DD) != 0;
}

struct e1000_rx_result e1000_rxq_poll(struct e1000_rxq *q, unsigned budget,
				      e1000_rx_fn fn, void *ctx)
{
	struct e1000_rx_result r = { 0, 0, -1 };

	while (r.frames + r.errors < budget && q->next != q->rdt) {
		volatile struct e1000_rx_desc *d = &q->desc[q->next];
		uint8_t status = d->status;
		if (!(status & RXD_STAT_DD))
			break;
		barrier();
		uint8_t errors = d->errors;
		size_t len = d->length;
		if (q->discarding || !(status & RXD_STAT_EOP)) {
			/* Part of a frame longer than one buffer: drop it all. */
			if (!q->discarding)
				r.errors++;
			q->discarding = !(status & RXD_STAT_EOP);
		} else if ((errors & RXD_ERR_FRAME) || len == 0 || len > E1000_BUF_SIZE) {
			r.errors++;
		} else {
			fn(ctx, q->buf[q->next], len);
			r.frames++;
		}
		r.tail = (int)q->next;
		q->next = ring_next(q->next, q->n);
	}
	return r;
}

unsigned e1000_rxq_taken(const struct e1000_rxq *q)
{
	return (q->next + q->n - 1 - q->rdt) % q->n;
}

unsigned e1000_rxq_give_back(struct e1000_rxq *q)
{
	unsigned last = (q->next + q->n - 1) % q->n;

	for (unsigned i = q->rdt; i != last; i = ring_next(i, q->n))
		q->desc[i].status = 0;
	barrier();   /* cleared before the caller's RDT write */
	q->rdt = last;
	return last;
}

int e1000_txq_put(struct e1000_txq *q, const uint8_t *frame, size_t len)
{
	if (len == 0 || len > E1000_BUF_SIZE || ring_free(q->clean, q->tail, q->n) == 0)
		return -1;
	volatile struct e1000_tx_desc *d = &q->desc[q->tail];
	memcpy(q->buf[q->tail], frame, len);
	d->length = (uint16_t)len;
	d->cso = 0;
	d->css = 0;
	d->special = 0;
	d->status = 0;
	d->cmd = TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS;
	barrier();  /* descriptor complete before the caller's TDT write */
	q->tail = ring_next(q->tail, q->n);
	return 0;
}

unsigned e1000_txq_reclaim(struct e1000_txq *q)
{
	unsigned n = 0;

	while (q->clean != q->tail && (q->desc[q->clean].status & TXD_STAT_DD)) {
		q->desc[q->clean].status = 0;
		q->clean = ring_next(q->clean, q->n);
		n++;
	}
	return n;
}
