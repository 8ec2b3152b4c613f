/*
 * The MADT (ACPI 6.5, 5.2.12) reduced to what interrupt routing needs:
 * the I/O APICs and the ISA interrupt source overrides. Pure parsing of a
 * byte buffer, every length checked; host-tested in tests/kernel/acpi/.
 */
#ifndef ACPI_MADT_H
#define ACPI_MADT_H

#include <stddef.h>
#include <stdint.h>

#define MADT_MAX_IOAPICS 8
#define MADT_MAX_ISOS    16

struct madt_ioapic {
	uint8_t id;
	uint32_t address;
	uint32_t gsi_base;
};

struct madt_iso {
	uint8_t source;          /* ISA IRQ */
	uint32_t gsi;
	uint16_t flags;          /* MPS INTI flags (acpi_tables.h) */
};

struct madt_info {
	uint64_t lapic_address;
	int pcat_compat;
	unsigned nioapics, nisos, nlapics;
	struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
	struct madt_iso isos[MADT_MAX_ISOS];
};

/*
 * Parse a checked MADT of `len` bytes into *out. Unknown entry types are
 * skipped; entries running past the table, with a length below their
 * type's size, or beyond the fixed limits above are errors.
 */
int madt_parse(const void *table, size_t len, struct madt_info *out,
	       char *why, size_t whylen);

/*
 * Global system interrupt and MPS flags for ISA IRQ `irq`: an override
 * if the MADT has one, else identity mapping with conforming flags.
 */
uint32_t madt_isa_gsi(const struct madt_info *mi, uint8_t irq, uint16_t *flags);

#endif /* ACPI_MADT_H */
