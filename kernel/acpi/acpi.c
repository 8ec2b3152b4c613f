/*
 * Walking the firmware's ACPI tables (ACPI 6.5, 5.2): RSDP -> RSDT or
 * XSDT -> the table with a given signature. Every table is mapped twice:
 * its header first, to learn the length, then the whole table; the pure
 * checks in madt.c validate lengths and checksums before anything is used.
 */
#include <string.h>

#include <acpi/acpi.h>
#include <acpi/acpi_tables.h>
#include <acpi/sdt.h>
#include <fmt.h>
#include <mm/kvm.h>

/* Firmware tables are small; a bigger length means corruption. */
#define ACPI_TABLE_MAX (1u << 20)

static const void *map_table(uint64_t pa, uint32_t *len, char *why, size_t whylen)
{
	struct acpi_sdt_header h;

	if (pa == 0 || pa + sizeof(h) < pa) {
		fmt_snprintf(why, whylen, "ACPI: table address %#lx", (unsigned long)pa);
		return NULL;
	}
	memcpy(&h, (const void *)kvm_map_mmio(pa, sizeof(h)), sizeof(h));
	if (h.length < sizeof(h) || h.length > ACPI_TABLE_MAX) {
		fmt_snprintf(why, whylen, "ACPI: table '%.4s' at %#lx has length %u",
			     h.signature, (unsigned long)pa, h.length);
		return NULL;
	}
	*len = h.length;
	return (const void *)kvm_map_mmio(pa, h.length);
}

static const void *find_table(const struct exo_bootinfo *bi, const char *sig,
			      uint32_t *len, char *why, size_t whylen)
{
	uint64_t root_pa;
	int xsdt;
	uint32_t rlen, tlen;
	char sub[96];

	if (bi->rsdp_len == 0) {
		fmt_snprintf(why, whylen, "ACPI: GRUB passed no RSDP");
		return NULL;
	}
	if (acpi_rsdp_parse(bi->rsdp, bi->rsdp_len, &root_pa, &xsdt, why, whylen) < 0)
		return NULL;
	const void *root = map_table(root_pa, &rlen, why, whylen);
	if (root == NULL ||
	    !acpi_sdt_check(root, rlen, xsdt ? "XSDT" : "RSDT", why, whylen))
		return NULL;
	for (size_t i = 0; i < acpi_root_count(root, xsdt); i++) {
		const void *t = map_table(acpi_root_entry(root, xsdt, i), &tlen,
					  sub, sizeof(sub));
		if (t == NULL || memcmp(t, sig, 4) != 0)
			continue;
		if (!acpi_sdt_check(t, tlen, sig, why, whylen))
			return NULL;
		*len = tlen;
		return t;
	}
	fmt_snprintf(why, whylen, "ACPI: no '%s' table", sig);
	return NULL;
}

int acpi_madt(const struct exo_bootinfo *bi, struct madt_info *out,
	      char *why, size_t whylen)
{
	uint32_t len;
	const void *t = find_table(bi, "APIC", &len, why, whylen);

	if (t == NULL)
		return -1;
	return madt_parse(t, len, out, why, whylen);
}
