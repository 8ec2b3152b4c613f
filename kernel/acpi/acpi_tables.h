/*
 * ACPI wire formats the kernel reads: the root pointer, the common table
 * header, the root tables and the MADT with the entries interrupt routing
 * needs. Section numbers: ACPI Specification 6.5. All fields are little
 * endian and packed; tables may sit at any byte alignment in memory.
 */
#ifndef ACPI_ACPI_TABLES_H
#define ACPI_ACPI_TABLES_H

#include <stdint.h>

/* Root System Description Pointer (5.2.5.3, Table 5.3). */
struct acpi_rsdp {
	char signature[8];       /* "RSD PTR " */
	uint8_t checksum;        /* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;        /* 0: ACPI 1.0 (no XSDT), 2+: extended fields valid */
	uint32_t rsdt_address;
	uint32_t length;         /* of the whole structure (revision >= 2) */
	uint64_t xsdt_address;
	uint8_t ext_checksum;    /* over `length` bytes */
	uint8_t reserved[3];
} __attribute__((packed));

#define ACPI_RSDP_V1_LEN 20
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP layout");

/* System Description Table header, common to every table (5.2.6, Table 5.4). */
struct acpi_sdt_header {
	char signature[4];
	uint32_t length;         /* of the whole table, header included */
	uint8_t revision;
	uint8_t checksum;        /* all `length` bytes sum to 0 mod 256 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_sdt_header) == 36, "SDT header layout");

/*
 * RSDT (5.2.7): the header followed by 32-bit physical table addresses;
 * XSDT (5.2.8): the same with 64-bit addresses.
 */

/* Multiple APIC Description Table (5.2.12, Table 5.19). */
struct acpi_madt {
	struct acpi_sdt_header hdr;  /* signature "APIC" */
	uint32_t lapic_address;
	uint32_t flags;              /* bit 0: PCAT_COMPAT (8259s present) */
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_madt) == 44, "MADT layout");

/* Every interrupt controller structure starts with type and length (5.2.12). */
struct acpi_madt_entry {
	uint8_t type;
	uint8_t length;
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_madt_entry) == 2, "MADT entry header layout");

#define MADT_LAPIC           0  /* Processor Local APIC, 5.2.12.2 */
#define MADT_IOAPIC          1  /* I/O APIC, 5.2.12.3 */
#define MADT_ISO             2  /* Interrupt Source Override, 5.2.12.5 */
#define MADT_LAPIC_OVERRIDE  5  /* Local APIC Address Override, 5.2.12.8 */

/* I/O APIC structure (5.2.12.3, Table 5.24). */
struct acpi_madt_ioapic {
	struct acpi_madt_entry h;
	uint8_t ioapic_id;
	uint8_t reserved;
	uint32_t address;        /* physical MMIO base */
	uint32_t gsi_base;       /* first global system interrupt of its pins */
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_madt_ioapic) == 12, "MADT I/O APIC layout");

/* Interrupt Source Override (5.2.12.5, Table 5.25). */
struct acpi_madt_iso {
	struct acpi_madt_entry h;
	uint8_t bus;             /* 0 = ISA */
	uint8_t source;          /* bus-relative IRQ */
	uint32_t gsi;
	uint16_t flags;          /* MPS INTI flags, Table 5.26 */
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_madt_iso) == 10, "MADT override layout");

/* MPS INTI flags (Table 5.26): polarity bits 1:0, trigger mode bits 3:2. */
#define MPS_POLARITY_MASK     0x3
#define MPS_POLARITY_CONFORM  0x0   /* as the bus says (ISA: high) */
#define MPS_POLARITY_HIGH     0x1
#define MPS_POLARITY_LOW      0x3
#define MPS_TRIGGER_MASK      0xc
#define MPS_TRIGGER_CONFORM   0x0   /* as the bus says (ISA: edge) */
#define MPS_TRIGGER_EDGE      0x4
#define MPS_TRIGGER_LEVEL     0xc

/* Local APIC Address Override (5.2.12.8, Table 5.29). */
struct acpi_madt_lapic_override {
	struct acpi_madt_entry h;
	uint16_t reserved;
	uint64_t address;
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_madt_lapic_override) == 12, "MADT LAPIC override layout");

#endif /* ACPI_ACPI_TABLES_H */
