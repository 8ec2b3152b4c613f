/*
 * CPU features the kernel depends on or turns on, from CPUID (SDM Vol. 2A,
 * CPUID, Tables 3-8 and 3-11 for leaves 1, 7 and 0x80000001).
 */
#ifndef ARCH_FEATURES_H
#define ARCH_FEATURES_H

struct cpu_features {
	unsigned apic : 1;   /* leaf 1 EDX[9] */
	unsigned sse : 1;    /* leaf 1 EDX[25] */
	unsigned fxsr : 1;   /* leaf 1 EDX[24] */
	unsigned nx : 1;     /* leaf 0x80000001 EDX[20] */
	unsigned smep : 1;   /* leaf 7 EBX[7] */
	unsigned smap : 1;   /* leaf 7 EBX[20] */
};

extern struct cpu_features cpu_has;

/*
 * Detect features and configure the control registers: NXE, CR0.WP, SSE
 * for user mode (CR0.MP, !CR0.EM, CR4.OSFXSR|OSXMMEXCPT). Panics without
 * NX or SSE, which the kernel requires.
 */
void cpu_features_init(void);

/*
 * Turn on SMEP and SMAP when present. Called once the kernel runs on its
 * own page tables: the loader's may mark kernel pages user-accessible.
 * With SMAP on, the kernel never dereferences user addresses; it copies
 * through the direct map after checking the user's page tables
 * (mm/usercopy.c), so no STAC/CLAC pairs are needed.
 */
void cpu_protect_init(void);

#endif /* ARCH_FEATURES_H */
