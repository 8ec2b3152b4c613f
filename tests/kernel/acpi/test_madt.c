/*
 * Host tests for ACPI parsing (kernel/acpi/madt.c) on crafted tables: a
 * MADT shaped like QEMU's -machine pc one, the root pointer in both
 * revisions, the root tables, and corrupt variants of each.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <acpi/acpi_tables.h>
#include <acpi/madt.h>
#include <acpi/sdt.h>

static uint8_t t[512];
static size_t tlen;
static char why[128];

static void fix_checksum(uint8_t *p, size_t len, size_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	p[at] = (uint8_t)-sum;
}

static void add(const void *e, size_t len)
{
	memcpy(t + tlen, e, len);
	tlen += len;
}

static void finish(void)
{
	struct acpi_sdt_header h;

	memcpy(&h, t, sizeof(h));
	h.length = (uint32_t)tlen;
	memcpy(t, &h, sizeof(h));
	fix_checksum(t, tlen, offsetof(struct acpi_sdt_header, checksum));
}

static void iso(uint8_t src, uint32_t gsi, uint16_t flags)
{
	struct acpi_madt_iso e = { { MADT_ISO, sizeof(e) }, 0, src, gsi, flags };

	add(&e, sizeof(e));
}

/* QEMU's MADT: one CPU, one I/O APIC, overrides for IRQ 0, 5, 9, 10, 11. */
static int build_qemu_madt(void **state)
{
	struct acpi_madt m;
	uint8_t lapic[8] = { MADT_LAPIC, 8, 0, 0, 1, 0, 0, 0 };
	struct acpi_madt_ioapic io = { { MADT_IOAPIC, sizeof(io) }, 0, 0, 0xfec00000u, 0 };

	(void)state;
	memset(t, 0, sizeof(t));
	tlen = 0;
	memset(&m, 0, sizeof(m));
	memcpy(m.hdr.signature, "APIC", 4);
	m.hdr.revision = 1;
	m.lapic_address = 0xfee00000u;
	m.flags = 1;
	add(&m, sizeof(m));
	add(lapic, sizeof(lapic));
	add(&io, sizeof(io));
	iso(0, 2, 0);
	iso(5, 5, MPS_TRIGGER_LEVEL | MPS_POLARITY_HIGH);
	iso(9, 9, MPS_TRIGGER_LEVEL | MPS_POLARITY_HIGH);
	iso(10, 10, MPS_TRIGGER_LEVEL | MPS_POLARITY_HIGH);
	iso(11, 11, MPS_TRIGGER_LEVEL | MPS_POLARITY_HIGH);
	uint8_t nmi[6] = { 4, 6, 0xff, 0, 0, 1 };  /* LAPIC NMI: skipped */
	add(nmi, sizeof(nmi));
	finish();
	return 0;
}

static void parse_qemu(void **state)
{
	struct madt_info mi;
	uint16_t flags;

	(void)state;
	assert_int_equal(acpi_sdt_check(t, tlen, "APIC", why, sizeof(why)), tlen);
	assert_int_equal(madt_parse(t, tlen, &mi, why, sizeof(why)), 0);
	assert_int_equal(mi.lapic_address, 0xfee00000u);
	assert_int_equal(mi.pcat_compat, 1);
	assert_int_equal(mi.nlapics, 1);
	assert_int_equal(mi.nioapics, 1);
	assert_int_equal(mi.ioapics[0].address, 0xfec00000u);
	assert_int_equal(mi.ioapics[0].gsi_base, 0);
	assert_int_equal(mi.nisos, 5);
	/* The PIT's IRQ 0 arrives on pin 2, with the bus's own flags. */
	assert_int_equal(madt_isa_gsi(&mi, 0, &flags), 2);
	assert_int_equal(flags, 0);
	/* PCI INTx routed to IRQ 11: level, active high on QEMU. */
	assert_int_equal(madt_isa_gsi(&mi, 11, &flags), 11);
	assert_int_equal(flags & MPS_TRIGGER_MASK, MPS_TRIGGER_LEVEL);
	assert_int_equal(flags & MPS_POLARITY_MASK, MPS_POLARITY_HIGH);
	/* No override: identity. */
	assert_int_equal(madt_isa_gsi(&mi, 4, &flags), 4);
	assert_int_equal(flags, 0);
}

static void bad_checksum_and_signature(void **state)
{
	(void)state;
	t[50] ^= 1;
	assert_int_equal(acpi_sdt_check(t, tlen, "APIC", why, sizeof(why)), 0);
	assert_non_null(strstr(why, "checksum"));
	t[50] ^= 1;
	assert_int_equal(acpi_sdt_check(t, tlen, "FACP", why, sizeof(why)), 0);
	assert_non_null(strstr(why, "signature"));
	/* The header claims more bytes than exist. */
	assert_int_equal(acpi_sdt_check(t, tlen - 1, "APIC", why, sizeof(why)), 0);
	assert_non_null(strstr(why, "length"));
	assert_int_equal(acpi_sdt_check(t, 10, NULL, why, sizeof(why)), 0);
}

