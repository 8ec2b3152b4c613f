/*
 * CPU feature detection and control-register set-up. The kernel itself is
 * built with -mgeneral-regs-only and never touches SSE state; SSE is turned
 * on only so that user programs (compiled for plain x86-64, where SSE2 is
 * baseline) can run.
 */
#include <arch/cpu.h>
#include <arch/features.h>
#include <arch/msr.h>
#include <console/console.h>

struct cpu_features cpu_has;

static void detect(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	cpu_has.apic = (r[3] >> 9) & 1;
	cpu_has.fxsr = (r[3] >> 24) & 1;
	cpu_has.sse = (r[3] >> 25) & 1;
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		cpu_has.smep = (r[1] >> 7) & 1;
		cpu_has.smap = (r[1] >> 20) & 1;
	}
	cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		cpu_has.nx = (r[3] >> 20) & 1;
	}
}

void cpu_features_init(void)
{
	detect();
	if (!cpu_has.nx)
		panic("cpu: no NX (execute-disable) support");
	if (!cpu_has.sse || !cpu_has.fxsr)
		panic("cpu: no SSE/FXSR support");

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE | EFER_SCE);
	write_cr0((read_cr0() | CR0_MP | CR0_WP) & ~(CR0_EM | CR0_TS));
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_PGE);
}

void cpu_protect_init(void)
{
	uint64_t cr4 = read_cr4();

	if (cpu_has.smep)
		cr4 |= CR4_SMEP;
	if (cpu_has.smap)
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
	printk("cpu: NX SSE%s%s%s\n", cpu_has.smep ? " SMEP" : "",
	       cpu_has.smap ? " SMAP" : "", cpu_has.apic ? " APIC" : "");
}
