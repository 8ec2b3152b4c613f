/*
 * The page tables the loader hands to the kernel (contract in
 * include/exo/bootinfo.h): identity [0, 4 GiB), the direct map, and the
 * kernel's segments. Table pages come from the memory map as
 * EXO_MEM_LOADER, below 4 GiB so the loader can write them through its
 * bootstrap identity map.
 */
#ifndef LOADER_PAGING_H
#define LOADER_PAGING_H

#include <stdint.h>

#include "memmap.h"

/* Entry bits (Intel SDM Vol. 3A 4.5, Tables 4-15 to 4-20). */
#define PTE_P  (1ULL << 0)
#define PTE_W  (1ULL << 1)
#define PTE_PS (1ULL << 7)   /* in a PDE: maps a 2 MiB page */
#define PTE_NX (1ULL << 63)  /* needs EFER.NXE */
#define PTE_ADDR 0x000ffffffffff000ULL

#define PAGE_4K 0x1000ULL
#define PAGE_2M 0x200000ULL

struct pt {
	struct memmap *map;
	uint64_t lo, hi;  /* tables come from USABLE memory in [lo, hi) */
	uint64_t pml4;    /* physical = loader-virtual address of the root */
};

/*
 * Allocate an empty PML4; later tables come from the same window. The
 * loader passes [1 MiB, 4 GiB) (what its identity map reaches); host tests
 * pass the address range of a buffer. Returns 0 or -1 (out of memory).
 */
int pt_init(struct pt *pt, struct memmap *map, uint64_t lo, uint64_t hi);

/*
 * Map [va, va+len) to [pa, pa+len) with `flags` (PTE_W, PTE_NX). With
 * `large`, 2 MiB pages are used where va, pa and the remaining length
 * allow, 4 KiB pages elsewhere; without, 4 KiB pages only. Mapping a 4 KiB page that is already mapped to the same frame
 * merges permissions (writable if either is, executable if either is):
 * that is how two ELF segments sharing a page both get what they need.
 * Returns 0, or -1 with *why set (out of memory, conflicting mapping).
 */
int pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags,
	   int large, const char **why);

#endif /* LOADER_PAGING_H */
