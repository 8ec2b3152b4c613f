/* Packet rings, the kernel's (producer's) side: net/pktring.h. */
#include <string.h>

#include <net/pktring.h>

int pktring_init(struct pktring *r, uint32_t npages)
{
	if (npages < EXO_PKTRING_MIN_PAGES || npages > EXO_PKTRING_MAX_PAGES)
		return -1;
	r->npages = npages;
	r->nslots = exo_pktring_slots(npages);
	r->head = 0;
	r->delivered = r->dropped = 0;
	struct exo_pktring *h = pktring_hdr(r);
	memset(h, 0, sizeof(*h));
	h->nslots = r->nslots;
	h->slot_size = EXO_PKT_SLOT;
	h->magic = EXO_PKTRING_MAGIC;
	return 0;
}

int pktring_put(struct pktring *r, const uint8_t *frame, size_t len,
		uint8_t dev, uint8_t ring, uint32_t filter, uint64_t tsc)
{
	struct exo_pktring *h = pktring_hdr(r);

	if (len > sizeof(((struct exo_pktslot *)0)->data)) {
		r->dropped++;
		h->dropped = r->dropped;
		return -1;
	}
	/* tail is the libOS's: read it once, trust nothing about it. */
	uint32_t tail = h->tail;
	if (exo_pktring_room(r->head, tail, r->nslots) == 0) {
		r->dropped++;
		h->dropped = r->dropped;
		return 0;
	}
	uint32_t i = r->head % r->nslots;
	struct exo_pktslot *s =
		(struct exo_pktslot *)(r->page[exo_pktslot_page(i)] + exo_pktslot_off(i));
	s->len = (uint16_t)len;
	s->dev = dev;
	s->ring = ring;
	s->filter = filter;
	s->tsc = tsc;
	memcpy(s->data, frame, len);
	/* The slot's bytes before the new head (x86 keeps stores in order;
	 * the barrier keeps the compiler from reordering them). */
	__asm__ volatile("" ::: "memory");
	r->head++;
	h->head = r->head;
	r->delivered++;
	h->delivered = r->delivered;
	return 1;
}
