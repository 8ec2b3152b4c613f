/*
 * The kernel's view of the ACPI tables: found from the RSDP copy in the
 * boot information, checked (acpi/madt.h does the byte-level work) and
 * read through uncached mappings, since firmware tables may lie outside
 * the RAM direct map. Only the MADT is consumed today (interrupt routing).
 */
#ifndef ACPI_ACPI_H
#define ACPI_ACPI_H

#include <stddef.h>

#include <acpi/madt.h>
#include <exo/bootinfo.h>

/*
 * Find and parse the MADT. 0 on success; -1 with a reason in why (no RSDP
 * from GRUB, corrupt tables, no MADT).
 */
int acpi_madt(const struct exo_bootinfo *bi, struct madt_info *out,
	      char *why, size_t whylen);

#endif /* ACPI_ACPI_H */
