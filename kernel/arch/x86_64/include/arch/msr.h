/*
 * Model-specific registers used by the kernel. Numbers and bit positions:
 * Intel SDM Vol. 4, Table 2-2 "IA-32 Architectural MSRs".
 */
#ifndef ARCH_MSR_H
#define ARCH_MSR_H

#define MSR_APIC_BASE      0x0000001b  /* SDM Vol. 3A 11.4.4 */
#define   APIC_BASE_ENABLE (1ULL << 11)
#define   APIC_BASE_ADDR   0xfffff000ULL
#define MSR_EFER           0xc0000080
#define   EFER_SCE         (1ULL << 0)   /* SYSCALL/SYSRET enable */
#define   EFER_LME         (1ULL << 8)
#define   EFER_NXE         (1ULL << 11)  /* execute-disable bit in PTEs */
#define MSR_STAR           0xc0000081  /* SYSCALL/SYSRET selectors (SDM 5.8.8) */
#define MSR_LSTAR          0xc0000082  /* 64-bit SYSCALL entry point */
#define MSR_SFMASK         0xc0000084  /* RFLAGS bits cleared on SYSCALL */
#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102  /* swapped with GS_BASE by SWAPGS */

#endif /* ARCH_MSR_H */
