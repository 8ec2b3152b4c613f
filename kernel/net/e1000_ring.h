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
 * `budget` frames' worth. Every completed slot is cleared and returned to
 * the device (tail), whatever was in it. A frame whose first descriptor
 * lacks EOP (longer than a buffer) is discarded through its last
 * descriptor and counted once as an error.
 */
struct e1000_rx_result e1000_rxq_poll(struct e1000_rxq *q, unsigned budget,
				      e1000_rx_fn fn, void *ctx);

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
