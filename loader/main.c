/*
 * loader_main: from the multiboot2 information to the kernel's entry.
 *
 *   1. parse GRUB's info block (mb2.c), build a clean memory map (memmap.c)
 *   2. claim what is already in use: modules (MODULE), then the loader image
 *      and the info block (LOADER) -- in that order, so a page shared by a
 *      module and the info block stays MODULE, the longer-lived owner
 *   3. allocate the boot information, load kernel.elf (kload.c)
 *   4. build the final page tables (paging.c)
 *   5. fill struct exo_bootinfo and jump (entry.S: loader_enter_kernel)
 *
 * Every allocation after step 2 comes out of the memory map itself, which
 * is why the map copied into the boot information in step 5 is complete.
 */
#include <stdint.h>
#include <string.h>

#include <exo/bootinfo.h>

#include "console.h"
#include "kload.h"
#include "mb2.h"
#include "memmap.h"
#include "paging.h"

#define LOW_4G (1ULL << 32)
#define GIB    (1ULL << 30)

/* Linker script symbols: the whole loader image, bss included. */
extern char __loader_start[], __loader_end[];

void loader_enter_kernel(uint64_t entry, uint64_t bootinfo, uint64_t cr3)
	__attribute__((noreturn));
void loader_main(uint32_t magic, uint32_t mbi) __attribute__((noreturn));

/* Working map: firmware entries plus two splits per claim fit easily. */
static struct exo_mem_region map_storage[2 * EXO_MAX_MEM_REGIONS];
static struct exo_mem_region fw_storage[MB2_MAX_MMAP];

static void build_memmap(struct memmap *m, const struct mb2_info *mi)
{
	for (uint32_t i = 0; i < mi->mmap_count; i++)
		mb2_mmap_entry(mi, i, &fw_storage[i]);
	if (memmap_build(m, map_storage, 2 * EXO_MAX_MEM_REGIONS, fw_storage,
			 mi->mmap_count) != 0)
		loader_fail("memory map: too many regions after sanitising %u firmware entries",
			    mi->mmap_count);
	if (memmap_type_at(m, 0x100000) != EXO_MEM_USABLE)
		loader_fail("memory map: no usable RAM at 1 MiB, where loader.elf runs");
}

static void claim(struct memmap *m, uint64_t base, uint64_t len, uint32_t type,
		  const char *what)
{
	if (memmap_carve(m, base, len, type) != 0)
		loader_fail("memory map: too many regions while reserving %s", what);
}

static void claim_in_use(struct memmap *m, const struct mb2_info *mi, uint32_t mbi)
{
	for (uint32_t i = 0; i < mi->mod_count; i++) {
		const struct mb2_module *mod = &mi->mods[i];

		if (mod->start % PAGE_4K != 0)
			loader_fail("module '%s' at 0x%llx is not page aligned",
				    mod->name, (unsigned long long)mod->start);
		if (strnlen(mod->name, EXO_MODNAME_MAX) == EXO_MODNAME_MAX)
			loader_fail("module name '%.20s...' is longer than %d bytes",
				    mod->name, EXO_MODNAME_MAX - 1);
		claim(m, mod->start, mod->end - mod->start, EXO_MEM_MODULE, "a module");
	}
	claim(m, (uintptr_t)__loader_start, __loader_end - __loader_start,
	      EXO_MEM_LOADER, "loader.elf");
	claim(m, mbi, mi->total_size, EXO_MEM_LOADER, "the multiboot2 information");
}

static const struct mb2_module *find_module(const struct mb2_info *mi, const char *name)
{
	for (uint32_t i = 0; i < mi->mod_count; i++) {
		if (strcmp(mi->mods[i].name, name) == 0)
			return &mi->mods[i];
	}
	return NULL;
}

/* Identity [0, 4 GiB) for the loader, the direct map, the kernel. */
static uint64_t build_tables(struct memmap *m, const struct kernel_image *k,
			     uint64_t direct_size)
{
	struct pt pt;
	const char *why = "";

	if (pt_init(&pt, m, 0x100000, LOW_4G) != 0)
		loader_fail("out of memory for page tables");
	if (pt_map(&pt, 0, 0, LOW_4G, PTE_W, 1, &why) != 0)
		loader_fail("identity map: %s", why);
	if (pt_map(&pt, EXO_DIRECT_MAP, 0, direct_size, PTE_W | PTE_NX, 1, &why) != 0)
		loader_fail("direct map: %s", why);
	kload_map(&pt, k);
	return pt.pml4;
}

