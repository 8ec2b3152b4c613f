/*
 * ACPI table checks that need no hardware: checksums, the root pointer,
 * a table's header, and the root tables' entry lists. Every function
 * takes a byte buffer and its length and checks every length field against
 * it, so a corrupt firmware table is an error message, never an
 * out-of-bounds read. Host-tested in tests/kernel/acpi/.
 */
#ifndef ACPI_SDT_H
#define ACPI_SDT_H

#include <stddef.h>
#include <stdint.h>

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

#endif /* ACPI_SDT_H */
