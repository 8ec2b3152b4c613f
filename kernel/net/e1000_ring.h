/*
 * The e1000's descriptor rings as data structures, apart from the
 * registers: what the driver does with descriptors the device has written
 * back. Pure (no MMIO: the caller writes RDT/TDT with what these return),
 * so tests/kernel/net/test_e1000_ring.c plays the device on the host.
 */
#ifndef NET_E1000_RING_H
#define NET_E1000_RING_H

#include <stddef.h>
#include <stdint.h>

#include <net/e1000_regs.h>

#define E1000_BUF_SIZE 2048    /* RCTL.BSIZE = 2048; one TX frame per slot */

struct e1000_rxq {
	volatile struct e1000_rx_desc *desc;
	uint8_t *const *buf;        /* buf[i]: virtual address of slot i's buffer */
	unsigned n;                 /* slots, a multiple of 8 */
	unsigned next;              /* next slot the device will complete */
	unsigned rdt;               /* RDT as last written: the device owns [RDH, rdt) */
	int discarding;             /* inside a frame split over descriptors */
};

/* Called once per good frame. */
typedef void (*e1000_rx_fn)(void *ctx, const uint8_t *frame, size_t len);

struct e1000_rx_result {
	unsigned frames;            /* handed to fn */
	unsigned errors;            /* hardware errors, split frames, bad lengths */
	int tail;                   /* new RDT, or -1 if no slot was completed */
};

/*
 * Take completed descriptors (DD set) starting at q->next, at most
 * `budget` frames' worth, never the slot at q->rdt (the device does not
 * own it). A frame whose first descriptor lacks EOP (longer than a
 * buffer) is discarded through its last descriptor and counted once as
 * an error. Taken slots keep their status until e1000_rxq_give_back().
 */
struct e1000_rx_result e1000_rxq_poll(struct e1000_rxq *q, unsigned budget,
				      e1000_rx_fn fn, void *ctx);

/* Slots taken and not yet given back (what a give-back would return). */
unsigned e1000_rxq_taken(const struct e1000_rxq *q);

/*
 * Give the taken slots back, but the last one: clear their status and
 * move q->rdt to the last slot taken, the caller's new RDT. The status is
 * cleared here and not when the slot is taken because a device model may
 * still be finishing its write of a descriptor whose DD the driver has
 * just seen: QEMU's e1000 writes the 16-byte descriptor with a memcpy
 * that can store the status byte again after the driver cleared it, and a
 * stale DD a ring later hands the driver an old frame while the new one
 * is skipped. The last slot taken is the only one the device may still be
 * writing (it writes slots in order), so it goes back next time.
 */
unsigned e1000_rxq_give_back(struct e1000_rxq *q);

/* 1 if the slot at q->next is completed. */
int e1000_rxq_pending(const struct e1000_rxq *q);

struct e1000_txq {
	volatile struct e1000_tx_desc *desc;
	uint8_t *const *buf;
	unsigned n;
	unsigned tail;              /* next slot to fill (TDT) */
	unsigned clean;             /* oldest slot not yet reclaimed */
};

/*
 * Copy a frame of len (1..E1000_BUF_SIZE) bytes into the slot at tail and
 * advance tail; the caller then writes q->tail to TDT. -1 if the ring is
 * full or len is out of range.
 */
int e1000_txq_put(struct e1000_txq *q, const uint8_t *frame, size_t len);

/* Reclaim slots the device has finished (DD). Returns how many. */
unsigned e1000_txq_reclaim(struct e1000_txq *q);

#endif /* NET_E1000_RING_H */
