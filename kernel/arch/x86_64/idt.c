/*
 * The IDT: 256 interrupt gates pointing at the stubs of vectors.S. Gates are
 * interrupt gates (IF cleared on entry, SDM Vol. 3A 6.12.1.3), so handlers
 * run with interrupts off unless they enable them. Only #BP may be raised
 * from ring 3 with int3 (DPL 3); the rest are DPL 0, so `int $n` from user
 * mode becomes a #GP instead of a fake exception.
 */
#include <stdint.h>

#include <arch/gdt.h>
#include <arch/trap.h>

/* 64-bit interrupt gate (SDM Vol. 3A 6.14.1, Figure 6-8). */
struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;      /* P | DPL | 0xE (interrupt gate) */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

#define GATE_INTR 0x8e  /* present, DPL 0, 64-bit interrupt gate */
#define GATE_DPL3 0x60

extern const char trap_stubs[];  /* vectors.S: 256 stubs of 16 bytes */

static struct idt_gate idt[256] __attribute__((aligned(16)));

static void set_gate(int v, int ist, int dpl3)
{
	uint64_t off = (uint64_t)(trap_stubs + 16 * v);

	idt[v] = (struct idt_gate){
		.off_lo = off & 0xffff,
		.sel = GDT_KCODE,
		.ist = (uint8_t)ist,
		.type = GATE_INTR | (dpl3 ? GATE_DPL3 : 0),
		.off_mid = (off >> 16) & 0xffff,
		.off_hi = (uint32_t)(off >> 32),
	};
}

void idt_init(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} d = { sizeof(idt) - 1, (uint64_t)idt };

	for (int v = 0; v < 256; v++)
		set_gate(v, 0, v == T_BP);
	/*
	 * These three may strike with a broken stack (#DF after a kernel
	 * stack overflow) or in the middle of the syscall entry: give each a
	 * known-good stack of its own.
	 */
	set_gate(T_DF, IST_DF, 0);
	set_gate(T_NMI, IST_NMI, 0);
	set_gate(T_MC, IST_MC, 0);
	__asm__ volatile("lidt %0" : : "m"(d));
}