static void corrupt_entries(void **state)
{
	struct madt_info mi;
	size_t first = sizeof(struct acpi_madt);

	(void)state;
	/* Zero-length entry: would loop forever if trusted. */
	t[first + 1] = 0;
	assert_int_equal(madt_parse(t, tlen, &mi, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "length 0"));
	/* An entry running past the end. */
	t[first + 1] = 250;
	assert_int_equal(madt_parse(t, tlen, &mi, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "past the table end"));
	/* An I/O APIC entry shorter than its structure. */
	t[first + 1] = 8;
	t[first + 8 + 1] = 6;
	assert_int_equal(madt_parse(t, tlen, &mi, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "I/O APIC"));
}

static void truncated_tail(void **state)
{
	struct madt_info mi;
	struct acpi_sdt_header h;

	(void)state;
	/* Length one byte into a final entry header. */
	memcpy(&h, t, sizeof(h));
	h.length = (uint32_t)(tlen - 5);
	memcpy(t, &h, sizeof(h));
	assert_int_equal(madt_parse(t, tlen, &mi, why, sizeof(why)), -1);
	/* Length below the fixed part. */
	h.length = 40;
	memcpy(t, &h, sizeof(h));
	assert_int_equal(madt_parse(t, tlen, &mi, why, sizeof(why)), -1);
	assert_int_equal(madt_parse(t, 20, &mi, why, sizeof(why)), -1);
}

static void no_ioapic_and_too_many(void **state)
{
	struct madt_info mi;
	struct acpi_madt m;

	(void)state;
	memset(&m, 0, sizeof(m));
	memcpy(m.hdr.signature, "APIC", 4);
	tlen = 0;
	add(&m, sizeof(m));
	finish();
	assert_int_equal(madt_parse(t, tlen, &mi, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "no I/O APIC"));
	for (int i = 0; i <= MADT_MAX_ISOS; i++)
		iso((uint8_t)i, (uint32_t)i, 0);
	finish();
	assert_int_equal(madt_parse(t, tlen, &mi, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "overrides"));
}

static void rsdp(void **state)
{
	struct acpi_rsdp r;
	uint64_t root;
	int xsdt;

	(void)state;
	memset(&r, 0, sizeof(r));
	memcpy(r.signature, "RSD PTR ", 8);
	r.rsdt_address = 0x1ffe1000;
	fix_checksum((uint8_t *)&r, ACPI_RSDP_V1_LEN, offsetof(struct acpi_rsdp, checksum));
	assert_int_equal(acpi_rsdp_parse(&r, ACPI_RSDP_V1_LEN, &root, &xsdt, why, sizeof(why)), 0);
	assert_int_equal(root, 0x1ffe1000);
	assert_int_equal(xsdt, 0);
	/* Revision 2 with an XSDT: preferred. */
	r.revision = 2;
	r.length = sizeof(r);
	r.xsdt_address = 0x1ffe2000;
	fix_checksum((uint8_t *)&r, ACPI_RSDP_V1_LEN, offsetof(struct acpi_rsdp, checksum));
	fix_checksum((uint8_t *)&r, sizeof(r), offsetof(struct acpi_rsdp, ext_checksum));
	assert_int_equal(acpi_rsdp_parse(&r, sizeof(r), &root, &xsdt, why, sizeof(why)), 0);
	assert_int_equal(root, 0x1ffe2000);
	assert_int_equal(xsdt, 1);
	/* ... but the copy must hold the extended part. */
	assert_int_equal(acpi_rsdp_parse(&r, 24, &root, &xsdt, why, sizeof(why)), -1);
	r.ext_checksum ^= 1;
	assert_int_equal(acpi_rsdp_parse(&r, sizeof(r), &root, &xsdt, why, sizeof(why)), -1);
	r.signature[0] = 'X';
	assert_int_equal(acpi_rsdp_parse(&r, sizeof(r), &root, &xsdt, why, sizeof(why)), -1);
	assert_int_equal(acpi_rsdp_parse(&r, 19, &root, &xsdt, why, sizeof(why)), -1);
}

static void root_entries(void **state)
{
	struct acpi_sdt_header h;
	uint32_t e32[3] = { 0x1000, 0x2000, 0x3000 };
	uint64_t e64[2] = { 0x100000000ull, 0x5000 };

	(void)state;
	memset(&h, 0, sizeof(h));
	memcpy(h.signature, "RSDT", 4);
	tlen = 0;
	add(&h, sizeof(h));
	add(e32, sizeof(e32));
	finish();
	assert_int_equal(acpi_sdt_check(t, tlen, "RSDT", why, sizeof(why)), tlen);
	assert_int_equal(acpi_root_count(t, 0), 3);
	assert_int_equal(acpi_root_entry(t, 0, 2), 0x3000);
	memcpy(h.signature, "XSDT", 4);
	tlen = 0;
	add(&h, sizeof(h));
	add(e64, sizeof(e64));
	finish();
	assert_int_equal(acpi_root_count(t, 1), 2);
	assert_int_equal(acpi_root_entry(t, 1, 0), 0x100000000ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(parse_qemu, build_qemu_madt),
		cmocka_unit_test_setup(bad_checksum_and_signature, build_qemu_madt),
		cmocka_unit_test_setup(corrupt_entries, build_qemu_madt),
		cmocka_unit_test_setup(truncated_tail, build_qemu_madt),
		cmocka_unit_test_setup(no_ioapic_and_too_many, build_qemu_madt),
		cmocka_unit_test(rsdp),
		cmocka_unit_test_setup(root_entries, build_qemu_madt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
