/*
 * Configuration-space decoding that needs no hardware (net/pci.h): BAR
 * sizing and the capability list walk, over a struct pci_cfg accessor.
 */
#include <net/pci.h>
#include <net/pci_regs.h>

static uint32_t rd(const struct pci_cfg *c, uint16_t off, int w)
{
	return c->read(c->ctx, off, w);
}

static void wr(const struct pci_cfg *c, uint16_t off, int w, uint32_t v)
{
	c->write(c->ctx, off, w, v);
}

/* Write all ones, read back the writable mask, restore (6.2.5.1). */
static uint32_t probe(const struct pci_cfg *c, uint16_t off, uint32_t orig)
{
	wr(c, off, 4, 0xffffffffu);
	uint32_t m = rd(c, off, 4);
	wr(c, off, 4, orig);
	return m;
}

static int bad(struct pci_bar *out)
{
	out->kind = PCI_BAR_NONE;
	return -1;
}

static int pow2(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

static int decode(const struct pci_cfg *c, unsigned index, struct pci_bar *out,
		  unsigned *slots)
{
	uint16_t off = (uint16_t)(PCI_BAR0 + 4 * index);
	uint32_t lo = rd(c, off, 4);
	uint32_t mlo = probe(c, off, lo);

	*slots = 1;
	if (lo & PCI_BAR_IO) {
		uint32_t mask = mlo & PCI_BAR_IO_MASK & 0xffff;  /* x86 ports are 16-bit */
		if (mask == 0)
			return 0;  /* unimplemented */
		out->kind = PCI_BAR_PORT;
		out->base = lo & PCI_BAR_IO_MASK;
		out->size = (uint64_t)(~mask & 0xffff) + 1;
		return pow2(out->size) ? 0 : bad(out);
	}
	uint32_t type = lo & PCI_BAR_MEM_TYPE;
	out->prefetch = (lo & PCI_BAR_PREFETCH) != 0;
	if (type == 0) {
		uint32_t mask = mlo & PCI_BAR_MEM_MASK;
		if (mask == 0)
			return 0;
		out->kind = PCI_BAR_MEM32;
		out->base = lo & PCI_BAR_MEM_MASK;
		out->size = (uint64_t)(~mask) + 1;
		return pow2(out->size) ? 0 : bad(out);
	}
	if (type != PCI_BAR_MEM_64 || index + 1 >= PCI_NBARS)
		return bad(out);  /* reserved type, or no slot for the high half */
	*slots = 2;
	uint32_t hi = rd(c, off + 4, 4);
	uint32_t mhi = probe(c, off + 4, hi);
	uint64_t mask = ((uint64_t)mhi << 32) | (mlo & PCI_BAR_MEM_MASK);
	if (mask == 0)
		return 0;
	out->kind = PCI_BAR_MEM64;
	out->base = ((uint64_t)hi << 32) | (lo & PCI_BAR_MEM_MASK);
	out->size = ~mask + 1;
	return pow2(out->size) ? 0 : bad(out);
}

int pci_bar_decode(const struct pci_cfg *c, unsigned index, struct pci_bar *out,
		   unsigned *slots)
{
	*out = (struct pci_bar){ .kind = PCI_BAR_NONE };
	*slots = 1;
	if (index >= PCI_NBARS)
		return -1;
	/* Sizing writes must not move a live decoder: turn decoding off. */
	uint32_t cmd = rd(c, PCI_COMMAND, 2);
	wr(c, PCI_COMMAND, 2, cmd & ~(PCI_CMD_IO | PCI_CMD_MEMORY));
	int r = decode(c, index, out, slots);
	wr(c, PCI_COMMAND, 2, cmd);
	return r;
}

unsigned pci_cap_find(const struct pci_cfg *c, uint8_t id, unsigned after)
{
	/* 48 = the most 4-byte capabilities that fit in 0x40..0xff. */
	unsigned budget = 48;
	unsigned off;

	if (!(rd(c, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return 0;
	off = after ? rd(c, (uint16_t)(after + 1), 1) : rd(c, PCI_CAP_PTR, 1);
	while (budget-- > 0) {
		off &= 0xfc;  /* the low two bits are reserved (6.7) */
		if (off < 0x40)
			return 0;  /* end of list, or a pointer into the header */
		if (rd(c, (uint16_t)off, 1) == id)
			return off;
		off = rd(c, (uint16_t)(off + 1), 1);
	}
	return 0;
}
