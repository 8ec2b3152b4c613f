/*
 * The virtio 1.0 ("modern") PCI transport (net/virtio_pci.h), and the
 * choice between it and the legacy one.
 */
#include <arch/cpu.h>
#include <console/console.h>
#include <net/netdev_driver.h>
#include <net/pci_regs.h>
#include <net/virtio_pci.h>
#include <stddef.h>
#include <string.h>

#define RESET_SPINS 1000000

/* 64-bit fields as two 32-bit writes, low half first (4.1.3.1). */
static void wr64(volatile struct virtio_pci_common_cfg *c, size_t off, uint64_t v)
{
	volatile uint32_t *p = (volatile uint32_t *)((volatile uint8_t *)c + off);

	p[0] = (uint32_t)v;
	p[1] = (uint32_t)(v >> 32);
}

static volatile uint8_t *map_cap(struct pci_dev *pd, unsigned cap, uint32_t min,
				 uint32_t *len)
{
	uint8_t bar = (uint8_t)pci_read(pd, (uint16_t)(cap + 4), 1);
	uint32_t off = pci_read(pd, (uint16_t)(cap + 8), 4);
	uint32_t length = pci_read(pd, (uint16_t)(cap + 12), 4);

	if (bar >= PCI_NBARS || length < min ||
	    (uint64_t)off + length > pd->bar[bar].size)
		return NULL;
	volatile uint8_t *base = pci_map_bar(pd, bar);
	if (base == NULL)
		return NULL;
	if (len)
		*len = length;
	return base + off;
}

static const struct virtio_transport modern;

int virtio_modern_attach(struct virtio_pci *vp, struct pci_dev *pd)
{
	memset(vp, 0, sizeof(*vp));
	vp->pd = pd;
	vp->t = &modern;
	/* 4.1.4: the first capability of each type that the driver can use wins. */
	for (unsigned cap = pci_cap_find(&pd->cfg, PCI_CAP_VENDOR, 0); cap;
	     cap = pci_cap_find(&pd->cfg, PCI_CAP_VENDOR, cap)) {
		uint8_t type = (uint8_t)pci_read(pd, (uint16_t)(cap + 3), 1);
		uint8_t caplen = (uint8_t)pci_read(pd, (uint16_t)(cap + 2), 1);
		if (caplen < sizeof(struct virtio_pci_cap))
			continue;
		if (type == VIRTIO_PCI_CAP_COMMON && !vp->common)
			vp->common = (volatile void *)map_cap(pd, cap,
				sizeof(struct virtio_pci_common_cfg), NULL);
		else if (type == VIRTIO_PCI_CAP_ISR && !vp->isr)
			vp->isr = map_cap(pd, cap, 1, NULL);
		else if (type == VIRTIO_PCI_CAP_DEVICE && !vp->device)
			vp->device = map_cap(pd, cap, 1, &vp->device_len);
		else if (type == VIRTIO_PCI_CAP_NOTIFY && !vp->notify &&
			 caplen >= sizeof(struct virtio_pci_cap) + 4) {
			vp->notify = map_cap(pd, cap, 2, &vp->notify_len);
			vp->notify_mult = pci_read(pd, (uint16_t)(cap + VIRTIO_PCI_NOTIFY_MULT_OFF), 4);
		}
	}
	if (!vp->common || !vp->isr || !vp->device || !vp->notify)
		return -1;
	pci_enable(pd, PCI_CMD_MEMORY | PCI_CMD_BUS_MASTER);
	return 0;
}

static void set_status(struct virtio_pci *vp, uint8_t bits)
{
	vp->common->device_status = vp->common->device_status | bits;
}

