/*
 * The local APIC (xAPIC MMIO mode) and its timer. Registers: Intel SDM
 * Vol. 3A 11.4.1, Table 11-1; the timer: 11.5.4.
 */
#ifndef ARCH_LAPIC_H
#define ARCH_LAPIC_H

#include <stdint.h>

/* Map and software-enable the LAPIC; spurious vector T_SPURIOUS. */
void lapic_init(void);

void lapic_eoi(void);

/*
 * Count LAPIC timer ticks (divide-by-16) and TSC cycles during `us`
 * microseconds of PIT time.
 */
void lapic_timer_measure(uint32_t us, uint64_t *lapic_counts, uint64_t *tsc);

/* Periodic timer on vector T_TIMER, `initial` counts per interrupt. */
void lapic_timer_periodic(uint32_t initial);

#endif /* ARCH_LAPIC_H */
