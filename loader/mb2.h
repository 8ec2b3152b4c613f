/*
 * Multiboot2 boot information: the parser the loader runs on GRUB's info
 * block. It is plain C over a byte buffer (no hardware access) so the host
 * tests run it on crafted buffers (tests/loader/test_mb2.c).
 *
 * Format: Multiboot2 specification 1.0, section 3.6 "Boot information":
 * a u32 total_size, a u32 reserved, then 8-byte-aligned tags of
 * { u32 type; u32 size; payload }, ending with a type-0 tag of size 8.
 */
#ifndef LOADER_MB2_H
#define LOADER_MB2_H

#include <stddef.h>
#include <stdint.h>

#include <exo/bootinfo.h>

/* Tag types (spec 3.6.x). */
#define MB2_TAG_END        0
#define MB2_TAG_CMDLINE    1
#define MB2_TAG_LOADER     2
#define MB2_TAG_MODULE     3
#define MB2_TAG_MEMINFO    4
#define MB2_TAG_MMAP       6
#define MB2_TAG_ACPI_OLD   14
#define MB2_TAG_ACPI_NEW   15

/* Memory map entry types (spec 3.6.8). */
#define MB2_MEM_AVAILABLE  1
#define MB2_MEM_ACPI       3
#define MB2_MEM_NVS        4
#define MB2_MEM_BAD        5

#define MB2_MAX_INFO   (1u << 20) /* sanity cap on total_size */
#define MB2_MAX_MMAP   256        /* firmware map entries we accept */

#define ACPI_RSDP_V1_LEN 20 /* ACPI 6.5, 5.2.5.3: checksum covers these */
#define ACPI_XSDP_LEN    36 /* revision >= 2: extended checksum covers these */

struct mb2_module {
	uint64_t start;    /* physical */
	uint64_t end;      /* physical, exclusive */
	const char *name;  /* NUL-terminated, inside the info block */
};

/* What the loader needs from the info block; pointers point into it. */
struct mb2_info {
	uint32_t total_size;
	const char *cmdline;            /* NULL if there was no tag */
	const uint8_t *mmap;            /* first entry */
	uint32_t mmap_entry_size;
	uint32_t mmap_count;
	struct mb2_module mods[EXO_MAX_MODULES];
	uint32_t mod_count;
	const uint8_t *rsdp;            /* NULL if no ACPI tag */
	uint32_t rsdp_len;              /* 20 (old tag) or 36 (new tag) */
	uint32_t rsdp_revision;
};

/*
 * Parse the info block at `info`, of which at most `limit` bytes may be
 * read. Returns 0, or -1 with a one-line reason in why[0, whylen).
 * Rejected: misaligned or oversized blocks, tags that are too small, run
 * past the end or miss the end tag, strings without their NUL, modules with
 * end < start or too many of them, malformed or duplicate memory maps, a
 * missing memory map, RSDP copies with a bad signature or checksum.
 */
int mb2_parse(const void *info, size_t limit, struct mb2_info *out,
	      char *why, size_t whylen);

/* Memory map entry i of a parsed block (i < mmap_count), as an EXO_MEM_* type. */
void mb2_mmap_entry(const struct mb2_info *mi, uint32_t i, struct exo_mem_region *out);

#endif /* LOADER_MB2_H */
