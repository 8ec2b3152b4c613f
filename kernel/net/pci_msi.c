/*
 * MSI and MSI-X set-up (PCI 3.0, 6.8). Messages target the boot CPU's
 * LAPIC (arch/msi.h). Enabling either form disables the function's INTx
 * output, so a device never interrupts twice for one event.
 */
#include <arch/irq.h>
#include <arch/msi.h>
#include <console/console.h>
#include <net/pci.h>
#include <net/pci_regs.h>

int pci_msix_enable(struct pci_dev *d, unsigned n, const int *vectors)
{
	unsigned cap = pci_cap_find(&d->cfg, PCI_CAP_MSIX, 0);

	if (cap == 0 || n == 0)
		return -1;
	uint32_t ctrl = pci_read(d, (uint16_t)(cap + MSIX_CTRL), 2);
	unsigned size = (ctrl & MSIX_CTRL_SIZE_MASK) + 1;
	uint32_t tbl = pci_read(d, (uint16_t)(cap + MSIX_TABLE), 4);
	unsigned bir = tbl & MSIX_BIR_MASK;
	uint32_t off = tbl & ~MSIX_BIR_MASK;
	if (n > size || bir >= PCI_NBARS) {
		printk("pci: %02x:%02x.%u MSI-X: %u entries, BIR %u; need %u\n",
		       d->bus, d->slot, d->fn, size, bir, n);
		return -1;
	}
	if ((uint64_t)off + (uint64_t)size * sizeof(struct msix_entry) > d->bar[bir].size) {
		printk("pci: %02x:%02x.%u MSI-X table beyond BAR%u\n", d->bus,
		       d->slot, d->fn, bir);
		return -1;
	}
	volatile uint8_t *bar = pci_map_bar(d, bir);
	if (bar == NULL)
		return -1;
	pci_enable(d, PCI_CMD_MEMORY);
	volatile struct msix_entry *t = (volatile struct msix_entry *)(bar + off);

	/* Function mask on while the table is written (6.8.2.3). */
	pci_write(d, (uint16_t)(cap + MSIX_CTRL), 2,
		  (ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_FUNC_MASK));
	for (unsigned i = 0; i < size; i++)
		t[i].vector_ctrl = MSIX_ENTRY_MASKED;
	for (unsigned i = 0; i < n; i++) {
		struct msi_msg m;
		if (msi_compose(irq_cpu_apic_id(), (uint8_t)vectors[i], &m) < 0)
			return -1;
		t[i].addr_lo = (uint32_t)m.address;
		t[i].addr_hi = (uint32_t)(m.address >> 32);
		t[i].data = m.data;
		t[i].vector_ctrl = 0;
	}
	pci_enable(d, PCI_CMD_INTX_DISABLE);
	pci_write(d, (uint16_t)(cap + MSIX_CTRL), 2,
		  (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_FUNC_MASK);
	return 0;
}

int pci_msi_enable(struct pci_dev *d, int vector)
{
	unsigned cap = pci_cap_find(&d->cfg, PCI_CAP_MSI, 0);
	struct msi_msg m;

	if (cap == 0 || msi_compose(irq_cpu_apic_id(), (uint8_t)vector, &m) < 0)
		return -1;
	uint32_t ctrl = pci_read(d, (uint16_t)(cap + MSI_CTRL), 2);
	pci_write(d, (uint16_t)(cap + MSI_ADDR_LO), 4, (uint32_t)m.address);
	if (ctrl & MSI_CTRL_64BIT) {
		pci_write(d, (uint16_t)(cap + MSI_ADDR_HI), 4, (uint32_t)(m.address >> 32));
		pci_write(d, (uint16_t)(cap + MSI_DATA_64), 2, m.data);
	} else {
		pci_write(d, (uint16_t)(cap + MSI_DATA_32), 2, m.data);
	}
	/* One message: multiple-message enable 000 (6.8.1.3). */
	ctrl = (ctrl & ~MSI_CTRL_MME_MASK) | MSI_CTRL_ENABLE;
	pci_enable(d, PCI_CMD_INTX_DISABLE);
	pci_write(d, (uint16_t)(cap + MSI_CTRL), 2, ctrl);
	return 0;
}
