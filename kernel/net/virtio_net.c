/*
 * Driver for virtio-net over PCI (QEMU's -device virtio-net-pci), virtio
 * 1.0 only, behind netdev.
 *
 * Queues (5.1.2): receiveq1 = 0 and transmitq1 = 1, at most 128 slots
 * each, every slot owning a 2048-byte buffer (two per page) that holds the
 * 12-byte struct virtio_net_hdr and the frame. No offloads and no
 * mergeable buffers are negotiated, so every frame arrives whole in one
 * buffer (5.1.6.3: buffers of at least 1526 bytes) and is sent with an
 * all-zero header.
 *
 * Interrupts: MSI-X entry 0 for configuration changes (link status),
 * entry 1 for the receive queue; transmit completions are collected by
 * polling, so the transmit queue has no vector and interrupts suppressed.
 * If MSI-X cannot be set up, INTx through the I/O APIC with the ISR
 * register as the acknowledgement (4.1.4.5). The receive interrupt is
 * masked during a poll pass with VIRTQ_AVAIL_F_NO_INTERRUPT (2.4.7).
 */
#include <arch/irq.h>
#include <console/console.h>
#include <exo/errno.h>
#include <net/netdev_driver.h>
#include <net/virtio_pci.h>
#include <string.h>

#define SLOTS 128
#define BUF_SIZE 2048
#define HDR_LEN sizeof(struct virtio_net_hdr)
#define MAX_UNITS 2
#define MSIX_CONFIG 0
#define MSIX_RX 1

struct vnet {
	struct netdev nd;
	struct virtio_pci vp;
	uint64_t features;
	struct virtq rxq, txq;
	volatile uint16_t *rx_notify, *tx_notify;
	uint8_t *rxbuf[SLOTS], *txbuf[SLOTS];
	uint64_t rxbuf_pa[SLOTS], txbuf_pa[SLOTS];
	uint64_t config_irqs;
	int tx_hold;
};

static struct vnet units[MAX_UNITS];
static unsigned nunits;

static void kick(struct virtq *q, volatile uint16_t *notify, uint16_t index)
{
	if (virtq_kick_needed(q))
		*notify = index;  /* 4.1.4.4: write the queue index */
}

/* Post every free RX slot; returns how many. */
static unsigned rx_refill(struct vnet *v)
{
	unsigned n = 0;
	int id;

	while ((id = virtq_alloc(&v->rxq)) >= 0) {
		v->rxq.desc[id].addr = v->rxbuf_pa[id];
		v->rxq.desc[id].len = BUF_SIZE;
		v->rxq.desc[id].flags = VIRTQ_DESC_F_WRITE;
		virtq_post(&v->rxq, (uint16_t)id);
		n++;
	}
	return n;
}

static unsigned vnet_rx_poll(struct netdev *nd, unsigned ring, unsigned budget)
{
	struct vnet *v = nd->priv;
	unsigned done = 0;
	uint16_t id;
	uint32_t len;

	(void)ring;
	while (done < budget && virtq_get(&v->rxq, &id, &len)) {
		done++;
		/* The device wrote `len` bytes: header, then the frame. */
		if (len < HDR_LEN || len > BUF_SIZE)
			netdev_rx_error(nd);
		else
			netdev_rx_deliver(nd, 0, v->rxbuf[id] + HDR_LEN, len - HDR_LEN);
	}
	if (rx_refill(v))
		kick(&v->rxq, v->rx_notify, VIRTIO_NET_RXQ);
	nd->stats.rx_errors += v->rxq.bad;
	v->rxq.bad = 0;
	return done;
}

static int vnet_rx_pending(struct netdev *nd, unsigned ring)
{
	struct vnet *v = nd->priv;

	(void)ring;
	return virtq_pending(&v->rxq);
}

static void vnet_tx_reclaim(struct netdev *nd)
{
	struct vnet *v = nd->priv;
	uint16_t id;
	uint32_t len;

	while (virtq_get(&v->txq, &id, &len))
		;
}

static int vnet_xmit(struct netdev *nd, const uint8_t *frame, size_t len)
{
	struct vnet *v = nd->priv;

	if (len + HDR_LEN > BUF_SIZE)
		return -EXO_EINVAL;
	int id = virtq_alloc(&v->txq);
	if (id < 0)
		return -EXO_EAGAIN;
	memset(v->txbuf[id], 0, HDR_LEN);
	memcpy(v->txbuf[id] + HDR_LEN, frame, len);
	v->txq.desc[id].addr = v->txbuf_pa[id];
	v->txq.desc[id].len = (uint32_t)(HDR_LEN + len);
	v->txq.desc[id].flags = 0;
	virtq_post(&v->txq, (uint16_t)id);
	if (!v->tx_hold)
		kick(&v->txq, v->tx_notify, VIRTIO_NET_TXQ);
	return 0;
}

static void vnet_tx_hold(struct netdev *nd, int hold)
{
	struct vnet *v = nd->priv;

	v->tx_hold = hold;
	if (!hold)
		kick(&v->txq, v->tx_notify, VIRTIO_NET_TXQ);
}

static void vnet_irq_mask(struct netdev *nd)
{
	virtq_irq(&((struct vnet *)nd->priv)->rxq, 0);
}

static void vnet_irq_unmask(struct netdev *nd)
{
	virtq_irq(&((struct vnet *)nd->priv)->rxq, 1);
}

static int vnet_link_up(struct netdev *nd)
{
	struct vnet *v = nd->priv;
	uint16_t status;

	if (!(v->features & (1ull << VIRTIO_NET_F_STATUS)))
		return 1;  /* 5.1.4: without STATUS the link is assumed up */
	if (virtio_pci_read_config(&v->vp, offsetof(struct virtio_net_config, status),
				   &status, sizeof(status)) < 0)
		return 0;
	return (status & VIRTIO_NET_S_LINK_UP) != 0;
}

