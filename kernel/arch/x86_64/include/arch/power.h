/*
 * Powering off under QEMU. The isa-debug-exit device (tests/qemu/qemu.sh:
 * iobase 0xf4) makes QEMU exit with status (value << 1) | 1: 0x10 -> 33
 * means success, 0x11 -> 35 failure (a panic). On hardware without the
 * device the CPU just halts.
 */
#ifndef ARCH_POWER_H
#define ARCH_POWER_H

#define POWER_EXIT_SUCCESS 0x10
#define POWER_EXIT_FAILURE 0x11

void arch_poweroff(int code) __attribute__((noreturn));

/* Halt forever with interrupts off. */
void arch_halt(void) __attribute__((noreturn));

#endif /* ARCH_POWER_H */
