/*
 * Driver for the Intel 82540EM (QEMU's -device e1000), behind netdev.
 *
 * Rings: 128 legacy RX descriptors with 2048-byte buffers (RCTL.BSIZE,
 * CRC stripped) and 128 TX descriptors, each slot owning one buffer the
 * frame is copied into. Descriptor rings and buffers are single pages
 * (a page holds two buffers), so no physically contiguous run is needed.
 *
 * Interrupts: wired INTx (the 82540EM has no MSI), routed through the
 * I/O APIC from the interrupt-line register the firmware programmed (see
 * arch/x86_64/irq.c). Receive causes are masked with IMC while a poll
 * pass runs and unmasked with IMS afterwards (netdev_driver.h); the
 * device raises the line again at once if a cause is still pending.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <console/console.h>
#include <exo/errno.h>
#include <net/e1000_regs.h>
#include <net/e1000_ring.h>
#include <net/netdev_driver.h>
#include <net/pci_regs.h>
#include <time/timer.h>

#define RX_SLOTS 128
#define TX_SLOTS 128
#define MAX_UNITS 2
#define RX_CAUSES (ICR_RXT0 | ICR_RXO | ICR_RXDMT0 | ICR_LSC)
/*
 * Register accesses are what a frame costs under a hypervisor (each one
 * is an exit): completed RX slots go back to the device (RDT) in batches
 * of RDT_BATCH, which still leaves it RX_SLOTS - RDT_BATCH free slots, and
 * the missed-packet counter (MPC) is read every MPC_EVERY polls, or at
 * once when a pass is busy enough that misses are possible.
 */
#define RDT_BATCH 16
#define MPC_EVERY 64

struct e1000 {
	struct netdev nd;
	struct pci_dev *pd;
	volatile uint32_t *regs;
	struct e1000_rxq rxq;
	struct e1000_txq txq;
	uint8_t *rxbuf[RX_SLOTS];
	uint8_t *txbuf[TX_SLOTS];
	uint64_t rxbuf_pa[RX_SLOTS];
	uint64_t txbuf_pa[TX_SLOTS];
	int vector;
	int tx_hold;
	unsigned polls;
};

static struct e1000 units[MAX_UNITS];
static unsigned nunits;

static uint32_t rd(struct e1000 *e, uint32_t reg)
{
	return e->regs[reg / 4];
}

static void wr(struct e1000 *e, uint32_t reg, uint32_t v)
{
	e->regs[reg / 4] = v;
}

/* Spin up to `us` microseconds (TSC) for (reg & bit) == want. */
static int wait_bit(struct e1000 *e, uint32_t reg, uint32_t bit, int want,
		    uint32_t us)
{
	uint64_t end = rdtsc() + timer_tsc_hz() / 1000000 * us;

	do {
		if (!!(rd(e, reg) & bit) == want)
			return 0;
		cpu_relax();
	} while (rdtsc() < end);
	return -1;
}

static void rx_one(void *ctx, const uint8_t *frame, size_t len)
{
	netdev_rx_deliver(ctx, 0, frame, len);
}

static unsigned e1000_rx_poll(struct netdev *nd, unsigned ring, unsigned budget)
{
	struct e1000 *e = nd->priv;

	(void)ring;
	struct e1000_rx_result r = e1000_rxq_poll(&e->rxq, budget, rx_one, nd);
	nd->stats.rx_errors += r.errors;
	if (e1000_rxq_taken(&e->rxq) >= RDT_BATCH)
		wr(e, E1000_RDT, e1000_rxq_give_back(&e->rxq));
	if (++e->polls % MPC_EVERY == 0 || r.frames + r.errors >= budget / 2)
		nd->stats.rx_missed += rd(e, E1000_MPC);  /* clear on read */
	return r.frames + r.errors;
}

static int e1000_rx_pending(struct netdev *nd, unsigned ring)
{
	struct e1000 *e = nd->priv;

	(void)ring;
	return e1000_rxq_pending(&e->rxq);
}

static int e1000_xmit(struct netdev *nd, const uint8_t *frame, size_t len)
{
	struct e1000 *e = nd->priv;

	if (e1000_txq_put(&e->txq, frame, len) < 0)
		return -EXO_EAGAIN;
	if (!e->tx_hold)
		wr(e, E1000_TDT, e->txq.tail);
	return 0;
}

static void e1000_tx_hold(struct netdev *nd, int hold)
{
	struct e1000 *e = nd->priv;

	e->tx_hold = hold;
	if (!hold)
		wr(e, E1000_TDT, e->txq.tail);
}

