/*
 * Tick source set-up. The LAPIC timer runs at the (unknown) bus or core
 * crystal frequency, so it is measured against the PIT, whose 1.193182 MHz
 * input is fixed on PCs; the TSC is measured in the same windows. Anything
 * that disturbs a window (the polled PIT end seen late, the emulator's
 * thread descheduled on a busy host) only makes it look longer, so of
 * several short windows the one with the fewest TSC cycles is the truest.
 * Without a LAPIC, PIT channel 0 on IRQ 0 through the 8259 is the tick.
 */
#include <arch/clock.h>
#include <arch/cpu.h>
#include <arch/features.h>
#include <arch/lapic.h>
#include <arch/pic.h>
#include <arch/pit.h>
#include <arch/trap.h>
#include <console/console.h>

#define CAL_US 10000
#define CAL_RUNS 4

static int use_pit;

/* Best of CAL_RUNS windows: per-second TSC and LAPIC rates. */
static void calibrate(int lapic, uint64_t *tsc_hz, uint64_t *lapic_hz)
{
	uint64_t best_tsc = UINT64_MAX, best_counts = 0;

	for (int i = 0; i < CAL_RUNS; i++) {
		uint64_t counts = 0, tsc;
		if (lapic) {
			lapic_timer_measure(CAL_US, &counts, &tsc);
		} else {
			uint64_t t0 = rdtsc();
			pit_wait_us(CAL_US);
			tsc = rdtsc() - t0;
		}
		if (tsc < best_tsc) {
			best_tsc = tsc;
			best_counts = counts;
		}
	}
	*tsc_hz = best_tsc * (1000000 / CAL_US);
	*lapic_hz = best_counts * (1000000 / CAL_US);
}

void clock_init(uint32_t hz, struct clock_info *info)
{
	pic_disable();
	info->hz = hz;
	if (!cpu_has.apic) {
		use_pit = 1;
		calibrate(0, &info->tsc_hz, &info->lapic_hz);
		pit_periodic(hz);
		pic_unmask(0);
		printk("clock: no LAPIC; PIT tick %u Hz, TSC %lu MHz\n", hz,
		       (unsigned long)(info->tsc_hz / 1000000));
		return;
	}
	lapic_init();
	calibrate(1, &info->tsc_hz, &info->lapic_hz);
	if (info->lapic_hz < hz)
		panic("clock: LAPIC timer too slow (%lu Hz) for %u Hz ticks",
		      (unsigned long)info->lapic_hz, hz);
	lapic_timer_periodic((uint32_t)(info->lapic_hz / hz));
	printk("clock: LAPIC timer %lu kHz, TSC %lu MHz, tick %u Hz\n",
	       (unsigned long)(info->lapic_hz / 1000),
	       (unsigned long)(info->tsc_hz / 1000000), hz);
}

int clock_irq(uint64_t vector)
{
	if (vector == T_TIMER && !use_pit) {
		lapic_eoi();
		return 1;
	}
	if (vector == T_PIC_BASE && use_pit) {
		pic_eoi(0);
		return 1;
	}
	return 0;
}
