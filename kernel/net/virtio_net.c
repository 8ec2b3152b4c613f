/*
 * Driver for virtio-net over PCI (QEMU's -device virtio-net-pci), behind
 * netdev: virtio 1.0, or the legacy interface as a fallback
 * (net/virtio_pci.h).
 *
 * Queues (5.1.2): receiveq1 = 0 and transmitq1 = 1, at most 128 slots
 * each (legacy: the device's size, up to 256), every slot owning a
 * 2048-byte buffer (two per page) that holds the struct virtio_net_hdr
 * (12 bytes; 10 on legacy) and the frame. No offloads and no
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

#define SLOTS 128          /* what the driver asks of a modern device */
#define BUF_SIZE 2048
#define MAX_UNITS 2
#define MSIX_CONFIG 0
#define MSIX_RX 1

struct vnet {
	struct netdev nd;
	struct virtio_pci vp;
	uint64_t features;
	size_t hdr_len;
	struct virtq rxq, txq;
	uint8_t *rxbuf[VIRTQ_MAX], *txbuf[VIRTQ_MAX];
	uint64_t rxbuf_pa[VIRTQ_MAX], txbuf_pa[VIRTQ_MAX];
	uint64_t config_irqs;
	int tx_hold;
};

static struct vnet units[MAX_UNITS];
static unsigned nunits;

static void kick(struct vnet *v, struct virtq *q, uint16_t index)
{
	if (virtq_kick_needed(q))
		virtio_notify(&v->vp, index);
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
		if (len < v->hdr_len || len > BUF_SIZE)
			netdev_rx_error(nd);
		else
			netdev_rx_deliver(nd, 0, v->rxbuf[id] + v->hdr_len, len - v->hdr_len);
	}
	if (rx_refill(v))
		kick(v, &v->rxq, VIRTIO_NET_RXQ);
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

	if (len + v->hdr_len > BUF_SIZE)
		return -EXO_EINVAL;
	int id = virtq_alloc(&v->txq);
	if (id < 0)
		return -EXO_EAGAIN;
	memset(v->txbuf[id], 0, v->hdr_len);
	memcpy(v->txbuf[id] + v->hdr_len, frame, len);
	v->txq.desc[id].addr = v->txbuf_pa[id];
	v->txq.desc[id].len = (uint32_t)(v->hdr_len + len);
	v->txq.desc[id].flags = 0;
	virtq_post(&v->txq, (uint16_t)id);
	if (!v->tx_hold)
		kick(v, &v->txq, VIRTIO_NET_TXQ);
	return 0;
}

static void vnet_tx_hold(struct netdev *nd, int hold)
{
	struct vnet *v = nd->priv;

	v->tx_hold = hold;
	if (!hold)
		kick(v, &v->txq, VIRTIO_NET_TXQ);
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
	if (virtio_read_config(&v->vp, offsetof(struct virtio_net_config, status),
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
	uint8_t isr = virtio_isr(&v->vp);

	if (isr & VIRTIO_ISR_CONFIG)
		v->config_irqs++;
	if (isr & VIRTIO_ISR_QUEUE)
		netdev_irq(&v->nd);
}

static int alloc_bufs(uint8_t **va, uint64_t *pa, unsigned n)
{
	for (unsigned i = 0; i < n; i += 2) {
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
	    virtio_config_vector(&v->vp, MSIX_CONFIG) == 0)
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

	if (virtio_queue(&v->vp, VIRTIO_NET_RXQ, SLOTS, rx_vec, &v->rxq) < 0 ||
	    virtio_queue(&v->vp, VIRTIO_NET_TXQ, SLOTS, VIRTIO_MSI_NO_VECTOR, &v->txq) < 0)
		return -1;
	if (alloc_bufs(v->rxbuf, v->rxbuf_pa, v->rxq.n) < 0 ||
	    alloc_bufs(v->txbuf, v->txbuf_pa, v->txq.n) < 0)
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

	if (virtio_pci_attach(&v->vp, pd) < 0)
		return -1;
	/*
	 * Modern devices must speak VERSION_1; legacy ones cannot, and must
	 * accept the header and the frame in one descriptor (ANY_LAYOUT).
	 */
	uint64_t need = 1ull << VIRTIO_NET_F_MAC |
			(v->vp.legacy ? 1ull << VIRTIO_F_ANY_LAYOUT : 1ull << VIRTIO_F_VERSION_1);
	v->features = virtio_negotiate(&v->vp, need | 1ull << VIRTIO_NET_F_STATUS, need);
	if (v->features == 0)
		return -1;
	v->hdr_len = v->vp.legacy ? VIRTIO_NET_HDR_LEGACY_LEN : sizeof(struct virtio_net_hdr);
	v->nd = (struct netdev){ .name = "virtio-net", .ops = &vnet_ops, .priv = v,
				 .nrx = 1 };
	if (virtio_read_config(&v->vp, 0, v->nd.mac, ETH_ALEN) < 0)
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
	virtio_ready(&v->vp);
	kick(v, &v->rxq, VIRTIO_NET_RXQ);
	printk("virtio-net: %s, %u RX / %u TX slots, %s\n",
	       v->vp.legacy ? "legacy" : "virtio 1.0", v->rxq.n, v->txq.n,
	       msix ? "MSI-X" : v->nd.use_irq ? "INTx" : "no interrupts");
	nunits++;
	return 0;
fail:
	virtio_fail(&v->vp);
	return -1;
}

const struct netdev_pci_driver virtio_net_driver = {
	.name = "virtio-net",
	.match = vnet_match,
	.attach = vnet_attach,
};
