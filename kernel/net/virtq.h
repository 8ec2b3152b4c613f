/*
 * A split virtqueue (virtio 1.0, 2.4) as seen by the driver, with one
 * descriptor per buffer: slot i of the descriptor table always describes
 * buffer i, so posting a buffer is putting its slot number in the
 * available ring, and the used ring gives slot numbers back. Indices are
 * free-running 16-bit counters (2.4.6, 2.4.8) reduced modulo the queue
 * size, which is a power of two. Pure: the caller notifies the device.
 * Host-tested in tests/kernel/net/test_virtq.c.
 */
#ifndef NET_VIRTQ_H
#define NET_VIRTQ_H

#include <stdint.h>

#include <net/virtio_regs.h>

#define VIRTQ_MAX 256

enum { VIRTQ_SLOT_FREE, VIRTQ_SLOT_DRIVER, VIRTQ_SLOT_DEVICE };

struct virtq {
	uint16_t n;                      /* queue size, power of two */
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint16_t avail_idx;              /* next avail->idx to publish */
	uint16_t last_used;              /* used entries consumed so far */
	uint16_t nfree;                  /* slots not posted (free stack) */
	uint16_t free[VIRTQ_MAX];
	uint8_t state[VIRTQ_MAX];        /* VIRTQ_SLOT_*, per slot */
	uint32_t bad;                    /* used entries naming a slot not posted */
};

/*
 * Bytes needed for each part of a queue of n slots (2.4: descriptor table
 * 16n, available ring 6 + 2n, used ring 6 + 8n).
 */
#define VIRTQ_DESC_BYTES(n)  (16u * (n))
#define VIRTQ_AVAIL_BYTES(n) (6u + 2u * (n))
#define VIRTQ_USED_BYTES(n)  (6u + 8u * (n))

/* n must be a power of two in 1..VIRTQ_MAX; -1 otherwise. All slots free. */
int virtq_init(struct virtq *q, uint16_t n, volatile struct virtq_desc *desc,
	       volatile struct virtq_avail *avail, volatile struct virtq_used *used);

/*
 * A free slot number, now the driver's to fill and post; -1 if none. The
 * slot freed last comes out first, so a refill after virtq_get() posts the
 * same slot (and buffer) again.
 */
int virtq_alloc(struct virtq *q);

/*
 * Hand slot `id` (from virtq_alloc, its descriptor filled in) to the
 * device. -1 if id is out of range or not the driver's.
 */
int virtq_post(struct virtq *q, uint16_t id);

/*
 * Take one used entry: 1 and its slot and length, or 0 if none. Entries
 * naming a slot the device does not own are counted in q->bad and
 * skipped, so a faulty device cannot make the driver reuse a buffer twice.
 * The slot is free again afterwards (virtq_alloc may return it).
 */
int virtq_get(struct virtq *q, uint16_t *id, uint32_t *len);

/* 1 if used entries are waiting. */
int virtq_pending(const struct virtq *q);

/* 1 if the device asked to be notified of new buffers. */
int virtq_kick_needed(const struct virtq *q);

/* Ask the device (not) to interrupt for used buffers (2.4.7). */
void virtq_irq(struct virtq *q, int on);

#endif /* NET_VIRTQ_H */
