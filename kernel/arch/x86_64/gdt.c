/*
 * GDT and TSS. Long mode ignores segment bases and limits for code and data
 * (SDM Vol. 3A 3.2.4), so the descriptors only carry type, DPL and the L
 * bit; the TSS supplies the ring-0 stack and the IST stacks.
 */
#include <stdint.h>

#include <arch/gdt.h>

/* Descriptor access bytes and flags (SDM Vol. 3A 3.4.5, Figure 3-8). */
#define SEG_P     (1ULL << 47)         /* present */
#define SEG_DPL3  (3ULL << 45)
#define SEG_S     (1ULL << 44)         /* code/data (not system) */
#define SEG_CODE  (1ULL << 43)         /* executable */
#define SEG_RW    (1ULL << 41)         /* readable code / writable data */
#define SEG_L     (1ULL << 53)         /* 64-bit code segment */
#define SEG_TSS64 (9ULL << 40)         /* available 64-bit TSS (Table 3-2) */

static struct tss tss;

static uint64_t gdt[7] __attribute__((aligned(16))) = {
	[GDT_KCODE / 8] = SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_L,
	[GDT_KDATA / 8] = SEG_P | SEG_S | SEG_RW,
	[GDT_UDATA / 8] = SEG_P | SEG_DPL3 | SEG_S | SEG_RW,
	[GDT_UCODE / 8] = SEG_P | SEG_DPL3 | SEG_S | SEG_CODE | SEG_RW | SEG_L,
	/* TSS filled in at run time: its address is not a constant. */
};

struct __attribute__((packed)) pseudo_desc {
	uint16_t limit;
	uint64_t base;
};

/* 16-byte TSS descriptor (SDM Vol. 3A 7.2.3, Figure 7-4). */
static void set_tss_desc(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			   SEG_TSS64 | SEG_P | (((limit >> 16) & 0xf) << 48) |
			   (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS / 8 + 1] = base >> 32;
}

void gdt_init(void)
{
	struct pseudo_desc d = { sizeof(gdt) - 1, (uint64_t)gdt };

	tss.iomap_base = sizeof(tss);
	set_tss_desc();
	__asm__ volatile(
		"lgdt %0\n\t"
		/* Reload CS with a far return: there is no far jmp imm in 64-bit mode. */
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		/* FS/GS selectors 0; their bases are MSRs (set by percpu_init). */
		"movw %%ax, %%fs\n\t"
		"movw %%ax, %%gs\n\t"
		"ltr %w3"
		:
		: "m"(d), "i"(GDT_KCODE), "i"(GDT_KDATA), "r"((uint16_t)GDT_TSS)
		: "rax", "memory");
}

void tss_set_rsp0(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}

void tss_set_ist(int ist, uint64_t top)
{
	tss.ist[ist - 1] = top;
}
