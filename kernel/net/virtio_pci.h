/*
 * Virtio over PCI: the two transports a virtio device driver
 * (virtio_net.c) can sit on, behind one small ops table.
 *
 *  - modern (virtio 1.0, 4.1.4): vendor-specific capabilities locate the
 *    common configuration, notification, ISR and device-specific
 *    structures inside memory BARs (virtio_pci.c);
 *  - legacy (virtio 1.0, 4.1.4.8 and 2.4.2, the pre-1.0 interface): a
 *    fixed register block in I/O BAR0, queues at one page-aligned
 *    physical address each (virtio_legacy.c). Used only when a device
 *    offers no modern capabilities.
 *
 * Initialisation order for drivers (3.1.1): virtio_pci_attach,
 * virtio_negotiate, MSI-X set-up and virtio_config_vector, virtio_queue
 * for each queue, virtio_ready.
 */
#ifndef NET_VIRTIO_PCI_H
#define NET_VIRTIO_PCI_H

#include <stddef.h>
#include <stdint.h>

#include <net/pci.h>
#include <net/virtio_regs.h>
#include <net/virtq.h>

#define VIRTIO_MAX_QUEUES 2

struct virtio_pci;

struct virtio_transport {
	/*
	 * Reset, ACKNOWLEDGE, DRIVER, then offer the device's features masked
	 * by `wanted` and require `required` (3.1.1 steps 1-6). Returns the
	 * negotiated set, or 0 (device marked FAILED).
	 */
	uint64_t (*negotiate)(struct virtio_pci *vp, uint64_t wanted, uint64_t required);
	/*
	 * Set up queue `index` with at most `max` slots on fresh pages, MSI-X
	 * entry `msix` (VIRTIO_MSI_NO_VECTOR: none), and enable it.
	 */
	int (*queue)(struct virtio_pci *vp, uint16_t index, uint16_t max,
		     uint16_t msix, struct virtq *q);
	void (*notify)(struct virtio_pci *vp, uint16_t index);
	/* Configuration-change interrupts to MSI-X entry `msix`; -1 if refused. */
	int (*config_vector)(struct virtio_pci *vp, uint16_t msix);
	/* `len` bytes of device-specific configuration at `off`, consistently. */
	int (*read_config)(struct virtio_pci *vp, uint32_t off, void *out, uint32_t len);
	/* Read (and so acknowledge) the ISR status (4.1.4.5). */
	uint8_t (*isr)(struct virtio_pci *vp);
	/* OR bits into the device status (2.1). */
	void (*set_status)(struct virtio_pci *vp, uint8_t bits);
};

struct virtio_pci {
	struct pci_dev *pd;
	const struct virtio_transport *t;
	int legacy;                      /* 1: the pre-1.0 interface */
	/* modern */
	volatile struct virtio_pci_common_cfg *common;
	volatile uint8_t *isr;
	volatile uint8_t *device;        /* device-specific configuration */
	uint32_t device_len;
	volatile uint8_t *notify;
	uint32_t notify_len;
	uint32_t notify_mult;
	volatile uint16_t *qnotify[VIRTIO_MAX_QUEUES];
	/* legacy */
	uint16_t io;                     /* I/O BAR0 base */
	uint32_t io_len;
	int msix;                        /* MSI-X on: device config moves (4.1.4.8) */
};

/*
 * Bind to a virtio PCI function: the modern transport if its capabilities
 * are present and usable, else the legacy one for a transitional device
 * ID with an I/O BAR0. -1 (with a message) if neither works.
 */
int virtio_pci_attach(struct virtio_pci *vp, struct pci_dev *pd);

/* The transports (virtio_pci.c, virtio_legacy.c). */
int virtio_modern_attach(struct virtio_pci *vp, struct pci_dev *pd);
int virtio_legacy_attach(struct virtio_pci *vp, struct pci_dev *pd);

static inline uint64_t virtio_negotiate(struct virtio_pci *vp, uint64_t wanted,
					uint64_t required)
{
	return vp->t->negotiate(vp, wanted, required);
}

static inline int virtio_queue(struct virtio_pci *vp, uint16_t index, uint16_t max,
			       uint16_t msix, struct virtq *q)
{
	return vp->t->queue(vp, index, max, msix, q);
}

static inline void virtio_notify(struct virtio_pci *vp, uint16_t index)
{
	vp->t->notify(vp, index);
}

static inline int virtio_config_vector(struct virtio_pci *vp, uint16_t msix)
{
	return vp->t->config_vector(vp, msix);
}

static inline int virtio_read_config(struct virtio_pci *vp, uint32_t off, void *out,
				     uint32_t len)
{
	return vp->t->read_config(vp, off, out, len);
}

static inline uint8_t virtio_isr(struct virtio_pci *vp)
{
	return vp->t->isr(vp);
}

/* DRIVER_OK (3.1.1 step 8): the device is live. */
static inline void virtio_ready(struct virtio_pci *vp)
{
	vp->t->set_status(vp, VIRTIO_STATUS_DRIVER_OK);
}

/* FAILED (3.1.1): set-up abandoned. */
static inline void virtio_fail(struct virtio_pci *vp)
{
	vp->t->set_status(vp, VIRTIO_STATUS_FAILED);
}

#endif /* NET_VIRTIO_PCI_H */
