/*
 * PCI: enumeration over configuration mechanism #1, BAR decoding and
 * mapping, capability lists and MSI/MSI-X set-up. Drivers find their
 * functions here and never touch ports 0xcf8/0xcfc themselves.
 *
 * The decoding half (pci_bar_decode, pci_cap_find) works through a
 * struct pci_cfg accessor, so tests/kernel/net/ runs it on a fake
 * configuration space.
 */
#ifndef NET_PCI_H
#define NET_PCI_H

#include <stdint.h>

#define PCI_MAX_DEVS 32
#define PCI_NBARS 6

enum pci_bar_kind {
	PCI_BAR_NONE = 0,   /* unimplemented (reads back zero) */
	PCI_BAR_MEM32,
	PCI_BAR_MEM64,      /* occupies this BAR and the next */
	PCI_BAR_PORT,
};

struct pci_bar {
	uint8_t kind;         /* enum pci_bar_kind */
	uint8_t prefetch;
	uint64_t base;        /* physical address or I/O port */
	uint64_t size;        /* bytes (ports), from the sizing probe */
};

/* Byte-addressed access to one function's configuration space. */
struct pci_cfg {
	uint32_t (*read)(void *ctx, uint16_t off, int width);   /* width 1, 2, 4 */
	void (*write)(void *ctx, uint16_t off, int width, uint32_t v);
	void *ctx;
};

/*
 * Decode BAR `index` by the sizing protocol (write all ones with decoding
 * off, read the mask back, restore). *slots = BAR slots it occupies (2 for
 * a 64-bit BAR). Returns 0 (out->kind NONE if the BAR is unimplemented),
 * or -1 with out->kind NONE if it is malformed: 64-bit in the last slot,
 * a reserved type, a size that is not a power of two.
 */
int pci_bar_decode(const struct pci_cfg *c, unsigned index, struct pci_bar *out,
		   unsigned *slots);

/*
 * Offset of the first capability with ID `id` after offset `after` (0:
 * from the list head), or 0 if none. The walk is bounded and ignores
 * pointers into the header, so a looping or corrupt list ends.
 */
unsigned pci_cap_find(const struct pci_cfg *c, uint8_t id, unsigned after);

struct pci_dev {
	uint8_t bus, slot, fn;
	uint16_t vendor, device;
	uint8_t class, subclass, prog_if, revision;
	uint8_t irq_line, irq_pin;       /* as the firmware left them */
	struct pci_bar bar[PCI_NBARS];
	volatile void *bar_va[PCI_NBARS]; /* mapping made by pci_map_bar() */
	struct pci_cfg cfg;
	const char *claimed_by;          /* driver name once bound */
};

/* Walk bus 0 and every bus behind a PCI-to-PCI bridge; log what is found. */
void pci_scan(void);

unsigned pci_count(void);
struct pci_dev *pci_get(unsigned i);

uint32_t pci_read(struct pci_dev *d, uint16_t off, int width);
void pci_write(struct pci_dev *d, uint16_t off, int width, uint32_t v);

/* Set command-register bits (PCI_CMD_MEMORY, PCI_CMD_BUS_MASTER, ...). */
void pci_enable(struct pci_dev *d, uint16_t bits);

/*
 * Map memory BAR `i` uncached (once; later calls return the same mapping).
 * NULL if it is not a memory BAR.
 */
volatile void *pci_map_bar(struct pci_dev *d, unsigned i);

/*
 * Point MSI-X table entries 0..n-1 at vectors[0..n-1] on the boot CPU,
 * enable MSI-X and disable INTx. -1 if the function has no MSI-X, the
 * table is smaller than n, or its BAR is unusable.
 */
int pci_msix_enable(struct pci_dev *d, unsigned n, const int *vectors);

/* Single-message MSI to `vector`; -1 if the function has no MSI. */
int pci_msi_enable(struct pci_dev *d, int vector);

#endif /* NET_PCI_H */
