/*
 * Thin wrappers around single x86-64 instructions the kernel needs from C:
 * control registers, MSRs, CPUID, interrupt flag, TLB. Port I/O is in
 * lib/portio.h, shared with the loader.
 * Intel SDM Vol. 2 describes each instruction; Vol. 3A 2.5 the control
 * registers.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>

/* CR0 bits (SDM Vol. 3A 2.5). */
#define CR0_MP (1ULL << 1)   /* monitor coprocessor: WAIT honours TS */
#define CR0_EM (1ULL << 2)   /* emulate x87: must be clear for SSE */
#define CR0_TS (1ULL << 3)
#define CR0_WP (1ULL << 16)  /* ring 0 honours read-only pages */

/* CR4 bits (SDM Vol. 3A 2.5). */
#define CR4_PGE        (1ULL << 7)
#define CR4_OSFXSR     (1ULL << 9)   /* FXSAVE/FXRSTOR and SSE enabled */
#define CR4_OSXMMEXCPT (1ULL << 10)  /* unmasked SSE exceptions raise #XM */
#define CR4_SMEP       (1ULL << 20)
#define CR4_SMAP       (1ULL << 21)

/* RFLAGS bits (SDM Vol. 1 3.4.3). */
#define RFLAGS_CF   (1ULL << 0)
#define RFLAGS_FIXED (1ULL << 1)  /* reserved, always 1 */
#define RFLAGS_TF   (1ULL << 8)
#define RFLAGS_IF   (1ULL << 9)
#define RFLAGS_DF   (1ULL << 10)
#define RFLAGS_IOPL (3ULL << 12)
#define RFLAGS_NT   (1ULL << 14)
#define RFLAGS_RF   (1ULL << 16)
#define RFLAGS_VM   (1ULL << 17)
#define RFLAGS_AC   (1ULL << 18)

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

#define DEFINE_CR(n)                                                      \
	static inline uint64_t read_cr##n(void)                           \
	{                                                                 \
		uint64_t v;                                               \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));         \
		return v;                                                 \
	}                                                                 \
	static inline void write_cr##n(uint64_t v)                        \
	{                                                                 \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline uint64_t read_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
/* sti takes effect after the next instruction, so no wake-up is lost. */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("pause"); }

static inline void invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

#endif /* ARCH_CPU_H */
