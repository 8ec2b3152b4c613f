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
void pmem_free_contig(uint64_t pa, uint64_t pages);

uint64_t pmem_free_pages(void);

/* Zero `pages` frames from physical address pa. */
void pmem_zero(uint64_t pa, uint64_t pages);

/* pages contiguous zeroed frames (physical address), or 0. */
uint64_t pmem_alloc_contig(uint64_t pages);

/*
 * Frame-level moves for resources bound by envs (mm/page.c keeps the
 * ownership table for those): take a specific free frame out of the
 * pool / put it back. -1 if the frame is not free / already free.
 */
int pmem_take(uint64_t frame);
int pmem_give(uint64_t frame);
int pmem_is_free(uint64_t frame);

/* Frames covered by the allocator (the ownership table's length). */
uint64_t pmem_nframes(void);

/*
 * From now on record kernel allocations and frees in `t` (KERNEL/FREE)
 * and keep *nfree equal to the free-page count (the bookkeeping window).
 */
struct owner_table;
void pmem_track(struct owner_table *t, uint64_t *nfree);

/*
 * Give every region of `type` to the allocator (EXO_MEM_LOADER once the
 * kernel runs on its own page tables). Returns the pages added.
 */
uint64_t pmem_reclaim_type(const struct exo_bootinfo *bi, uint32_t type);

/*
 * Give back the pages of the modules in `done` (a bitmask over
 * bi->mods[]), except pages that a module not in `done` (the initrd)
 * also occupies. Returns the pages added.
 */
uint64_t pmem_reclaim_modules(const struct exo_bootinfo *bi, uint32_t done);

#endif /* MM_PMEM_H */
