/*
 * The kernel's own page tables. The loader's tables also identity-map the
 * low 4 GiB and were built by code the kernel does not trust for
 * permissions, so the kernel rebuilds everything: a direct map of exactly
 * the RAM range, its image mapped page by page with W^X, and windows for
 * MMIO and stacks. The kernel image's physical pages are found by walking
 * the loader's tables, which is right however the loader placed segments.
 */
#include <arch/cpu.h>
#include <arch/paging.h>
#include <boot/bootinfo.h>
#include <console/console.h>
#include <mm/kvm.h>
#include <mm/pmem.h>

extern const char __kernel_start[], __text_start[], __text_end[];
extern const char __rodata_start[], __rodata_end[];
extern const char __data_start[], __data_end[], __kernel_end[];

static uint64_t pml4;
static uint64_t mmio_next = KVM_MMIO_BASE;
static uint64_t stack_next = KVM_STACK_BASE;

static uint64_t alloc_table(void)
{
	uint64_t pa = pmem_alloc();

	if (pa == 0)
		panic("kvm: out of memory for page tables");
	return pa;
}

static int is_ram(uint32_t type)
{
	return type != EXO_MEM_RESERVED && type != EXO_MEM_BAD;
}

/*
 * Map every 2 MiB chunk that holds RAM, and nothing else: holes such as
 * the PCI window below 4 GiB stay unmapped, so device memory is only ever
 * reached through the uncached MMIO window. Returns the bytes mapped.
 */
static uint64_t map_direct(const struct exo_bootinfo *bi)
{
	uint64_t mapped = 0;

	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const struct exo_mem_region *r = &bi->mem[i];
		if (!is_ram(r->type))
			continue;
		uint64_t pa = r->base & ~(LARGE_PAGE_SIZE - 1);
		for (; pa < r->base + r->length; pa += LARGE_PAGE_SIZE) {
			uint64_t *pde = pt_entry(pml4, EXO_DIRECT_MAP + pa, 2,
						 alloc_table, 0);
			if (*pde & PTE_P)
				continue;  /* chunk shared with the previous region */
			*pde = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
			mapped += LARGE_PAGE_SIZE;
		}
	}
	return mapped;
}

static uint64_t image_perm(uint64_t va)
{
	if (va >= (uint64_t)__text_start && va < (uint64_t)__text_end)
		return PTE_G;                   /* read + execute */
	if (va >= (uint64_t)__rodata_start && va < (uint64_t)__rodata_end)
		return PTE_G | PTE_NX;          /* read only */
	return PTE_G | PTE_W | PTE_NX;          /* data, bss, gaps */
}

static void map_image(const struct exo_bootinfo *bi, uint64_t old_cr3)
{
	uint64_t start = (uint64_t)__kernel_start & ~(PAGE_SIZE - 1);

	for (uint64_t va = start; va < (uint64_t)__kernel_end; va += PAGE_SIZE) {
		uint64_t pa, flags;
		if (!pt_translate(old_cr3, va, &pa, &flags))
			panic("kvm: kernel page %#lx not mapped by the loader",
			      (unsigned long)va);
		if (pa < bi->kernel_phys_start || pa >= bi->kernel_phys_end)
			panic("kvm: kernel page %#lx at %#lx, outside the image %#lx-%#lx from bootinfo",
			      (unsigned long)va, (unsigned long)pa,
			      (unsigned long)bi->kernel_phys_start,
			      (unsigned long)bi->kernel_phys_end);
		*pt_lookup(pml4, va, alloc_table, 0) = pa | PTE_P | image_perm(va);
	}
}

void kvm_init(const struct exo_bootinfo *bi)
{
	uint64_t ram_end = bootinfo_ram_end(bi);

	if (ram_end > KVM_MMIO_BASE - EXO_DIRECT_MAP)
		panic("kvm: %lu GiB of RAM exceed the direct map",
		      (unsigned long)(ram_end >> 30));
	pml4 = alloc_table();
	uint64_t mapped = map_direct(bi);
	map_image(bi, read_cr3() & PTE_ADDR);
	/* Make the PML4 entries of both windows now (see kvm.h). */
	pt_entry(pml4, KVM_MMIO_BASE, 3, alloc_table, 0);
	pt_entry(pml4, KVM_STACK_BASE, 3, alloc_table, 0);
	write_cr3(pml4);
	printk("mm: kernel page tables: direct map %lu MiB of RAM (up to %#lx), image %lu KiB\n",
	       (unsigned long)(mapped >> 20), (unsigned long)ram_end,
	       (unsigned long)(((uint64_t)__kernel_end - (uint64_t)__kernel_start) >> 10));
}

uint64_t kvm_pml4(void)
{
	return pml4;
}

volatile void *kvm_map_mmio(uint64_t pa, size_t size)
{
	uint64_t first = pa & ~(PAGE_SIZE - 1);
	uint64_t pages = (pa + size - first + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t va = mmio_next;

	if (size == 0 || va + pages * PAGE_SIZE > KVM_MMIO_BASE + KVM_MMIO_SIZE)
		panic("kvm: cannot map MMIO %#lx+%#lx", (unsigned long)pa,
		      (unsigned long)size);
	for (uint64_t i = 0; i < pages; i++)
		*pt_lookup(pml4, va + i * PAGE_SIZE, alloc_table, 0) =
			(first + i * PAGE_SIZE) | PTE_P | PTE_W | PTE_PCD |
			PTE_PWT | PTE_NX | PTE_G;
	mmio_next += pages * PAGE_SIZE;
	return (volatile void *)(va + (pa - first));
}

uint64_t kvm_alloc_stack(unsigned pages)
{
	uint64_t va = stack_next + PAGE_SIZE;  /* skip the guard page */

	if (va + pages * PAGE_SIZE > KVM_STACK_BASE + KVM_STACK_SIZE)
		panic("kvm: stack window full");
	for (unsigned i = 0; i < pages; i++)
		*pt_lookup(pml4, va + i * PAGE_SIZE, alloc_table, 0) =
			alloc_table() | PTE_P | PTE_W | PTE_NX | PTE_G;
	stack_next = va + pages * PAGE_SIZE;
	return stack_next;
}
