/*
 * Physical memory of the running kernel: the frame allocator (mm/palloc)
 * set up from the boot memory map, plus reclaim of the loader's and the
 * modules' memory once the kernel is done with it.
 */
#ifndef MM_PMEM_H
#define MM_PMEM_H

#include <stdint.h>

#include <exo/bootinfo.h>

/* Build the allocator from the USABLE regions of a checked map. */
void pmem_init(const struct exo_bootinfo *bi);

/* Physical address of a zeroed 4 KiB frame, or 0 when memory is exhausted. */
uint64_t pmem_alloc(void);

/* Return a frame from pmem_alloc(); freeing a free frame panics. */
void pmem_free(uint64_t pa);

uint64_t pmem_free_pages(void);

/*
 * Give every region of `type` to the allocator (EXO_MEM_LOADER once the
 * kernel runs on its own page tables). Returns the pages added.
 */
uint64_t pmem_reclaim_type(const struct exo_bootinfo *bi, uint32_t type);

/*
 * Give back the MODULE regions that hold only modules in `done` (a bitmask
 * over bi->mods[]). Returns the pages added.
 */
uint64_t pmem_reclaim_modules(const struct exo_bootinfo *bi, uint32_t done);

#endif /* MM_PMEM_H */
