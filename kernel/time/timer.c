/*
 * The tick counter. Under emulation (and on busy hosts) timer interrupts
 * can be delivered late and then merged: QEMU raises IRQ 0 or the LAPIC
 * timer again while the previous one is still pending, and one is lost.
 * Counting interrupts would then make time run slow, which deadlines
 * counted in ticks cannot afford. So each interrupt advances the counter
 * by the number of whole tick periods the (calibrated) TSC says have
 * passed since the last advance; the interrupt count is kept separately.
 */
#include <arch/clock.h>
#include <arch/cpu.h>
#include <time/timer.h>

static volatile uint64_t ticks, interrupts;
static uint64_t tsc_per_tick, tsc_next;
static struct clock_info clock;

void timer_init(void)
{
	clock_init(TIMER_HZ, &clock);
	tsc_per_tick = clock.tsc_hz / TIMER_HZ;
	tsc_next = rdtsc() + tsc_per_tick;
}

void timer_tick(void)
{
	uint64_t now = rdtsc();

	interrupts++;
	if (tsc_per_tick == 0) {
		ticks++;
		return;
	}
	/* Whole periods elapsed; the phase stays that of timer_init(). */
	while ((int64_t)(now - tsc_next) >= 0) {
		ticks++;
		tsc_next += tsc_per_tick;
	}
}

uint64_t timer_ticks(void)
{
	return ticks;
}

uint64_t timer_interrupts(void)
{
	return interrupts;
}

uint64_t timer_tsc_hz(void)
{
	return clock.tsc_hz;
}