static const struct netdev_ops vnet_ops = {
	.xmit = vnet_xmit,
	.rx_poll = vnet_rx_poll,
	.tx_hold = vnet_tx_hold,
	.tx_reclaim = vnet_tx_reclaim,
	.rx_pending = vnet_rx_pending,
	.irq_mask = vnet_irq_mask,
	.irq_unmask = vnet_irq_unmask,
	.link_up = vnet_link_up,
};

static void vnet_rx_intr(void *arg)
{
	struct vnet *v = arg;

	netdev_irq(&v->nd);
}

static void vnet_config_intr(void *arg)
{
	struct vnet *v = arg;

	v->config_irqs++;
}

/* INTx: reading the ISR acknowledges and says why (4.1.4.5). */
static void vnet_intx(void *arg)
{
	struct vnet *v = arg;
	uint8_t isr = *v->vp.isr;

	if (isr & VIRTIO_ISR_CONFIG)
		v->config_irqs++;
	if (isr & VIRTIO_ISR_QUEUE)
		netdev_irq(&v->nd);
}

static int alloc_bufs(uint8_t **va, uint64_t *pa)
{
	for (unsigned i = 0; i < SLOTS; i += 2) {
		uint64_t p;
		uint8_t *b = netdev_dma_page(&p);
		if (b == NULL)
			return -1;
		va[i] = b;
		pa[i] = p;
		va[i + 1] = b + BUF_SIZE;
		pa[i + 1] = p + BUF_SIZE;
	}
	return 0;
}

/* MSI-X vectors 0 (config) and 1 (RX); 1 on success, 0 to fall back. */
static int setup_msix(struct vnet *v)
{
	int vec[2];

	vec[MSIX_CONFIG] = irq_alloc(vnet_config_intr, v, "virtio-net config");
	vec[MSIX_RX] = irq_alloc(vnet_rx_intr, v, "virtio-net rx");
	if (vec[0] >= 0 && vec[1] >= 0 && pci_msix_enable(v->vp.pd, 2, vec) == 0 &&
	    virtio_pci_config_vector(&v->vp, MSIX_CONFIG) == 0)
		return 1;
	irq_free(vec[0]);
	irq_free(vec[1]);
	return 0;
}

static int setup_intx(struct vnet *v)
{
	uint8_t line = v->vp.pd->irq_line;

	if (v->vp.pd->irq_pin == 0 || line == 0 || line >= 16)
		return 0;
	int vec = irq_alloc(vnet_intx, v, "virtio-net intx");
	if (vec >= 0 && irq_route_isa(line, vec, 1, 1) == 0)
		return 1;
	irq_free(vec);
	return 0;
}

static int setup_queues(struct vnet *v, int msix)
{
	uint16_t rx_vec = msix ? MSIX_RX : VIRTIO_MSI_NO_VECTOR;

	if (virtio_pci_queue(&v->vp, VIRTIO_NET_RXQ, SLOTS, rx_vec, &v->rxq,
			     &v->rx_notify) < 0 ||
	    virtio_pci_queue(&v->vp, VIRTIO_NET_TXQ, SLOTS, VIRTIO_MSI_NO_VECTOR,
			     &v->txq, &v->tx_notify) < 0)
		return -1;
	if (alloc_bufs(v->rxbuf, v->rxbuf_pa) < 0 || alloc_bufs(v->txbuf, v->txbuf_pa) < 0)
		return -1;
	virtq_irq(&v->txq, 0);
	rx_refill(v);
	return 0;
}

static int vnet_match(const struct pci_dev *pd)
{
	return pd->vendor == VIRTIO_VENDOR && (pd->device == VIRTIO_DEV_NET_MODERN ||
					       pd->device == VIRTIO_DEV_NET_LEGACY);
}

static int vnet_attach(struct pci_dev *pd)
{
	if (nunits == MAX_UNITS)
		return -1;
	struct vnet *v = &units[nunits];
	const uint64_t need = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_NET_F_MAC;

	if (virtio_pci_attach(&v->vp, pd) < 0)
		return -1;
	v->features = virtio_pci_negotiate(&v->vp, need | 1ull << VIRTIO_NET_F_STATUS, need);
	if (v->features == 0)
		return -1;
	v->nd = (struct netdev){ .name = "virtio-net", .ops = &vnet_ops, .priv = v,
				 .nrx = 1 };
	if (virtio_pci_read_config(&v->vp, 0, v->nd.mac, ETH_ALEN) < 0)
		goto fail;
	int msix = irq_available() && setup_msix(v);
	if (setup_queues(v, msix) < 0) {
		printk("virtio-net: queue set-up failed\n");
		goto fail;
	}
	v->nd.tx_size = v->txq.n;
	v->nd.use_irq = msix || (irq_available() && setup_intx(v));
	if (netdev_register(&v->nd) < 0)
		goto fail;
	virtio_pci_ready(&v->vp);
	kick(&v->rxq, v->rx_notify, VIRTIO_NET_RXQ);
	printk("virtio-net: %u RX / %u TX slots, %s\n", v->rxq.n, v->txq.n,
	       msix ? "MSI-X" : v->nd.use_irq ? "INTx" : "no interrupts");
	nunits++;
	return 0;
fail:
	virtio_pci_fail(&v->vp);
	return -1;
}

const struct netdev_pci_driver virtio_net_driver = {
	.name = "virtio-net",
	.match = vnet_match,
	.attach = vnet_attach,
};
