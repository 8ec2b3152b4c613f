/*
 * The periodic tick source: the LAPIC timer calibrated against the PIT,
 * or the PIT itself when the CPU has no LAPIC.
 */
#ifndef ARCH_CLOCK_H
#define ARCH_CLOCK_H

#include <stdint.h>

struct clock_info {
	uint64_t lapic_hz;   /* LAPIC timer input after the divide-by-16; 0: PIT */
	uint64_t tsc_hz;
	uint32_t hz;         /* tick rate programmed */
};

/*
 * Mask the legacy PIC, calibrate the LAPIC timer and the TSC against the
 * PIT, and start a periodic interrupt at `hz` (vector T_TIMER, or IRQ 0 at
 * T_PIC_BASE without a LAPIC).
 */
void clock_init(uint32_t hz, struct clock_info *info);

/* If vector is the tick interrupt, acknowledge it and return 1. */
int clock_irq(uint64_t vector);

#endif /* ARCH_CLOCK_H */
