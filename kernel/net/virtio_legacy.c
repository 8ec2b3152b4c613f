/*
 * The legacy (pre-1.0) virtio PCI transport (net/virtio_pci.h): the
 * register block in I/O BAR0 (virtio 1.0, 4.1.4.8) and queues laid out at
 * one physical address: descriptor table, available ring, then the used
 * ring at the next 4096-byte boundary (2.4.2). The device fixes the queue
 * size; the driver cannot shrink it. Only feature bits 0-31 exist, and
 * there is no FEATURES_OK handshake.
 */
#include <arch/cpu.h>
#include <console/console.h>
#include <mm/phys.h>
#include <mm/pmem.h>
#include <net/pci_regs.h>
#include <net/virtio_pci.h>
#include <portio.h>
#include <string.h>

#define RESET_SPINS 1000000

static void set_status(struct virtio_pci *vp, uint8_t bits)
{
	uint16_t port = vp->io + VIRTIO_LEGACY_STATUS;

	outb(port, inb(port) | bits);
}

static uint64_t negotiate(struct virtio_pci *vp, uint64_t wanted, uint64_t required)
{
	outb(vp->io + VIRTIO_LEGACY_STATUS, 0);  /* reset */
	for (int i = 0; inb(vp->io + VIRTIO_LEGACY_STATUS) != 0; i++) {
		if (i == RESET_SPINS)
			return 0;
		cpu_relax();
	}
	set_status(vp, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(vp, VIRTIO_STATUS_DRIVER);
	uint64_t use = inl(vp->io + VIRTIO_LEGACY_DEVICE_FEATURES) & wanted;
	if ((use & required) != required) {
		printk("virtio: legacy device lacks required features %#lx\n",
		       (unsigned long)(required & ~use));
		set_status(vp, VIRTIO_STATUS_FAILED);
		return 0;
	}
	outl(vp->io + VIRTIO_LEGACY_DRIVER_FEATURES, (uint32_t)use);
	return use;
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static int queue(struct virtio_pci *vp, uint16_t index, uint16_t max,
		 uint16_t msix, struct virtq *q)
{
	(void)max;  /* legacy queues have the device's size, take it or leave it */
	if (index >= VIRTIO_MAX_QUEUES)
		return -1;
	outw(vp->io + VIRTIO_LEGACY_QUEUE_SELECT, index);
	uint16_t n = inw(vp->io + VIRTIO_LEGACY_QUEUE_SIZE);
	if (n == 0 || n > VIRTQ_MAX || inl(vp->io + VIRTIO_LEGACY_QUEUE_PFN) != 0)
		return -1;
	uint32_t used_off = align_up(VIRTQ_DESC_BYTES(n) + VIRTQ_AVAIL_BYTES(n),
				     VIRTIO_LEGACY_QUEUE_ALIGN);
	uint32_t pages = align_up(used_off + VIRTQ_USED_BYTES(n), 4096) / 4096;
	uint64_t pa = pmem_alloc_contig(pages);
	if (pa == 0)
		return -1;
	uint8_t *va = pa2va(pa);
	if (virtq_init(q, n, (void *)va, (void *)(va + VIRTQ_DESC_BYTES(n)),
		       (void *)(va + used_off)) < 0)
		return -1;
	if (vp->msix) {
		outw(vp->io + VIRTIO_LEGACY_MSIX_QUEUE, msix);
		if (inw(vp->io + VIRTIO_LEGACY_MSIX_QUEUE) != msix)
			return -1;
	}
	outl(vp->io + VIRTIO_LEGACY_QUEUE_PFN, (uint32_t)(pa >> VIRTIO_LEGACY_PFN_SHIFT));
	return 0;
}

static void notify(struct virtio_pci *vp, uint16_t index)
{
	outw(vp->io + VIRTIO_LEGACY_QUEUE_NOTIFY, index);
}

/* Called once MSI-X is enabled: from now on the config block sits at 0x18. */
static int config_vector(struct virtio_pci *vp, uint16_t msix)
{
	vp->msix = 1;
	outw(vp->io + VIRTIO_LEGACY_MSIX_CONFIG, msix);
	return inw(vp->io + VIRTIO_LEGACY_MSIX_CONFIG) == msix ? 0 : -1;
}

/* Legacy has no generation counter: one pass, bounded by the BAR. */
static int read_config(struct virtio_pci *vp, uint32_t off, void *out, uint32_t len)
{
	uint32_t base = vp->msix ? VIRTIO_LEGACY_CONFIG_MSIX : VIRTIO_LEGACY_CONFIG;
	uint8_t *o = out;

	if ((uint64_t)base + off + len > vp->io_len)
		return -1;
	for (uint32_t i = 0; i < len; i++)
		o[i] = inb((uint16_t)(vp->io + base + off + i));
	return 0;
}

static uint8_t isr(struct virtio_pci *vp)
{
	return inb(vp->io + VIRTIO_LEGACY_ISR);
}

static const struct virtio_transport legacy = {
	.negotiate = negotiate,
	.queue = queue,
	.notify = notify,
	.config_vector = config_vector,
	.read_config = read_config,
	.isr = isr,
	.set_status = set_status,
};

int virtio_legacy_attach(struct virtio_pci *vp, struct pci_dev *pd)
{
	struct pci_bar *b = &pd->bar[0];

	memset(vp, 0, sizeof(*vp));
	if (b->kind != PCI_BAR_PORT || b->size < VIRTIO_LEGACY_CONFIG || b->base == 0)
		return -1;
	vp->pd = pd;
	vp->t = &legacy;
	vp->legacy = 1;
	vp->io = (uint16_t)b->base;
	vp->io_len = (uint32_t)b->size;
	pci_enable(pd, PCI_CMD_IO | PCI_CMD_BUS_MASTER);
	return 0;
}
