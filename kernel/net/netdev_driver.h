/*
 * The driver side of net/netdev.h. A driver fills a struct netdev_ops
 * (designated initializers) and registers one struct netdev per port;
 * netdev.c owns everything common: the length rule and padding on
 * transmit, the per-ring receive handlers and counters, and the
 * interrupt/poll state machine.
 *
 * Interrupts with polling under load (as Linux's NAPI): the driver's
 * interrupt handler acknowledges the device and calls netdev_irq(), which
 * masks the device's interrupts and runs a poll pass of at most
 * NETDEV_BUDGET frames. If the pass used the whole budget, more frames are
 * waiting: interrupts stay masked and the timer tick keeps polling (up to
 * NETDEV_TICK_PASSES passes per tick) until a pass comes up short; then
 * interrupts are unmasked, and the rings are looked at once more to catch
 * a frame that arrived in between.
 */
#ifndef NET_NETDEV_DRIVER_H
#define NET_NETDEV_DRIVER_H

#include <net/netdev.h>
#include <net/pci.h>

#define NETDEV_BUDGET 64
/*
 * Passes per tick while a device is under load: bounds the time the tick
 * spends in one NIC to NETDEV_TICK_PASSES * NETDEV_BUDGET frames, i.e. a
 * ceiling of 256 frames per millisecond per device in polling mode.
 */
#define NETDEV_TICK_PASSES 4

struct netdev_ops {
	/*
	 * Put `len` bytes (already checked and padded, ETH_ZLEN..ETH_FRAME_MAX)
	 * on the TX ring; -EXO_EAGAIN if no descriptor is free.
	 */
	int (*xmit)(struct netdev *dev, const uint8_t *frame, size_t len);
	/* Take up to `budget` frames off RX ring `ring`; returns how many. */
	unsigned (*rx_poll)(struct netdev *dev, unsigned ring, unsigned budget);
	/*
	 * hold 1: stop ringing the doorbell (TDT, queue notify) on xmit, so
	 * frames queue without the device seeing them; hold 0: ring it once
	 * for everything queued.
	 */
	void (*tx_hold)(struct netdev *dev, int hold);
	/* Recycle completed TX descriptors. */
	void (*tx_reclaim)(struct netdev *dev);
	/* 1 if RX ring `ring` holds frames not yet taken. */
	int (*rx_pending)(struct netdev *dev, unsigned ring);
	/* Mask / unmask the device's receive interrupts. */
	void (*irq_mask)(struct netdev *dev);
	void (*irq_unmask)(struct netdev *dev);
	int (*link_up)(struct netdev *dev);
};

struct netdev_rx_hook {
	netdev_rx_fn fn;
	void *arg;
};

struct netdev {
	const char *name;
	const struct netdev_ops *ops;
	void *priv;                     /* the driver's state */
	uint8_t mac[ETH_ALEN];
	unsigned nrx;                   /* RX rings */
	unsigned tx_size;               /* TX descriptors */
	int use_irq;                    /* 0: polled from the tick */
	int polling;                    /* interrupts masked, tick polls */
	struct netdev_rx_hook rx[NETDEV_MAX_RX_RINGS];
	struct netdev_stats stats;
};

/* One PCI driver: claims functions by ID and brings them up. */
struct netdev_pci_driver {
	const char *name;
	int (*match)(const struct pci_dev *pd);
	/* Set the device up and netdev_register() it; <0 on failure. */
	int (*attach)(struct pci_dev *pd);
};

extern const struct netdev_pci_driver e1000_driver;
extern const struct netdev_pci_driver virtio_net_driver;

/* Make dev visible to netdev_get(); -EXO_ENOMEM if the table is full. */
int netdev_register(struct netdev *dev);

/* From the driver's interrupt handler, after acknowledging the device. */
void netdev_irq(struct netdev *dev);

/*
 * From rx_poll: one received frame of `len` bytes at `frame` on `ring`.
 * Lengths outside ETH_HLEN..ETH_RX_MAX count as rx_errors and go no
 * further.
 */
void netdev_rx_deliver(struct netdev *dev, unsigned ring, const uint8_t *frame,
		       size_t len);

/* From rx_poll: a frame the device flagged bad or split over descriptors. */
static inline void netdev_rx_error(struct netdev *dev)
{
	dev->stats.rx_errors++;
}

/*
 * A zeroed page for descriptor rings or buffers: its kernel virtual
 * address, and its physical address (for the device) in *pa. NULL when
 * memory is exhausted.
 */
void *netdev_dma_page(uint64_t *pa);

#endif /* NET_NETDEV_DRIVER_H */
