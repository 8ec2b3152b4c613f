/*
 * The kernel's notion of time: a tick counter advanced by the periodic
 * timer interrupt, TIMER_HZ ticks per second even when interrupts are
 * merged (see timer.c). Later issues hang time slices off timer_tick().
 */
#ifndef TIME_TIMER_H
#define TIME_TIMER_H

#include <stdint.h>

#define TIMER_HZ 1000

void timer_init(void);

/* Called from the timer interrupt. */
void timer_tick(void);

/* Ticks since timer_init(). */
uint64_t timer_ticks(void);

/* Timer interrupts taken (at most one per tick; fewer if some merged). */
uint64_t timer_interrupts(void);

/* Calibrated TSC frequency in Hz (0 before timer_init). */
uint64_t timer_tsc_hz(void);

#endif /* TIME_TIMER_H */
