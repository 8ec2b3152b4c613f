/*
 * Message-signalled interrupts as the x86 LAPIC understands them: the
 * address/data pair a PCI device writes to raise `vector` on a CPU
 * (Intel SDM Vol. 3A 11.11.1 Message Address Register Format, 11.11.2
 * Message Data Register Format). Pure arithmetic, host-tested.
 */
#ifndef ARCH_MSI_H
#define ARCH_MSI_H

#include <stdint.h>

#define MSI_ADDR_BASE     0xfee00000u  /* bits 31:20 = 0FEEH */
#define MSI_ADDR_DEST_SHIFT 12         /* destination APIC ID, bits 19:12 */
#define MSI_DATA_LEVEL    (1u << 15)   /* trigger mode; 0 = edge */
#define MSI_DATA_ASSERT   (1u << 14)   /* level for level-triggered only */

struct msi_msg {
	uint64_t address;
	uint32_t data;
};

/*
 * Edge-triggered, fixed delivery, physical destination `apic_id`. Vectors
 * below 16 are reserved (11.11.2), so they are refused with -1.
 */
int msi_compose(uint8_t apic_id, uint8_t vector, struct msi_msg *out);

#endif /* ARCH_MSI_H */
