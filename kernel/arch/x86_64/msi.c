/* MSI message composition (arch/msi.h). */
#include <arch/msi.h>

int msi_compose(uint8_t apic_id, uint8_t vector, struct msi_msg *out)
{
	if (vector < 16)
		return -1;
	/*
	 * Redirection hint 0 and destination mode 0 (physical): the message
	 * goes to exactly the named LAPIC. Data: delivery mode 000 (fixed),
	 * edge trigger, so the level-assert bit is irrelevant and left 0.
	 */
	out->address = MSI_ADDR_BASE | ((uint32_t)apic_id << MSI_ADDR_DEST_SHIFT);
	out->data = vector;
	return 0;
}