static void fill_bootinfo(struct exo_bootinfo *bi, const struct memmap *m,
			  const struct mb2_info *mi, const struct kernel_image *k,
			  uint64_t direct_size)
{
	memset(bi, 0, sizeof *bi);
	bi->magic = EXO_BOOTINFO_MAGIC;
	bi->version = EXO_BOOTINFO_VERSION;
	bi->size = sizeof *bi;
	bi->kernel_phys_start = k->phys_start;
	bi->kernel_phys_end = k->phys_start + k->size;
	bi->kernel_virt_start = k->virt_start;
	bi->kernel_entry = k->elf.entry;
	bi->loader_phys_start = (uintptr_t)__loader_start;
	bi->loader_phys_end = (uintptr_t)__loader_end;
	bi->direct_map_base = EXO_DIRECT_MAP;
	bi->direct_map_size = direct_size;

	if (mi->rsdp != NULL) {
		memcpy(bi->rsdp, mi->rsdp, mi->rsdp_len);
		bi->rsdp_len = mi->rsdp_len;
		bi->rsdp_revision = mi->rsdp_revision;
	}

	if (m->n > EXO_MAX_MEM_REGIONS)
		loader_fail("memory map has %u regions, more than %d", m->n,
			    EXO_MAX_MEM_REGIONS);
	memcpy(bi->mem, m->r, m->n * sizeof m->r[0]);
	bi->mem_count = m->n;

	for (uint32_t i = 0; i < mi->mod_count; i++) {
		bi->mods[i].start = mi->mods[i].start;
		bi->mods[i].end = mi->mods[i].end;
		memcpy(bi->mods[i].name, mi->mods[i].name, strlen(mi->mods[i].name) + 1);
	}
	bi->mod_count = mi->mod_count;

	if (mi->cmdline != NULL) {
		size_t n = strlen(mi->cmdline);

		if (n >= EXO_CMDLINE_MAX)
			loader_fail("kernel command line of %zu bytes is longer than %d",
				    n, EXO_CMDLINE_MAX - 1);
		memcpy(bi->cmdline, mi->cmdline, n + 1);
	}
}

void loader_main(uint32_t magic, uint32_t mbi)
{
	struct mb2_info mi;
	struct memmap m;
	struct kernel_image k;
	char why[160];

	(void)magic; /* entry.S has checked it */
	console_init();

	if (mb2_parse((const void *)(uintptr_t)mbi, MB2_MAX_INFO, &mi, why, sizeof why) != 0)
		loader_fail("%s", why);
	build_memmap(&m, &mi);
	claim_in_use(&m, &mi, mbi);

	const struct mb2_module *kmod = find_module(&mi, "kernel");

	if (kmod == NULL)
		loader_fail("no module named 'kernel' (grub.cfg: module2 /boot/kernel.elf kernel)");

	uint64_t bi_phys;

	if (memmap_alloc(&m, sizeof(struct exo_bootinfo), PAGE_4K, 0x100000, LOW_4G,
			 EXO_MEM_LOADER, &bi_phys) != 0)
		loader_fail("out of memory for the boot information");

	kload_copy(&m, kmod->start, kmod->end, &k);

	/* Direct map: all RAM, at least 4 GiB, whole GiB so 2 MiB pages fill it. */
	uint64_t top = memmap_ram_top(&m);
	uint64_t direct_size = top > LOW_4G ? (top + GIB - 1) & ~(GIB - 1) : LOW_4G;
	uint64_t cr3 = build_tables(&m, &k, direct_size);

	struct exo_bootinfo *bi = (struct exo_bootinfo *)(uintptr_t)bi_phys;

	fill_bootinfo(bi, &m, &mi, &k, direct_size);
	console_printf("loader: kernel.elf at 0x%llx (%llu KiB), entry 0x%llx; "
		       "%u modules, %u memory regions, RAM top 0x%llx\n",
		       (unsigned long long)k.phys_start,
		       (unsigned long long)(k.size >> 10),
		       (unsigned long long)k.elf.entry, bi->mod_count, bi->mem_count,
		       (unsigned long long)top);
	loader_enter_kernel(k.elf.entry, EXO_DIRECT_MAP + bi_phys, cr3);
}
