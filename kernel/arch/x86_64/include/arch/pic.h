/*
 * The legacy 8259A pair: remapped out of the exception range and masked;
 * IRQ 0 is unmasked only when the PIT is the tick source (no LAPIC).
 */
#ifndef ARCH_PIC_H
#define ARCH_PIC_H

/* Remap to vectors T_PIC_BASE..+15 and mask every line. */
void pic_disable(void);

void pic_unmask(int irq);
void pic_eoi(int irq);

#endif /* ARCH_PIC_H */
