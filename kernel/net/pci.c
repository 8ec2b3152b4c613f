/*
 * PCI enumeration and configuration access on a PC (net/pci.h).
 *
 * Mechanism #1 (PCI 3.0, 3.2.2.3.2): write bus/device/function/register
 * to 0xcf8, then access the dword at 0xcfc; narrower accesses use the
 * byte lanes 0xcfc + (offset & 3). Interrupts are kept off across the pair
 * so that a handler touching configuration space cannot split it.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <console/console.h>
#include <mm/kvm.h>
#include <net/pci.h>
#include <net/pci_regs.h>
#include <portio.h>

static struct pci_dev devs[PCI_MAX_DEVS];
static unsigned ndevs;
static uint8_t bus_seen[256 / 8];

static uint32_t cfg_addr(uint8_t bus, uint8_t slot, uint8_t fn, uint16_t off)
{
	return PCI_CONFIG_ENABLE | (uint32_t)bus << 16 | (uint32_t)slot << 11 |
	       (uint32_t)fn << 8 | (off & 0xfc);
}

static uint32_t raw_read(uint8_t bus, uint8_t slot, uint8_t fn, uint16_t off,
			 int width)
{
	uint16_t port = PCI_CONFIG_DATA + (off & 3);
	uint64_t f = irq_save();
	uint32_t v;

	outl(PCI_CONFIG_ADDRESS, cfg_addr(bus, slot, fn, off));
	if (width == 1)
		v = inb(port);
	else if (width == 2)
		v = inw(port);
	else
		v = inl(PCI_CONFIG_DATA);
	irq_restore(f);
	return v;
}

static void raw_write(uint8_t bus, uint8_t slot, uint8_t fn, uint16_t off,
		      int width, uint32_t v)
{
	uint16_t port = PCI_CONFIG_DATA + (off & 3);
	uint64_t f = irq_save();

	outl(PCI_CONFIG_ADDRESS, cfg_addr(bus, slot, fn, off));
	if (width == 1)
		outb(port, (uint8_t)v);
	else if (width == 2)
		outw(port, (uint16_t)v);
	else
		outl(PCI_CONFIG_DATA, v);
	irq_restore(f);
}

static uint32_t dev_read(void *ctx, uint16_t off, int width)
{
	struct pci_dev *d = ctx;

	return raw_read(d->bus, d->slot, d->fn, off, width);
}

static void dev_write(void *ctx, uint16_t off, int width, uint32_t v)
{
	struct pci_dev *d = ctx;

	raw_write(d->bus, d->slot, d->fn, off, width, v);
}

uint32_t pci_read(struct pci_dev *d, uint16_t off, int width)
{
	return dev_read(d, off, width);
}

void pci_write(struct pci_dev *d, uint16_t off, int width, uint32_t v)
{
	dev_write(d, off, width, v);
}

static void decode_bars(struct pci_dev *d)
{
	unsigned slots;

	for (unsigned i = 0; i < PCI_NBARS; i += slots) {
		if (pci_bar_decode(&d->cfg, i, &d->bar[i], &slots) < 0)
			printk("pci: %02x:%02x.%u BAR%u malformed, ignored\n",
			       d->bus, d->slot, d->fn, i);
		if (d->bar[i].kind != PCI_BAR_NONE)
			printk("pci:   BAR%u %s %#lx size %#lx%s\n", i,
			       d->bar[i].kind == PCI_BAR_PORT ? "io " : "mem",
			       (unsigned long)d->bar[i].base,
			       (unsigned long)d->bar[i].size,
			       d->bar[i].prefetch ? " prefetchable" : "");
	}
}

static void scan_bus(uint8_t bus);

static void add_function(uint8_t bus, uint8_t slot, uint8_t fn)
{
	uint8_t hdr = (uint8_t)raw_read(bus, slot, fn, PCI_HEADER_TYPE, 1);

	if ((hdr & 0x7f) == PCI_HEADER_BRIDGE) {
		scan_bus((uint8_t)raw_read(bus, slot, fn, PCI_SECONDARY_BUS, 1));
		return;
	}
	if ((hdr & 0x7f) != 0)
		return;  /* CardBus or unknown layout: no driver here wants it */
	if (ndevs == PCI_MAX_DEVS) {
		printk("pci: more than %d functions; %02x:%02x.%u ignored\n",
		       PCI_MAX_DEVS, bus, slot, fn);
		return;
	}
	struct pci_dev *d = &devs[ndevs++];
	*d = (struct pci_dev){ .bus = bus, .slot = slot, .fn = fn };
	d->cfg = (struct pci_cfg){ dev_read, dev_write, d };
	d->vendor = (uint16_t)pci_read(d, PCI_VENDOR_ID, 2);
	d->device = (uint16_t)pci_read(d, PCI_DEVICE_ID, 2);
	d->revision = (uint8_t)pci_read(d, PCI_REVISION, 1);
	d->prog_if = (uint8_t)pci_read(d, PCI_PROG_IF, 1);
	d->subclass = (uint8_t)pci_read(d, PCI_SUBCLASS, 1);
	d->class = (uint8_t)pci_read(d, PCI_CLASS, 1);
	d->irq_line = (uint8_t)pci_read(d, PCI_INTR_LINE, 1);
	d->irq_pin = (uint8_t)pci_read(d, PCI_INTR_PIN, 1);
	printk("pci: %02x:%02x.%u %04x:%04x class %02x.%02x irq pin %u line %u\n",
	       bus, slot, fn, d->vendor, d->device, d->class, d->subclass,
	       d->irq_pin, d->irq_line);
	decode_bars(d);
}

static void scan_bus(uint8_t bus)
{
	if (bus_seen[bus / 8] & (1u << (bus % 8)))
		return;  /* a bridge pointing back at a scanned bus */
	bus_seen[bus / 8] |= (uint8_t)(1u << (bus % 8));
	for (uint8_t slot = 0; slot < 32; slot++) {
		if (raw_read(bus, slot, 0, PCI_VENDOR_ID, 2) == 0xffff)
			continue;
		int multi = raw_read(bus, slot, 0, PCI_HEADER_TYPE, 1) & PCI_HEADER_MULTIFN;
		for (uint8_t fn = 0; fn < (multi ? 8 : 1); fn++)
			if (raw_read(bus, slot, fn, PCI_VENDOR_ID, 2) != 0xffff)
				add_function(bus, slot, fn);
	}
}

void pci_scan(void)
{
	scan_bus(0);
	printk("pci: %u function(s)\n", ndevs);
}

unsigned pci_count(void)
{
	return ndevs;
}

struct pci_dev *pci_get(unsigned i)
{
	return i < ndevs ? &devs[i] : NULL;
}

void pci_enable(struct pci_dev *d, uint16_t bits)
{
	uint32_t cmd = pci_read(d, PCI_COMMAND, 2);

	pci_write(d, PCI_COMMAND, 2, cmd | bits);
}

volatile void *pci_map_bar(struct pci_dev *d, unsigned i)
{
	if (i >= PCI_NBARS)
		return NULL;
	struct pci_bar *b = &d->bar[i];
	if (b->kind != PCI_BAR_MEM32 && b->kind != PCI_BAR_MEM64)
		return NULL;
	if (b->base == 0)
		return NULL;  /* the firmware left it unassigned */
	if (d->bar_va[i] == NULL)
		d->bar_va[i] = kvm_map_mmio(b->base, b->size);
	return d->bar_va[i];
}
