/*
 * The kernel's side of the boot contract (include/exo/bootinfo.h): check
 * what the loader handed over before trusting any of it, then query it.
 * Pure logic (host-tested in tests/kernel/boot/).
 */
#ifndef BOOT_BOOTINFO_H
#define BOOT_BOOTINFO_H

#include <stddef.h>
#include <stdint.h>

#include <exo/bootinfo.h>

/*
 * 0 if bi is a well-formed version-1 boot-information structure: magic,
 * version, size; counts within bounds; the memory map sorted, without
 * overlaps, with known types and page-granular freeable regions; modules
 * page-aligned, non-empty, inside the direct map and named; the command
 * line and names NUL-terminated. Else -1 and a one-line reason in why.
 */
int bootinfo_check(const struct exo_bootinfo *bi, char *why, size_t whylen);

/* Module called `name`, or NULL. */
const struct exo_module *bootinfo_module(const struct exo_bootinfo *bi,
					 const char *name);

/* Pages of all memory-map regions of `type`. */
uint64_t bootinfo_pages(const struct exo_bootinfo *bi, uint32_t type);

/* End (exclusive) of the highest region of a RAM type (not RESERVED/BAD). */
uint64_t bootinfo_ram_end(const struct exo_bootinfo *bi);

/* Name of a memory type ("usable", "loader", ...). */
const char *bootinfo_type_name(uint32_t type);

#endif /* BOOT_BOOTINFO_H */