static void e1000_tx_reclaim(struct netdev *nd)
{
	struct e1000 *e = nd->priv;

	e1000_txq_reclaim(&e->txq);
}

static void e1000_irq_mask(struct netdev *nd)
{
	wr(nd->priv, E1000_IMC, RX_CAUSES);
}

static void e1000_irq_unmask(struct netdev *nd)
{
	wr(nd->priv, E1000_IMS, RX_CAUSES);
}

static int e1000_link_up(struct netdev *nd)
{
	return (rd(nd->priv, E1000_STATUS) & STATUS_LU) != 0;
}

static const struct netdev_ops e1000_ops = {
	.xmit = e1000_xmit,
	.rx_poll = e1000_rx_poll,
	.tx_hold = e1000_tx_hold,
	.tx_reclaim = e1000_tx_reclaim,
	.rx_pending = e1000_rx_pending,
	.irq_mask = e1000_irq_mask,
	.irq_unmask = e1000_irq_unmask,
	.link_up = e1000_link_up,
};

static void e1000_intr(void *arg)
{
	struct e1000 *e = arg;

	/* Reading ICR acknowledges every cause and drops the INTx line. */
	if (rd(e, E1000_ICR) == 0)
		return;  /* not ours */
	netdev_irq(&e->nd);
}

/* Word `addr` of the EEPROM (13.4.4); -1 on timeout. */
static int eeprom_read(struct e1000 *e, uint8_t addr, uint16_t *out)
{
	wr(e, E1000_EERD, EERD_START | (uint32_t)addr << EERD_ADDR_SHIFT);
	if (wait_bit(e, E1000_EERD, EERD_DONE, 1, 10000) < 0)
		return -1;
	*out = (uint16_t)(rd(e, E1000_EERD) >> EERD_DATA_SHIFT);
	return 0;
}

/*
 * The MAC: from receive address 0 if valid (loaded from the EEPROM at
 * reset, 5.6.1), else from EEPROM words 0-2 (5.6.1, Table 5-2).
 */
static int read_mac(struct e1000 *e)
{
	uint32_t ral = rd(e, E1000_RAL0), rah = rd(e, E1000_RAH0);
	uint8_t *m = e->nd.mac;

	if (!(rah & RAH_AV)) {
		uint16_t w[3];
		for (uint8_t i = 0; i < 3; i++)
			if (eeprom_read(e, i, &w[i]) < 0)
				return -1;
		ral = w[0] | (uint32_t)w[1] << 16;
		rah = w[2];
	}
	for (int i = 0; i < 4; i++)
		m[i] = (uint8_t)(ral >> (8 * i));
	m[4] = (uint8_t)rah;
	m[5] = (uint8_t)(rah >> 8);
	wr(e, E1000_RAL0, ral);
	wr(e, E1000_RAH0, (rah & 0xffff) | RAH_AV);
	return 0;
}

/* Buffers: two per page. */
static int alloc_bufs(uint8_t **va, uint64_t *pa, unsigned n)
{
	for (unsigned i = 0; i < n; i += 2) {
		uint64_t p;
		uint8_t *v = netdev_dma_page(&p);
		if (v == NULL)
			return -1;
		va[i] = v;
		pa[i] = p;
		va[i + 1] = v + E1000_BUF_SIZE;
		pa[i + 1] = p + E1000_BUF_SIZE;
	}
	return 0;
}

