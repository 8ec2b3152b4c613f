/*
 * I/O APICs: the pins that wire-based (INTx, ISA) interrupts arrive on,
 * each pin a global system interrupt (GSI) numbered from its APIC's base
 * in the MADT. Register interface: Intel 82093AA I/O APIC datasheet,
 * section 3 (IOREGSEL/IOWIN indirect access, 3.2.4 redirection table).
 */
#ifndef ARCH_IOAPIC_H
#define ARCH_IOAPIC_H

#include <stdint.h>

#include <acpi/madt.h>

/* Map every I/O APIC of the MADT and mask all of their pins. */
int ioapic_init(const struct madt_info *mi);

/*
 * Deliver GSI `gsi` as `vector` to the LAPIC `apic_id`, fixed delivery,
 * with the given trigger (level = 1) and polarity (active_low = 1), masked
 * until ioapic_unmask(). -1 if no I/O APIC has that pin.
 */
int ioapic_route(uint32_t gsi, uint8_t vector, uint8_t apic_id, int level,
		 int active_low);
void ioapic_mask(uint32_t gsi);
void ioapic_unmask(uint32_t gsi);

/* Number of I/O APICs found (0 before ioapic_init). */
unsigned ioapic_count(void);

#endif /* ARCH_IOAPIC_H */
