/*
 * Local APIC in xAPIC mode: memory-mapped registers at the physical base
 * from IA32_APIC_BASE, mapped uncached (SDM Vol. 3A 11.4.1: the APIC page
 * must be strong-uncacheable).
 */
#include <stdint.h>

#include <arch/cpu.h>
#include <arch/lapic.h>
#include <arch/msr.h>
#include <arch/paging.h>
#include <arch/pit.h>
#include <arch/trap.h>
#include <console/console.h>
#include <mm/kvm.h>

/* Register offsets (SDM Vol. 3A Table 11-1). */
#define LAPIC_ID      0x020
#define LAPIC_TPR     0x080
#define LAPIC_EOI     0x0b0
#define LAPIC_SVR     0x0f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3e0

#define SVR_ENABLE      (1u << 8)
#define LVT_MASKED      (1u << 16)
#define LVT_PERIODIC    (1u << 17)   /* timer mode 01b (SDM Figure 11-8) */
#define TIMER_DIV_16    0x3          /* divide configuration (Figure 11-10) */

static volatile uint32_t *lapic;

static uint32_t rd(uint32_t reg)
{
	return lapic[reg / 4];
}

static void wr(uint32_t reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic = kvm_map_mmio(base & APIC_BASE_ADDR, PAGE_SIZE);
	wr(LAPIC_TPR, 0);                      /* accept every priority */
	wr(LAPIC_SVR, SVR_ENABLE | T_SPURIOUS);
	wr(LAPIC_LVT_TIMER, LVT_MASKED | T_TIMER);
}

void lapic_eoi(void)
{
	wr(LAPIC_EOI, 0);
}

void lapic_timer_measure(uint32_t us, uint64_t *lapic_counts, uint64_t *tsc)
{
	wr(LAPIC_TIMER_DIV, TIMER_DIV_16);
	wr(LAPIC_LVT_TIMER, LVT_MASKED | T_TIMER);  /* one-shot, no interrupt */
	uint64_t t0 = rdtsc();
	wr(LAPIC_TIMER_INIT, 0xffffffff);
	pit_wait_us(us);
	uint32_t left = rd(LAPIC_TIMER_CUR);
	*tsc = rdtsc() - t0;
	wr(LAPIC_TIMER_INIT, 0);
	*lapic_counts = 0xffffffffu - left;
}

void lapic_timer_periodic(uint32_t initial)
{
	wr(LAPIC_TIMER_DIV, TIMER_DIV_16);
	wr(LAPIC_LVT_TIMER, LVT_PERIODIC | T_TIMER);
	wr(LAPIC_TIMER_INIT, initial);
}
