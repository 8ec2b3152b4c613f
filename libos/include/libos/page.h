/*
 * The libOS page allocator, on top of bind_resource/revoke_resource and
 * page_map/page_unmap. It picks free frames by reading the ownership
 * table in the bookkeeping window (the kernel only arbitrates: a frame
 * someone else bound first is simply skipped), maps them where the libOS
 * decides, and remembers (va, handle, frame) so it can unmap, release,
 * and honour revocation requests.
 *
 * Demand regions: a page fault inside a region registered with
 * page_demand_region() is served by binding and mapping a fresh zeroed
 * page there; the faulting instruction then resumes.
 */
#ifndef LIBOS_PAGE_H
#define LIBOS_PAGE_H

#include <stdint.h>

#define PAGE_SIZE 4096UL
#define PAGE_HEAP_BASE 0x0000100000000000UL  /* page_alloc() addresses */
#define PAGE_MAX 1024                         /* pages tracked at once */

/* Bind some free frame: its handle (frame in *frame), or -EXO_E*. */
int page_bind_free(uint32_t *frame);

/* Handle h is being released (resource.c's revoke_resource calls this). */
void page_released(int64_t h);

/* A fresh zeroed read-write page at an address of the allocator's choice. */
void *page_alloc(void);

/* Bind a fresh page and map it at va (page-aligned) with perm. */
int page_alloc_at(uint64_t va, unsigned perm);

/* Unmap and release a page from page_alloc/page_alloc_at. */
int page_free(void *va);

/* The frame / handle behind an allocator page; -1 if unknown. */
int64_t page_frame(const void *va);
int64_t page_handle(const void *va);

/* The kernel took (or is taking) handle h: forget it. */
void page_forget_handle(int64_t h);

/* Serve faults in [base, base + len) by mapping fresh pages (4 regions). */
int page_demand_region(uint64_t base, uint64_t len);

/* From the page-fault handler: 0 if the fault was served. */
int page_demand_fault(uint64_t addr, uint64_t error);

#endif /* LIBOS_PAGE_H */
