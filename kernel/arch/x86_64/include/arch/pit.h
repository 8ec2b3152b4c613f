/*
 * The 8254 PIT: a reference clock (channel 2, polled) and, without a
 * LAPIC, the periodic tick (channel 0 on IRQ 0).
 */
#ifndef ARCH_PIT_H
#define ARCH_PIT_H

#include <stdint.h>

#define PIT_HZ 1193182u  /* input clock of the 8254 on PCs */

/* Busy-wait `us` microseconds measured by PIT channel 2. */
void pit_wait_us(uint32_t us);

/* Channel 0 interrupts (IRQ 0) at about hz per second. */
void pit_periodic(uint32_t hz);

#endif /* ARCH_PIT_H */
