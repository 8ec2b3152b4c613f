/*
 * The two cascaded 8259A PICs. The kernel uses the LAPIC, but the PICs are
 * live after the BIOS: remap them to vectors 32-47 (their defaults 8-15
 * collide with CPU exceptions) and mask every line. Initialisation words:
 * Intel 8259A datasheet, "Initialization Command Words" ICW1-ICW4.
 */
#include <arch/cpu.h>
#include <arch/pic.h>
#include <arch/trap.h>
#include <portio.h>

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11  /* edge triggered, cascade, ICW4 follows */
#define ICW4_8086 0x01
#define OCW2_EOI  0x20  /* non-specific end of interrupt */

void pic_disable(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, T_PIC_BASE);      /* ICW2: vector base */
	outb(PIC2_DATA, T_PIC_BASE + 8);
	outb(PIC1_DATA, 1 << 2);          /* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, 2);               /* ICW3: slave identity */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	outb(PIC1_DATA, 0xff);            /* OCW1: mask all */
	outb(PIC2_DATA, 0xff);
}

void pic_unmask(int irq)
{
	uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;

	outb(port, inb(port) & (uint8_t)~(1u << (irq & 7)));
	if (irq >= 8)
		pic_unmask(2);  /* the cascade line */
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}
