/*
 * Loading kernel.elf: check it with lib/elf64 (higher-half window), copy
 * its segments into freshly allocated physical pages, and map them at their
 * virtual addresses with per-segment rights. Every failure is fatal and
 * reported through loader_fail() ("loader: kernel.elf: ...").
 */
#ifndef LOADER_KLOAD_H
#define LOADER_KLOAD_H

#include <stdint.h>

#include "elf64.h"
#include "memmap.h"
#include "paging.h"

struct kernel_image {
	struct elf64_image elf;
	uint64_t virt_start;  /* lowest segment page */
	uint64_t phys_start;  /* where virt_start lives */
	uint64_t size;        /* bytes, whole pages */
};

/* Check and copy the module bytes [start, end) into memory typed KERNEL. */
void kload_copy(struct memmap *m, uint64_t start, uint64_t end, struct kernel_image *k);

/* Map every PT_LOAD page: writable iff PF_W, executable iff PF_X. */
void kload_map(struct pt *pt, const struct kernel_image *k);

#endif /* LOADER_KLOAD_H */
