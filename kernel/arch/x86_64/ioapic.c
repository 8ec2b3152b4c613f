/*
 * I/O APIC programming (82093AA datasheet, 3.1-3.2). The redirection
 * entries are 64 bits written as two 32-bit halves through IOWIN; the high
 * half (destination) goes first so that an unmasked low half never points
 * at a stale destination.
 */
#include <arch/ioapic.h>
#include <arch/paging.h>
#include <console/console.h>
#include <mm/kvm.h>

#define IOREGSEL 0x00   /* index register (3.1) */
#define IOWIN    0x10   /* data window (3.1) */

#define IOAPICVER 0x01          /* version; bits 23:16 = max redirection entry (3.2.2) */
#define IOREDTBL(n) (0x10 + 2 * (n))

/* Redirection entry, low half (3.2.4). */
#define RTE_DEST_LOGICAL (1u << 11)
#define RTE_ACTIVE_LOW   (1u << 13)
#define RTE_LEVEL        (1u << 15)
#define RTE_MASKED       (1u << 16)

struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	unsigned npins;
};

static struct ioapic ioapics[MADT_MAX_IOAPICS];
static unsigned nioapics;

static uint32_t rd(struct ioapic *a, uint32_t reg)
{
	a->regs[IOREGSEL / 4] = reg;
	return a->regs[IOWIN / 4];
}

static void wr(struct ioapic *a, uint32_t reg, uint32_t v)
{
	a->regs[IOREGSEL / 4] = reg;
	a->regs[IOWIN / 4] = v;
}

static struct ioapic *find(uint32_t gsi, unsigned *pin)
{
	for (unsigned i = 0; i < nioapics; i++)
		if (gsi >= ioapics[i].gsi_base &&
		    gsi - ioapics[i].gsi_base < ioapics[i].npins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	return NULL;
}

int ioapic_init(const struct madt_info *mi)
{
	for (unsigned i = 0; i < mi->nioapics; i++) {
		struct ioapic *a = &ioapics[nioapics];
		a->regs = kvm_map_mmio(mi->ioapics[i].address, PAGE_SIZE);
		a->gsi_base = mi->ioapics[i].gsi_base;
		a->npins = ((rd(a, IOAPICVER) >> 16) & 0xff) + 1;
		for (unsigned p = 0; p < a->npins; p++)
			wr(a, IOREDTBL(p), RTE_MASKED);
		printk("ioapic: id %u at %#x, GSI %u-%u\n", mi->ioapics[i].id,
		       mi->ioapics[i].address, a->gsi_base,
		       a->gsi_base + a->npins - 1);
		nioapics++;
	}
	return nioapics ? 0 : -1;
}

int ioapic_route(uint32_t gsi, uint8_t vector, uint8_t apic_id, int level,
		 int active_low)
{
	unsigned pin;
	struct ioapic *a = find(gsi, &pin);

	if (a == NULL)
		return -1;
	uint32_t lo = vector | RTE_MASKED;  /* fixed delivery, physical mode */
	if (level)
		lo |= RTE_LEVEL;
	if (active_low)
		lo |= RTE_ACTIVE_LOW;
	wr(a, IOREDTBL(pin), RTE_MASKED);
	wr(a, IOREDTBL(pin) + 1, (uint32_t)apic_id << 24);
	wr(a, IOREDTBL(pin), lo);
	return 0;
}

static void set_mask(uint32_t gsi, int masked)
{
	unsigned pin;
	struct ioapic *a = find(gsi, &pin);

	if (a == NULL)
		return;
	uint32_t lo = rd(a, IOREDTBL(pin));
	wr(a, IOREDTBL(pin), masked ? lo | RTE_MASKED : lo & ~RTE_MASKED);
}

void ioapic_mask(uint32_t gsi)
{
	set_mask(gsi, 1);
}

void ioapic_unmask(uint32_t gsi)
{
	set_mask(gsi, 0);
}

unsigned ioapic_count(void)
{
	return nioapics;
}
