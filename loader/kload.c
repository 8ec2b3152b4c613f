/*
 * Kernel image loading (see kload.h).
 *
 * Segments are mapped with 4 KiB pages only, so that a page shared by two
 * segments can take the union of their rights (see pt_map).
 *
 * The kernel gets one physically contiguous block spanning all of its
 * segments, virt_start <-> phys_start, so exo_bootinfo can describe it by a
 * single range and the kernel can translate its own addresses with one
 * subtraction. The block is zeroed first: that covers bss and the gaps
 * between segments in one pass, and the segment bytes are copied on top.
 */
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "kload.h"

#define LOW_4G (1ULL << 32)

void kload_copy(struct memmap *m, uint64_t start, uint64_t end, struct kernel_image *k)
{
	char why[160];
	const void *data = (const void *)(uintptr_t)start;

	if (elf64_check(&k->elf, data, end - start, EXO_KERNEL_BASE, 0, "kernel.elf",
			why, sizeof why) != 0)
		loader_fail("%s", why);

	/* Page-rounded span; the arithmetic is modulo 2^64 on purpose, so a
	 * segment ending exactly at 2^64 (vaddr_hi == 0) still works. */
	k->virt_start = k->elf.vaddr_lo & ~(PAGE_4K - 1);
	k->size = ((k->elf.vaddr_hi + PAGE_4K - 1) & ~(PAGE_4K - 1)) - k->virt_start;

	/* 2 MiB alignment lets the kernel remap itself with large pages. */
	if (memmap_alloc(m, k->size, PAGE_2M, 0x100000, LOW_4G, EXO_MEM_KERNEL,
			 &k->phys_start) != 0 &&
	    memmap_alloc(m, k->size, PAGE_4K, 0x100000, LOW_4G, EXO_MEM_KERNEL,
			 &k->phys_start) != 0)
		loader_fail("kernel.elf: no room for its 0x%llx bytes below 4 GiB",
			    (unsigned long long)k->size);

	uint8_t *dst = (uint8_t *)(uintptr_t)k->phys_start;
	const struct elf64_phdr *ph;
	unsigned i = 0;

	memset(dst, 0, k->size);
	while ((ph = elf64_next_load(&k->elf, &i)) != NULL)
		memcpy(dst + (ph->p_vaddr - k->virt_start), k->elf.data + ph->p_offset,
		       ph->p_filesz);
}

void kload_map(struct pt *pt, const struct kernel_image *k)
{
	const struct elf64_phdr *ph;
	unsigned i = 0;
	const char *why = "";

	while ((ph = elf64_next_load(&k->elf, &i)) != NULL) {
		if (ph->p_memsz == 0)
			continue;
		uint64_t first = ph->p_vaddr & ~(PAGE_4K - 1);
		uint64_t last = (ph->p_vaddr + ph->p_memsz - 1) & ~(PAGE_4K - 1);
		uint64_t flags = 0;

		if (ph->p_flags & ELF64_PF_W)
			flags |= PTE_W;
		if (!(ph->p_flags & ELF64_PF_X))
			flags |= PTE_NX;
		if (pt_map(pt, first, k->phys_start + (first - k->virt_start),
			   last - first + PAGE_4K, flags, 0, &why) != 0)
			loader_fail("kernel.elf: segment %u at 0x%llx: %s", i - 1,
				    (unsigned long long)ph->p_vaddr, why);
	}
}
