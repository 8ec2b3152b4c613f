/*
 * Device vector table and I/O APIC routing (arch/irq.h).
 *
 * INTx on -machine pc: the PIIX3 routes the four PCI interrupt lines to
 * ISA IRQs chosen by the firmware, and SeaBIOS writes the chosen IRQ into
 * each function's interrupt-line register. The kernel trusts that register
 * instead of evaluating the ACPI _PRT (which needs an AML interpreter);
 * the MADT's interrupt source overrides then map the ISA IRQ to an I/O
 * APIC pin (GSI) with its trigger mode and polarity.
 */
#include <acpi/acpi.h>
#include <acpi/acpi_tables.h>
#include <arch/features.h>
#include <arch/ioapic.h>
#include <arch/irq.h>
#include <arch/lapic.h>
#include <boot/boot.h>
#include <console/console.h>

#define NVEC (IRQ_VEC_LAST - IRQ_VEC_FIRST + 1)
#define MAX_TICK_HOOKS 8

struct irq_slot {
	irq_handler_fn fn;
	void *arg;
	const char *name;
	uint64_t count;
};

static struct irq_slot slots[NVEC];
static struct { irq_handler_fn fn; void *arg; } hooks[MAX_TICK_HOOKS];
static unsigned nhooks;
static struct madt_info madt;
static uint8_t gsi_vector[256];   /* vector a GSI is routed to; 0: none */
static int have_madt;
static uint64_t stray;

void irq_init(void)
{
	char why[128];

	if (!cpu_has.apic) {
		printk("irq: no LAPIC; device interrupts off, drivers poll\n");
		return;
	}
	if (acpi_madt(&boot_info, &madt, why, sizeof(why)) < 0) {
		printk("irq: %s; INTx unavailable\n", why);
		return;
	}
	have_madt = ioapic_init(&madt) == 0;
	printk("irq: MADT: %u CPU(s), %u I/O APIC(s), %u override(s)\n",
	       madt.nlapics, madt.nioapics, madt.nisos);
}

int irq_available(void)
{
	return cpu_has.apic;
}

uint8_t irq_cpu_apic_id(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	return (uint8_t)(r[1] >> 24);  /* initial APIC ID, CPUID.1:EBX[31:24] */
}

int irq_alloc(irq_handler_fn fn, void *arg, const char *name)
{
	if (!irq_available())
		return -1;
	for (int i = 0; i < NVEC; i++)
		if (slots[i].fn == NULL) {
			slots[i] = (struct irq_slot){ fn, arg, name, 0 };
			return IRQ_VEC_FIRST + i;
		}
	return -1;
}

void irq_free(int vector)
{
	if (vector < IRQ_VEC_FIRST || vector > IRQ_VEC_LAST)
		return;
	uint64_t f = irq_save();
	slots[vector - IRQ_VEC_FIRST] = (struct irq_slot){ 0 };
	irq_restore(f);
}

int irq_route_isa(uint8_t isa_irq, int vector, int level, int active_low)
{
	uint16_t flags;

	if (!have_madt || vector < IRQ_VEC_FIRST || vector > IRQ_VEC_LAST)
		return -1;
	uint32_t gsi = madt_isa_gsi(&madt, isa_irq, &flags);
	if (gsi >= 256)
		return -1;
	if (gsi_vector[gsi] != 0) {
		/* Shared INTx lines would need a handler chain; none do today. */
		printk("irq: GSI %u already routed to vector %u\n", gsi, gsi_vector[gsi]);
		return -1;
	}
	if ((flags & MPS_TRIGGER_MASK) != MPS_TRIGGER_CONFORM)
		level = (flags & MPS_TRIGGER_MASK) == MPS_TRIGGER_LEVEL;
	if ((flags & MPS_POLARITY_MASK) != MPS_POLARITY_CONFORM)
		active_low = (flags & MPS_POLARITY_MASK) == MPS_POLARITY_LOW;
	if (ioapic_route(gsi, (uint8_t)vector, irq_cpu_apic_id(), level,
			 active_low) < 0)
		return -1;
	gsi_vector[gsi] = (uint8_t)vector;
	ioapic_unmask(gsi);
	printk("irq: IRQ %u -> GSI %u (%s, active %s) -> vector %d\n", isa_irq,
	       gsi, level ? "level" : "edge", active_low ? "low" : "high", vector);
	return 0;
}

int irq_dispatch(uint64_t vector)
{
	if (vector < IRQ_VEC_FIRST || vector > IRQ_VEC_LAST)
		return 0;
	struct irq_slot *s = &slots[vector - IRQ_VEC_FIRST];
	if (s->fn) {
		s->count++;
		s->fn(s->arg);
	} else if (stray++ == 0) {
		printk("irq: interrupt on unused vector %lu\n", (unsigned long)vector);
	}
	lapic_eoi();
	return 1;
}

static volatile uint64_t seq;

uint64_t irq_seq(void)
{
	return seq;
}

void irq_seq_bump(void)
{
	seq++;
}

uint64_t irq_count(int vector)
{
	if (vector < IRQ_VEC_FIRST || vector > IRQ_VEC_LAST)
		return 0;
	return slots[vector - IRQ_VEC_FIRST].count;
}

int irq_tick_hook(irq_handler_fn fn, void *arg)
{
	uint64_t f = irq_save();
	int r = -1;

	if (nhooks < MAX_TICK_HOOKS) {
		hooks[nhooks].fn = fn;
		hooks[nhooks].arg = arg;
		nhooks++;
		r = 0;
	}
	irq_restore(f);
	return r;
}

void irq_tick(void)
{
	for (unsigned i = 0; i < nhooks; i++)
		hooks[i].fn(hooks[i].arg);
}
