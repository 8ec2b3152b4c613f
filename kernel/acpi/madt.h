/*
 * ACPI table parsing that needs no hardware: checksums, the root pointer,
 * the root tables' entry lists and the MADT. Every function takes a byte
 * buffer and its length and checks every length field against it, so a
 * corrupt firmware table is an error message, never an out-of-bounds read.
 * Host-tested in tests/kernel/acpi/.
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

/* 1 if the `len` bytes at p sum to zero (mod 256). */
int acpi_checksum_ok(const void *p, size_t len);

/*
 * Check a copy of the RSDP (`len` bytes valid): signature, checksum(s),
 * and for revision >= 2 the extended length and checksum. On success store
 * the root table address and whether it is an XSDT (64-bit entries).
 */
int acpi_rsdp_parse(const void *rsdp, size_t len, uint64_t *root, int *xsdt,
		    char *why, size_t whylen);

/*
 * Check a table's header against the `len` bytes available: length at
 * least a header and at most len, checksum, and (if sig != NULL) the
 * signature. Returns the table length or 0 with a reason.
 */
uint32_t acpi_sdt_check(const void *table, size_t len, const char *sig,
			char *why, size_t whylen);

/* Number of entries of a checked RSDT/XSDT, and entry i. */
size_t acpi_root_count(const void *root, int xsdt);
uint64_t acpi_root_entry(const void *root, int xsdt, size_t i);

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
