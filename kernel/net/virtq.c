/*
 * Split virtqueue bookkeeping (net/virtq.h). Ordering (2.4.6.1 and
 * 2.4.8.2): the ring entry is written before avail->idx is published, and
 * used->idx is read before the entry it covers. x86 keeps stores in order
 * and loads in order, so compiler barriers are the only fences needed.
 */
#include <net/virtq.h>

#define barrier() __asm__ volatile("" ::: "memory")

int virtq_init(struct virtq *q, uint16_t n, volatile struct virtq_desc *desc,
	       volatile struct virtq_avail *avail, volatile struct virtq_used *used)
{
	if (n == 0 || n > VIRTQ_MAX || (n & (n - 1)))
		return -1;
	q->n = n;
	q->desc = desc;
	q->avail = avail;
	q->used = used;
	q->avail_idx = 0;
	q->last_used = 0;
	q->bad = 0;
	q->nfree = n;
	for (uint16_t i = 0; i < n; i++) {
		q->free[i] = (uint16_t)(n - 1 - i);  /* slot 0 comes out first */
		q->state[i] = VIRTQ_SLOT_FREE;
	}
	avail->flags = 0;
	avail->idx = 0;
	return 0;
}

int virtq_alloc(struct virtq *q)
{
	if (q->nfree == 0)
		return -1;
	uint16_t id = q->free[--q->nfree];
	q->state[id] = VIRTQ_SLOT_DRIVER;
	return id;
}

int virtq_post(struct virtq *q, uint16_t id)
{
	if (id >= q->n || q->state[id] != VIRTQ_SLOT_DRIVER)
		return -1;
	q->state[id] = VIRTQ_SLOT_DEVICE;
	q->avail->ring[q->avail_idx & (q->n - 1)] = id;
	barrier();
	q->avail_idx++;
	q->avail->idx = q->avail_idx;
	return 0;
}

int virtq_pending(const struct virtq *q)
{
	return q->used->idx != q->last_used;
}

int virtq_get(struct virtq *q, uint16_t *id, uint32_t *len)
{
	while (q->used->idx != q->last_used) {
		barrier();
		volatile struct virtq_used_elem *e = &q->used->ring[q->last_used & (q->n - 1)];
		uint32_t slot = e->id, l = e->len;
		q->last_used++;
		if (slot >= q->n || q->state[slot] != VIRTQ_SLOT_DEVICE) {
			q->bad++;
			continue;
		}
		q->state[slot] = VIRTQ_SLOT_FREE;
		q->free[q->nfree++] = (uint16_t)slot;
		*id = (uint16_t)slot;
		*len = l;
		return 1;
	}
	return 0;
}

int virtq_kick_needed(const struct virtq *q)
{
	barrier();
	return !(q->used->flags & VIRTQ_USED_F_NO_NOTIFY);
}

void virtq_irq(struct virtq *q, int on)
{
	if (on)
		q->avail->flags &= (uint16_t)~VIRTQ_AVAIL_F_NO_INTERRUPT;
	else
		q->avail->flags |= VIRTQ_AVAIL_F_NO_INTERRUPT;
}
