/*
 * test=timer: with interrupts on, measure 250 ms with the PIT (a clock
 * independent of the tick source) and check, over that window:
 *   - the tick counter advanced by 250 ms worth of ticks (-25%..+30%): the
 *     calibration and the time-keeping are right. The band is wide on
 *     purpose: under TCG on a loaded host, QEMU can be descheduled in the
 *     middle of the PIT stopwatch and stretch the window; a wrong divisor or
 *     a dead timer is off by far more. Precision is a benchmark matter;
 *   - the TSC advanced by its calibrated rate (same band);
 *   - timer interrupts really arrived, at most one per tick and at least
 *     half of them: merged interrupts on a loaded host are tolerated
 *     (timer.c catches up), a dead or wildly misprogrammed timer is not.
 */
#include <stdint.h>

#include <arch/cpu.h>
#include <arch/pit.h>
#include <console/console.h>
#include <test/ktest.h>
#include <time/timer.h>

#define WINDOW_US 250000

static int within(uint64_t got, uint64_t want, unsigned lo_pct, unsigned hi_pct)
{
	return got * 100 >= want * lo_pct && got * 100 <= want * hi_pct;
}

void ktest_timer(void)
{
	uint64_t want = (uint64_t)TIMER_HZ * WINDOW_US / 1000000;
	uint64_t want_tsc = timer_tsc_hz() / (1000000 / WINDOW_US);

	sti();
	uint64_t t0 = timer_ticks(), i0 = timer_interrupts(), c0 = rdtsc();
	pit_wait_us(WINDOW_US);
	uint64_t t1 = timer_ticks(), i1 = timer_interrupts(), c1 = rdtsc();
	cli();
	uint64_t ticks = t1 - t0, irqs = i1 - i0, tsc = c1 - c0;
	printk("ktest: timer: %lu ticks and %lu interrupts in %u ms (want %lu), %lu TSC cycles (want %lu)\n",
	       (unsigned long)ticks, (unsigned long)irqs, WINDOW_US / 1000,
	       (unsigned long)want, (unsigned long)tsc, (unsigned long)want_tsc);
	if (!within(ticks, want, 75, 130))
		ktest_fail("timer: %lu ticks, want %lu (75%%..130%%)", (unsigned long)ticks,
			   (unsigned long)want);
	if (!within(tsc, want_tsc, 75, 130))
		ktest_fail("timer: TSC ran %lu cycles, want %lu (75%%..130%%)",
			   (unsigned long)tsc, (unsigned long)want_tsc);
	if (!within(irqs, want, 40, 130))
		ktest_fail("timer: %lu interrupts, want %lu (50%%..110%%)",
			   (unsigned long)irqs, (unsigned long)want);
	ktest_pass("timer");
}
