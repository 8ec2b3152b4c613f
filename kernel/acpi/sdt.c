/*
 * ACPI table checks (acpi/sdt.h). Tables are read with memcpy into packed
 * structures because firmware places them at any byte alignment.
 */
#include <string.h>

#include <acpi/acpi_tables.h>
#include <acpi/sdt.h>
#include <fmt.h>

#define FAIL(...) do { fmt_snprintf(why, whylen, __VA_ARGS__); return -1; } while (0)

int acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + b[i]);
	return sum == 0;
}

int acpi_rsdp_parse(const void *rsdp, size_t len, uint64_t *root, int *xsdt,
		    char *why, size_t whylen)
{
	struct acpi_rsdp r;

	if (len < ACPI_RSDP_V1_LEN)
		FAIL("RSDP: %zu bytes, need at least %d", len, ACPI_RSDP_V1_LEN);
	memset(&r, 0, sizeof(r));
	memcpy(&r, rsdp, len < sizeof(r) ? len : sizeof(r));
	if (memcmp(r.signature, "RSD PTR ", 8) != 0)
		FAIL("RSDP: bad signature");
	if (!acpi_checksum_ok(rsdp, ACPI_RSDP_V1_LEN))
		FAIL("RSDP: bad checksum");
	if (r.revision >= 2) {
		if (r.length < sizeof(r) || r.length > len)
			FAIL("RSDP: extended length %u with %zu bytes present",
			     r.length, len);
		if (!acpi_checksum_ok(rsdp, r.length))
			FAIL("RSDP: bad extended checksum");
		if (r.xsdt_address != 0) {
			*root = r.xsdt_address;
			*xsdt = 1;
			return 0;
		}
	}
	if (r.rsdt_address == 0)
		FAIL("RSDP: no root table address");
	*root = r.rsdt_address;
	*xsdt = 0;
	return 0;
}

uint32_t acpi_sdt_check(const void *table, size_t len, const char *sig,
			char *why, size_t whylen)
{
	struct acpi_sdt_header h;

	if (len < sizeof(h)) {
		fmt_snprintf(why, whylen, "table: %zu bytes, shorter than a header", len);
		return 0;
	}
	memcpy(&h, table, sizeof(h));
	if (sig && memcmp(h.signature, sig, 4) != 0) {
		fmt_snprintf(why, whylen, "table: signature '%.4s', expected '%.4s'",
			     h.signature, sig);
		return 0;
	}
	if (h.length < sizeof(h) || h.length > len) {
		fmt_snprintf(why, whylen, "table '%.4s': length %u outside [%zu, %zu]",
			     h.signature, h.length, sizeof(h), len);
		return 0;
	}
	if (!acpi_checksum_ok(table, h.length)) {
		fmt_snprintf(why, whylen, "table '%.4s': bad checksum", h.signature);
		return 0;
	}
	return h.length;
}

size_t acpi_root_count(const void *root, int xsdt)
{
	struct acpi_sdt_header h;

	memcpy(&h, root, sizeof(h));
	return (h.length - sizeof(h)) / (xsdt ? 8 : 4);
}

uint64_t acpi_root_entry(const void *root, int xsdt, size_t i)
{
	const uint8_t *p = (const uint8_t *)root + sizeof(struct acpi_sdt_header);

	if (xsdt) {
		uint64_t a;
		memcpy(&a, p + 8 * i, 8);
		return a;
	}
	uint32_t a;
	memcpy(&a, p + 4 * i, 4);
	return a;
}
