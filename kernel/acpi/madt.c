/*
 * MADT parsing (acpi/madt.h). Entries are read with memcpy into packed
 * structures because firmware places tables at any byte alignment.
 */
#include <string.h>

#include <acpi/acpi_tables.h>
#include <acpi/madt.h>
#include <fmt.h>

#define FAIL(...) do { fmt_snprintf(why, whylen, __VA_ARGS__); return -1; } while (0)

static int madt_entry(struct madt_info *out, const uint8_t *e, uint8_t type,
		      uint8_t elen, size_t off, char *why, size_t whylen)
{
	switch (type) {
	case MADT_LAPIC:
		if (elen < 8)
			FAIL("MADT: local APIC entry at %zu has length %u < 8", off, elen);
		out->nlapics++;
		return 0;
	case MADT_IOAPIC: {
		struct acpi_madt_ioapic io;
		if (elen < sizeof(io))
			FAIL("MADT: I/O APIC entry at %zu has length %u < %zu", off,
			     elen, sizeof(io));
		if (out->nioapics == MADT_MAX_IOAPICS)
			FAIL("MADT: more than %d I/O APICs", MADT_MAX_IOAPICS);
		memcpy(&io, e, sizeof(io));
		out->ioapics[out->nioapics++] = (struct madt_ioapic){
			.id = io.ioapic_id, .address = io.address,
			.gsi_base = io.gsi_base,
		};
		return 0;
	}
	case MADT_ISO: {
		struct acpi_madt_iso iso;
		if (elen < sizeof(iso))
			FAIL("MADT: override entry at %zu has length %u < %zu", off,
			     elen, sizeof(iso));
		if (out->nisos == MADT_MAX_ISOS)
			FAIL("MADT: more than %d interrupt source overrides",
			     MADT_MAX_ISOS);
		memcpy(&iso, e, sizeof(iso));
		if (iso.bus != 0)
			FAIL("MADT: override at %zu for bus %u (only ISA, bus 0, is defined)",
			     off, iso.bus);
		out->isos[out->nisos++] = (struct madt_iso){
			.source = iso.source, .gsi = iso.gsi, .flags = iso.flags,
		};
		return 0;
	}
	case MADT_LAPIC_OVERRIDE: {
		struct acpi_madt_lapic_override lo;
		if (elen < sizeof(lo))
			FAIL("MADT: LAPIC address override at %zu has length %u < %zu",
			     off, elen, sizeof(lo));
		memcpy(&lo, e, sizeof(lo));
		out->lapic_address = lo.address;
		return 0;
	}
	default:
		return 0;  /* x2APIC, NMI, GIC...: nothing routing needs */
	}
}

int madt_parse(const void *table, size_t len, struct madt_info *out,
	       char *why, size_t whylen)
{
	const uint8_t *t = table;
	struct acpi_madt m;

	memset(out, 0, sizeof(*out));
	if (len < sizeof(m))
		FAIL("MADT: %zu bytes, shorter than its fixed part", len);
	memcpy(&m, t, sizeof(m));
	if (m.hdr.length > len || m.hdr.length < sizeof(m))
		FAIL("MADT: length %u outside [%zu, %zu]", m.hdr.length, sizeof(m), len);
	out->lapic_address = m.lapic_address;
	out->pcat_compat = m.flags & 1;
	for (size_t off = sizeof(m); off < m.hdr.length;) {
		if (m.hdr.length - off < 2)
			FAIL("MADT: truncated entry header at offset %zu", off);
		uint8_t type = t[off], elen = t[off + 1];
		if (elen < 2)
			FAIL("MADT: entry at offset %zu has length %u", off, elen);
		if (elen > m.hdr.length - off)
			FAIL("MADT: entry at offset %zu (length %u) runs past the table end %u",
			     off, elen, m.hdr.length);
		if (madt_entry(out, t + off, type, elen, off, why, whylen) < 0)
			return -1;
		off += elen;
	}
	if (out->nioapics == 0)
		FAIL("MADT: no I/O APIC");
	return 0;
}

uint32_t madt_isa_gsi(const struct madt_info *mi, uint8_t irq, uint16_t *flags)
{
	for (unsigned i = 0; i < mi->nisos; i++)
		if (mi->isos[i].source == irq) {
			*flags = mi->isos[i].flags;
			return mi->isos[i].gsi;
		}
	*flags = 0;
	return irq;
}