static uint64_t negotiate(struct virtio_pci *vp, uint64_t wanted,
			      uint64_t required)
{
	volatile struct virtio_pci_common_cfg *c = vp->common;
	uint64_t dev = 0;

	/* 4.1.4.3.2: writing 0 resets; reset is done when 0 reads back. */
	c->device_status = 0;
	for (int i = 0; c->device_status != 0; i++) {
		if (i == RESET_SPINS)
			return 0;
		cpu_relax();
	}
	set_status(vp, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(vp, VIRTIO_STATUS_DRIVER);
	for (uint32_t sel = 0; sel < 2; sel++) {
		c->device_feature_select = sel;
		dev |= (uint64_t)c->device_feature << (32 * sel);
	}
	uint64_t use = dev & wanted;
	if ((use & required) != required) {
		printk("virtio: device features %#lx lack required %#lx\n",
		       (unsigned long)dev, (unsigned long)required);
		set_status(vp, VIRTIO_STATUS_FAILED);
		return 0;
	}
	for (uint32_t sel = 0; sel < 2; sel++) {
		c->driver_feature_select = sel;
		c->driver_feature = (uint32_t)(use >> (32 * sel));
	}
	set_status(vp, VIRTIO_STATUS_FEATURES_OK);
	if (!(c->device_status & VIRTIO_STATUS_FEATURES_OK)) {
		printk("virtio: device refused features %#lx\n", (unsigned long)use);
		set_status(vp, VIRTIO_STATUS_FAILED);
		return 0;
	}
	return use;
}

static int queue(struct virtio_pci *vp, uint16_t index, uint16_t max,
		 uint16_t msix, struct virtq *q)
{
	volatile struct virtio_pci_common_cfg *c = vp->common;
	uint64_t dpa, apa, upa;

	if (index >= c->num_queues || index >= VIRTIO_MAX_QUEUES)
		return -1;
	c->queue_select = index;
	uint16_t n = c->queue_size;  /* the device's maximum; 0: unavailable */
	if (n == 0 || c->queue_enable)
		return -1;
	while (n > max)
		n /= 2;  /* queue sizes are powers of two (2.4) */
	void *desc = netdev_dma_page(&dpa);
	void *avail = netdev_dma_page(&apa);
	void *used = netdev_dma_page(&upa);
	if (!desc || !avail || !used || virtq_init(q, n, desc, avail, used) < 0)
		return -1;
	uint64_t noff = (uint64_t)c->queue_notify_off * vp->notify_mult;
	if (noff + 2 > vp->notify_len)
		return -1;
	c->queue_size = n;
	wr64(c, offsetof(struct virtio_pci_common_cfg, queue_desc), dpa);
	wr64(c, offsetof(struct virtio_pci_common_cfg, queue_avail), apa);
	wr64(c, offsetof(struct virtio_pci_common_cfg, queue_used), upa);
	c->queue_msix_vector = msix;
	if (c->queue_msix_vector != msix)
		return -1;  /* 4.1.5.1.2: the device could not map the vector */
	c->queue_enable = 1;
	vp->qnotify[index] = (volatile uint16_t *)(vp->notify + noff);
	return 0;
}

/* 4.1.4.4: write the queue index at the queue's notification address. */
static void notify(struct virtio_pci *vp, uint16_t index)
{
	*vp->qnotify[index] = index;
}

static int config_vector(struct virtio_pci *vp, uint16_t msix)
{
	vp->common->msix_config = msix;
	return vp->common->msix_config == msix ? 0 : -1;
}

static uint8_t isr(struct virtio_pci *vp)
{
	return *vp->isr;
}

static int read_config(struct virtio_pci *vp, uint32_t off, void *out, uint32_t len)
{
	uint8_t *o = out;

	if ((uint64_t)off + len > vp->device_len)
		return -1;
	/* Retry while the generation changes under us (4.1.4.3.1). */
	for (int tries = 0; tries < 100; tries++) {
		uint8_t gen = vp->common->config_generation;
		for (uint32_t i = 0; i < len; i++)
			o[i] = vp->device[off + i];
		if (vp->common->config_generation == gen)
			return 0;
	}
	return -1;
}

static const struct virtio_transport modern = {
	.negotiate = negotiate,
	.queue = queue,
	.notify = notify,
	.config_vector = config_vector,
	.read_config = read_config,
	.isr = isr,
	.set_status = set_status,
};

int virtio_pci_attach(struct virtio_pci *vp, struct pci_dev *pd)
{
	if (virtio_modern_attach(vp, pd) == 0)
		return 0;
	/* Transitional IDs 0x1000-0x103f keep the legacy interface (4.1.2.1). */
	if (pd->device < 0x1040 && virtio_legacy_attach(vp, pd) == 0) {
		printk("virtio: %02x:%02x.%u has no virtio 1.0 capabilities; legacy interface\n",
		       pd->bus, pd->slot, pd->fn);
		return 0;
	}
	printk("virtio: %02x:%02x.%u: neither a usable virtio 1.0 nor a legacy interface\n",
	       pd->bus, pd->slot, pd->fn);
	return -1;
}
