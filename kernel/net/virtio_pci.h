/*
 * The virtio 1.0 PCI transport (virtio 1.0, 4.1): the vendor-specific
 * capabilities that locate the common configuration, notification, ISR
 * and device-specific structures inside the BARs; the initialisation
 * steps of 3.1.1; and virtqueue set-up (4.1.5.1.3). Device drivers
 * (virtio_net.c) build on this.
 */
#ifndef NET_VIRTIO_PCI_H
#define NET_VIRTIO_PCI_H

#include <stdint.h>

#include <net/pci.h>
#include <net/virtio_regs.h>
#include <net/virtq.h>

struct virtio_pci {
	struct pci_dev *pd;
	volatile struct virtio_pci_common_cfg *common;
	volatile uint8_t *isr;
	volatile uint8_t *device;       /* device-specific configuration */
	uint32_t device_len;
	volatile uint8_t *notify;
	uint32_t notify_len;
	uint32_t notify_mult;
};

/*
 * Find and map the four structures. -1 (with a message) if one is missing
 * or lies outside its BAR: e.g. a legacy-only device.
 */
int virtio_pci_attach(struct virtio_pci *vp, struct pci_dev *pd);

/*
 * 3.1.1 steps 1-6: reset, ACKNOWLEDGE, DRIVER, negotiate: offer the
 * device's features masked by `wanted`, require `required`, set
 * FEATURES_OK and check that the device kept it. Returns the negotiated
 * set, or 0 on failure (the device is then marked FAILED).
 */
uint64_t virtio_pci_negotiate(struct virtio_pci *vp, uint64_t wanted,
			      uint64_t required);

/*
 * Set up queue `index` with at most `max` slots on fresh pages, MSI-X
 * entry `msix` (VIRTIO_MSI_NO_VECTOR: none), and enable it. Stores the
 * notification address in *notify. -1 on failure.
 */
int virtio_pci_queue(struct virtio_pci *vp, uint16_t index, uint16_t max,
		     uint16_t msix, struct virtq *q, volatile uint16_t **notify);

/* Route configuration-change interrupts to MSI-X entry `msix`; -1 if refused. */
int virtio_pci_config_vector(struct virtio_pci *vp, uint16_t msix);

/* Set DRIVER_OK (3.1.1 step 8): the device is live. */
void virtio_pci_ready(struct virtio_pci *vp);

/* Mark the device FAILED (3.1.1): used when set-up is abandoned. */
void virtio_pci_fail(struct virtio_pci *vp);

/* Read `len` bytes of device configuration at `off`, consistently (4.1.4.3.1). */
int virtio_pci_read_config(struct virtio_pci *vp, uint32_t off, void *out,
			   uint32_t len);

#endif /* NET_VIRTIO_PCI_H */
