/*
 * Network devices, as the rest of the kernel sees them (the demux, the
 * syscalls, tests). Drivers implement netdev_driver.h; users see only
 * this: find a device, read its MAC, link and counters, install a
 * per-ring receive handler, transmit a frame.
 *
 * Receive: every frame a driver takes off RX ring r is handed to that
 * ring's handler, in interrupt context (or the tick's poll) with
 * interrupts off. The handler must not block. The bytes belong to the
 * driver and are reused as soon as it returns, so a handler that keeps a
 * frame copies it (one copy, into the owner's packet ring). It returns 1
 * if it consumed the frame (delivered it somewhere), 0 if not; the latter
 * is counted as rx_dropped. Without an installed handler, frames are
 * counted and dropped.
 *
 * Transmit: netdev_tx() copies the frame into the device's TX ring and
 * returns at once; a full ring is an error (-EXO_EAGAIN), never a wait.
 */
#ifndef NET_NETDEV_H
#define NET_NETDEV_H

#include <stddef.h>
#include <stdint.h>

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_ZLEN 60         /* minimum frame without FCS: shorter ones are padded */
#define ETH_FRAME_MAX 1514  /* largest untagged frame without FCS */
#define ETH_RX_MAX 1518     /* largest accepted on receive (802.1Q tag) */

#define NETDEV_MAX 4
#define NETDEV_MAX_RX_RINGS 4

struct netdev;

typedef int (*netdev_rx_fn)(void *arg, struct netdev *dev, unsigned ring,
			    const uint8_t *frame, size_t len);

struct netdev_stats {
	uint64_t rx_packets;      /* frames handed to a handler */
	uint64_t rx_bytes;
	uint64_t rx_consumed;     /* ... and taken by it */
	uint64_t rx_dropped;      /* ... and refused (no handler, no room) */
	uint64_t rx_errors;       /* bad frames: runt < 14, oversize, split, hw error */
	uint64_t rx_missed;       /* dropped by the device: RX ring full */
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t tx_ring_full;    /* netdev_tx() refused: no free descriptor */
	uint64_t tx_bad_len;      /* netdev_tx() refused: length */
	uint64_t irqs;            /* device interrupts taken */
	uint64_t polls;           /* poll passes (interrupt or tick) */
	uint64_t poll_full;       /* passes that used the whole budget */
};

unsigned netdev_count(void);
struct netdev *netdev_get(unsigned i);

/* "e1000", "virtio-net", ... */
const char *netdev_name(const struct netdev *dev);
void netdev_mac(const struct netdev *dev, uint8_t mac[ETH_ALEN]);
int netdev_link_up(struct netdev *dev);
unsigned netdev_rx_rings(const struct netdev *dev);

/* 1 if the device interrupts; 0 if it is polled from the timer tick. */
int netdev_uses_irq(const struct netdev *dev);

/* Slots of the TX ring (how many frames may be queued at once). */
unsigned netdev_tx_ring_size(const struct netdev *dev);

/*
 * Install fn(arg) as the handler of RX ring `ring`; fn NULL restores the
 * default (count and drop). -EXO_EINVAL for a bad ring.
 */
int netdev_set_rx_handler(struct netdev *dev, unsigned ring, netdev_rx_fn fn,
			  void *arg);

/*
 * Queue one frame (destination MAC first, no FCS). Lengths 14..1513 are
 * padded with zeros to 60 bytes; others return -EXO_EINVAL. A full TX
 * ring returns -EXO_EAGAIN. 0 once queued.
 */
int netdev_tx(struct netdev *dev, const void *frame, size_t len);

/*
 * Batch transmission: while held, netdev_tx() queues frames without
 * telling the device; releasing (hold 0) tells it once about all of them.
 * With the doorbell held the TX ring fills, so this is also how the
 * full-ring path is tested.
 */
void netdev_tx_hold(struct netdev *dev, int hold);

/* Run one poll pass now: RX up to the budget, TX completions. */
void netdev_poll(struct netdev *dev);

/*
 * Idle polling (docs/net.md, "Idle polling"): for `us` microseconds after
 * the last received frame, the scheduler's idle loop polls every device's
 * receive ring instead of halting until an interrupt. 0 turns it off; the
 * kernel command line's idlepoll=US sets it at boot (default 1000).
 */
void netdev_set_idle_poll(unsigned us);

void netdev_stats(const struct netdev *dev, struct netdev_stats *out);

/*
 * Transmit length rule shared by every driver: the length to put on the
 * wire for a frame of `len` bytes, or -1 if it is not sendable.
 */
static inline int netdev_tx_len(size_t len)
{
	if (len < ETH_HLEN || len > ETH_FRAME_MAX)
		return -1;
	return len < ETH_ZLEN ? ETH_ZLEN : (int)len;
}

#endif /* NET_NETDEV_H */
