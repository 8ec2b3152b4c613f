/*
 * Device interrupts. Drivers get a vector from the device range, attach a
 * handler to it, and then point an interrupt source at it: an MSI/MSI-X
 * message (arch/msi.h) or an I/O APIC pin for wired INTx (irq_route_isa).
 * trap_dispatch() hands every vector in the device range to irq_dispatch(),
 * which runs the handler and signals EOI to the LAPIC.
 *
 * Work that a handler defers (a NAPI-style poll that ran out of budget)
 * hangs off the timer tick through irq_tick_hook().
 */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <stdint.h>

#include <arch/cpu.h>

#define IRQ_VEC_FIRST 64    /* above the PIC range and T_TIMER */
#define IRQ_VEC_LAST  239   /* below the spurious vector's priority class */

typedef void (*irq_handler_fn)(void *arg);

/*
 * Find the I/O APICs (ACPI MADT) and mask their pins. Without a LAPIC
 * (or a usable MADT) device interrupts are unavailable; drivers then
 * poll from the tick.
 */
void irq_init(void);

/* 1 if vectors from irq_alloc() can be delivered (a LAPIC is running). */
int irq_available(void);

/* APIC ID of the boot CPU: the destination of every device interrupt. */
uint8_t irq_cpu_apic_id(void);

/* A free device vector bound to fn(arg); -1 if none is left. */
int irq_alloc(irq_handler_fn fn, void *arg, const char *name);

/* Give back a vector from irq_alloc() whose source was never enabled. */
void irq_free(int vector);

/*
 * Route ISA/PIIX IRQ line `isa_irq` (as in the PCI interrupt-line register)
 * to `vector` through the I/O APIC, honouring the MADT's interrupt source
 * overrides; lines without one get `level`/`active_low` (PCI INTx: level,
 * active low). Unmasks the pin. -1 if there is no I/O APIC for it, or the
 * pin is already routed (shared lines are not supported: the caller polls).
 */
int irq_route_isa(uint8_t isa_irq, int vector, int level, int active_low);

/* From trap_dispatch(): 1 if `vector` was a device vector (handled). */
int irq_dispatch(uint64_t vector);

/* Interrupts taken on `vector` so far. */
uint64_t irq_count(int vector);

/* Interrupts taken so far, the timer's included (trap_dispatch counts). */
uint64_t irq_seq(void);
void irq_seq_bump(void);

/* Run fn(arg) on every timer tick (interrupt context). -1 if full. */
int irq_tick_hook(irq_handler_fn fn, void *arg);

/* From the timer interrupt: run the tick hooks. */
void irq_tick(void);

/* Interrupt flag save/restore around state shared with handlers. */
static inline uint64_t irq_save(void)
{
	uint64_t f = read_rflags();

	cli();
	return f;
}

static inline void irq_restore(uint64_t flags)
{
	if (flags & RFLAGS_IF)
		sti();
}

#endif /* ARCH_IRQ_H */
