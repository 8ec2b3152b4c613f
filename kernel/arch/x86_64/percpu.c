#include <arch/cpu.h>
#include <arch/msr.h>
#include <arch/percpu.h>

static struct percpu cpu0;

void percpu_init(void)
{
	cpu0.self = &cpu0;
	cpu0.cpu_id = 0;
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);  /* user GS base until SWAPGS */
}
