/*
 * 4-level paging (Intel SDM Vol. 3A 4.5, Tables 4-14 to 4-20): entry bits
 * and walks over page tables reached through the direct map.
 */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdint.h>

#define PAGE_SIZE  4096ULL
#define PAGE_SHIFT 12
#define LARGE_PAGE_SIZE (2ULL << 20)

#define PTE_P    (1ULL << 0)   /* present */
#define PTE_W    (1ULL << 1)   /* writable */
#define PTE_U    (1ULL << 2)   /* user accessible */
#define PTE_PWT  (1ULL << 3)   /* write-through */
#define PTE_PCD  (1ULL << 4)   /* cache disable: with PWT, UC under the default PAT */
#define PTE_A    (1ULL << 5)
#define PTE_D    (1ULL << 6)
#define PTE_PS   (1ULL << 7)   /* large page in a PDPTE/PDE */
#define PTE_G    (1ULL << 8)   /* global: kept across CR3 loads */
#define PTE_NX   (1ULL << 63)  /* execute-disable (needs EFER.NXE) */
#define PTE_ADDR 0x000ffffffffff000ULL
#define PTE_ADDR_2M 0x000fffffffe00000ULL

/* Index of va in the table at `level` (4 = PML4 ... 1 = PT). */
static inline unsigned pt_index(uint64_t va, int level)
{
	return (unsigned)(va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

/* Canonical = bits 63..47 all equal (48-bit linear addresses, SDM 3.3.7.1). */
static inline int va_canonical(uint64_t va)
{
	uint64_t top = va >> 47;

	return top == 0 || top == 0x1ffff;
}

/*
 * Table allocator callback: returns the physical address of a zeroed page,
 * or 0 when out of memory.
 */
typedef uint64_t (*pt_alloc_fn)(void);

/*
 * Pointer to the entry for va in the table at level `target` (1 = PT,
 * 2 = PD for 2 MiB pages, 3 = PDPT), creating the tables above it as
 * pt_lookup() does.
 */
uint64_t *pt_entry(uint64_t pml4_pa, uint64_t va, int target,
		   pt_alloc_fn alloc, uint64_t inter);

/*
 * Pointer to the 4 KiB PTE for va under the PML4 at physical pml4_pa,
 * creating intermediate tables with `alloc` (NULL: never create). New
 * intermediate entries get `inter` flags (PTE_U for user tables). Returns
 * NULL if a table is missing (and alloc is NULL or fails) or a large page
 * covers va.
 */
uint64_t *pt_lookup(uint64_t pml4_pa, uint64_t va, pt_alloc_fn alloc,
		    uint64_t inter);

/*
 * Translate va under pml4_pa, following large pages. Returns 1 and the
 * physical address and the effective permission bits (P, W, U, NX combined
 * over all levels) on success, 0 if va is not mapped.
 */
int pt_translate(uint64_t pml4_pa, uint64_t va, uint64_t *pa, uint64_t *flags);

#endif /* ARCH_PAGING_H */
