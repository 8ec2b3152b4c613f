/*
 * The loader's physical memory map: firmware entries made sane, then carved
 * as the loader claims memory. It doubles as the loader's page allocator,
 * so whatever the loader takes is recorded in the map the kernel receives.
 *
 * Invariants after memmap_build() and every later call: regions sorted by
 * base, non-overlapping, non-empty, adjacent regions of one type merged,
 * every boundary a multiple of 4 KiB. Pure C over caller-provided storage:
 * tests/loader/test_memmap.c runs it on the host.
 */
#ifndef LOADER_MEMMAP_H
#define LOADER_MEMMAP_H

#include <stdint.h>

#include <exo/bootinfo.h>

#define MEMMAP_PAGE       4096ULL
#define MEMMAP_PHYS_LIMIT (1ULL << 52) /* MAXPHYADDR <= 52 (Intel SDM 3A 4.1.4) */
#define MEMMAP_MAX_FW     256          /* firmware entries memmap_build takes */

struct memmap {
	struct exo_mem_region *r;
	unsigned n;
	unsigned cap;
};

/*
 * Build a clean map from raw firmware entries (any order, overlaps
 * allowed). Where entries overlap the most restrictive type wins (BAD >
 * RESERVED > ACPI_NVS > ACPI_RECLAIM > USABLE); USABLE ranges shrink inward
 * to whole pages, all others grow outward, so a partial page is never
 * handed out as free. Entries above MEMMAP_PHYS_LIMIT are cut off. Returns
 * 0, or -1 if nfw > MEMMAP_MAX_FW or the result needs more than cap entries.
 */
int memmap_build(struct memmap *m, struct exo_mem_region *storage, unsigned cap,
		 const struct exo_mem_region *fw, unsigned nfw);

/*
 * Retype the USABLE parts of [base, base+len), widened to whole pages, as
 * `type`. Parts of any other type keep theirs, so carving in the order
 * KERNEL/MODULE before LOADER gives the longer-lived owner a shared page.
 * Returns 0, or -1 if the map would exceed its capacity.
 */
int memmap_carve(struct memmap *m, uint64_t base, uint64_t len, uint32_t type);

/*
 * Take `len` bytes (rounded up to pages), aligned to `align` (a power of
 * two >= 4096), from the lowest USABLE memory inside [lo, hi), retyping it
 * as `type`. Returns 0 and the address in *out, or -1 if nothing fits.
 */
int memmap_alloc(struct memmap *m, uint64_t len, uint64_t align, uint64_t lo,
		 uint64_t hi, uint32_t type, uint64_t *out);

/* End of the highest region that is RAM (anything but RESERVED), or 0. */
uint64_t memmap_ram_top(const struct memmap *m);

/* The type of the region holding address a, or 0 if none does. */
uint32_t memmap_type_at(const struct memmap *m, uint64_t a);

#endif /* LOADER_MEMMAP_H */
