/*
 * The kernel half of every address space (docs/boot.md, "Kernel side"):
 *
 *   0xffff800000000000  direct map of RAM (2 MiB pages, RW, NX; holes unmapped)
 *   0xffffc00000000000  MMIO window: device registers, 4 KiB, uncached
 *   0xffffc08000000000  kernel stacks, each below an unmapped guard page
 *   0xffffffff80000000  kernel image (text RX, rodata R, data/bss RW NX)
 *
 * All kernel-half PML4 entries in use exist before the first user address
 * space is made, and user PML4s copy them, so later kernel mappings (MMIO,
 * stacks) appear in every address space.
 */
#ifndef MM_KVM_H
#define MM_KVM_H

#include <stddef.h>
#include <stdint.h>

#include <exo/bootinfo.h>

#define KVM_MMIO_BASE   0xffffc00000000000ULL
#define KVM_MMIO_SIZE   0x0000008000000000ULL  /* one PML4 slot, 512 GiB */
#define KVM_STACK_BASE  0xffffc08000000000ULL
#define KVM_STACK_SIZE  0x0000008000000000ULL

/*
 * Build the kernel's page tables (direct map of RAM, the kernel image with
 * per-section permissions, the MMIO and stack windows) and switch CR3 to
 * them. The loader's tables are unused afterwards.
 */
void kvm_init(const struct exo_bootinfo *bi);

/* Physical address of the kernel PML4. */
uint64_t kvm_pml4(void);

/* Map [pa, pa + size) uncached; returns the virtual address of pa. */
volatile void *kvm_map_mmio(uint64_t pa, size_t size);

/*
 * A kernel stack of `pages` pages with an unmapped guard page below it, so
 * an overflow faults (and, on the IST #DF stack, is reported) instead of
 * corrupting memory. Returns the top (16-byte aligned).
 */
uint64_t kvm_alloc_stack(unsigned pages);

#endif /* MM_KVM_H */