static int rings_init(struct e1000 *e)
{
	uint64_t rx_pa, tx_pa;
	struct e1000_rx_desc *rx = netdev_dma_page(&rx_pa);
	struct e1000_tx_desc *tx = netdev_dma_page(&tx_pa);

	if (rx == NULL || tx == NULL || alloc_bufs(e->rxbuf, e->rxbuf_pa, RX_SLOTS) < 0 ||
	    alloc_bufs(e->txbuf, e->txbuf_pa, TX_SLOTS) < 0)
		return -1;
	for (unsigned i = 0; i < RX_SLOTS; i++)
		rx[i].addr = e->rxbuf_pa[i];
	for (unsigned i = 0; i < TX_SLOTS; i++)
		tx[i].addr = e->txbuf_pa[i];
	e->rxq = (struct e1000_rxq){ .desc = rx, .buf = e->rxbuf, .n = RX_SLOTS,
				     .rdt = RX_SLOTS - 1 };
	e->txq = (struct e1000_txq){ .desc = tx, .buf = e->txbuf, .n = TX_SLOTS };

	/* 3.2.6 / 14.4: ring base, length, head 0, tail one short of full. */
	wr(e, E1000_RDBAL, (uint32_t)rx_pa);
	wr(e, E1000_RDBAH, (uint32_t)(rx_pa >> 32));
	wr(e, E1000_RDLEN, RX_SLOTS * sizeof(struct e1000_rx_desc));
	wr(e, E1000_RDH, 0);
	wr(e, E1000_RDT, e->rxq.rdt);
	wr(e, E1000_RDTR, 0);
	wr(e, E1000_RCTL, RCTL_EN | RCTL_BAM | RCTL_BSIZE_2048 | RCTL_SECRC);

	/* 3.4 / 14.5: transmit ring empty (head == tail). */
	wr(e, E1000_TDBAL, (uint32_t)tx_pa);
	wr(e, E1000_TDBAH, (uint32_t)(tx_pa >> 32));
	wr(e, E1000_TDLEN, TX_SLOTS * sizeof(struct e1000_tx_desc));
	wr(e, E1000_TDH, 0);
	wr(e, E1000_TDT, 0);
	wr(e, E1000_TIPG, TIPG_82540_COPPER);
	wr(e, E1000_TCTL, TCTL_EN | TCTL_PSP | 0x0fu << TCTL_CT_SHIFT |
			  0x40u << TCTL_COLD_SHIFT);
	return 0;
}

static void irq_setup(struct e1000 *e)
{
	uint8_t line = e->pd->irq_line;

	e->nd.use_irq = 0;
	if (e->pd->irq_pin == 0 || line == 0 || line >= 16) {
		printk("e1000: no routed INTx (pin %u, line %u); polling\n",
		       e->pd->irq_pin, line);
		return;
	}
	e->vector = irq_alloc(e1000_intr, e, "e1000");
	if (e->vector < 0)
		return;
	/* PCI INTx is level triggered, active low, unless the MADT overrides. */
	if (irq_route_isa(line, e->vector, 1, 1) < 0) {
		irq_free(e->vector);
		return;
	}
	e->nd.use_irq = 1;
	rd(e, E1000_ICR);
	wr(e, E1000_IMS, RX_CAUSES);
}

static int e1000_match(const struct pci_dev *pd)
{
	return pd->vendor == E1000_VENDOR_INTEL && pd->device == E1000_DEV_82540EM;
}

static int e1000_attach(struct pci_dev *pd)
{
	if (nunits == MAX_UNITS)
		return -1;
	struct e1000 *e = &units[nunits];
	e->pd = pd;
	e->regs = (volatile uint32_t *)pci_map_bar(pd, 0);
	if (e->regs == NULL || pd->bar[0].size < 0x10000) {
		printk("e1000: BAR0 is not a usable register window\n");
		return -1;
	}
	pci_enable(pd, PCI_CMD_MEMORY | PCI_CMD_BUS_MASTER);

	/* Quiesce, reset (14.3 / 13.4.1 CTRL.RST), and quiesce again. */
	wr(e, E1000_IMC, 0xffffffffu);
	wr(e, E1000_CTRL, rd(e, E1000_CTRL) | CTRL_RST);
	if (wait_bit(e, E1000_CTRL, CTRL_RST, 0, 100000) < 0) {
		printk("e1000: reset did not complete\n");
		return -1;
	}
	wr(e, E1000_IMC, 0xffffffffu);
	rd(e, E1000_ICR);
	wr(e, E1000_CTRL, (rd(e, E1000_CTRL) | CTRL_SLU | CTRL_ASDE) & ~CTRL_PHY_RST);

	e->nd = (struct netdev){ .name = "e1000", .ops = &e1000_ops, .priv = e,
				 .nrx = 1, .tx_size = TX_SLOTS - 1 };
	if (read_mac(e) < 0) {
		printk("e1000: cannot read the MAC address from the EEPROM\n");
		return -1;
	}
	for (unsigned i = 0; i < E1000_MTA_LEN; i++)
		wr(e, E1000_MTA + 4 * i, 0);
	if (rings_init(e) < 0) {
		printk("e1000: out of memory for rings\n");
		return -1;
	}
	if (netdev_register(&e->nd) < 0)
		return -1;
	irq_setup(e);
	nunits++;
	return 0;
}

const struct netdev_pci_driver e1000_driver = {
	.name = "e1000",
	.match = e1000_match,
	.attach = e1000_attach,
};
