/*
 * 16- and 32-bit port I/O (SDM Vol. 2: IN, OUT); the 8-bit forms are in
 * arch/cpu.h. PCI configuration mechanism #1 and legacy device registers
 * use these.
 */
#ifndef ARCH_PIO_H
#define ARCH_PIO_H

#include <stdint.h>

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif /* ARCH_PIO_H */
