/*
 * Segment selectors, the GDT and the TSS (Intel SDM Vol. 3A 3.4, 7.7).
 *
 * The order of the descriptors is forced by SYSCALL/SYSRET (SDM Vol. 3A
 * 5.8.8): SYSCALL loads CS from STAR[47:32] and SS from that + 8; 64-bit
 * SYSRET loads SS from STAR[63:48] + 8 and CS from STAR[63:48] + 16. With
 * STAR[63:48] = GDT_KDATA the user data segment must follow the kernel data
 * segment and the user code segment must follow that.
 */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UDATA 0x18
#define GDT_UCODE 0x20
#define GDT_TSS   0x28  /* 16-byte system descriptor: two slots */

#define SEL_RPL3  3
#define USER_CS   (GDT_UCODE | SEL_RPL3)
#define USER_DS   (GDT_UDATA | SEL_RPL3)

/* IST slots (1-based, as in the IDT gate's IST field; SDM Vol. 3A 6.14.5). */
#define IST_DF  1
#define IST_NMI 2
#define IST_MC  3
#define IST_COUNT 3

#ifndef __ASSEMBLY__
#include <stdint.h>

/* 64-bit TSS (SDM Vol. 3A 7.7, Figure 7-11). */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];     /* stack for a switch to ring 0..2 */
	uint64_t reserved1;
	uint64_t ist[7];     /* ist[0] is IST1 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base; /* >= limit: no I/O permission bitmap */
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "TSS layout (SDM Figure 7-11)");

/* Load the GDT and TSS and reload every segment register. */
void gdt_init(void);

/* Stack the CPU switches to on an interrupt or fault from ring 3. */
void tss_set_rsp0(uint64_t rsp0);

/* Give IST slot `ist` (IST_*) the stack whose top is `top`. */
void tss_set_ist(int ist, uint64_t top);
#endif /* __ASSEMBLY__ */

#endif /* ARCH_GDT_H */
