/*
 * Stub kernel for the loader's QEMU tests (tests/qemu/cases/loader-*.test).
 *
 * It checks the handoff contract of include/exo/bootinfo.h from the
 * receiving side: CPU state, the boot information (header, memory map,
 * modules, command line, RSDP), the page tables (identity and direct map
 * reach the same memory, kernel segments carry their ELF rights), and that
 * its own image was copied and its bss zeroed. It prints one line per
 * failed check, then "PASS: loader handoff" and exits QEMU with 0x10 only
 * if every check passed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include <exo/bootinfo.h>

#include "fmt.h"
#include "portio.h"

#define COM1 0x3f8
#define PAGE 4096ULL
#define GIB (1ULL << 30)
#define PTE_P  (1ULL << 0)
#define PTE_W  (1ULL << 1)
#define PTE_PS (1ULL << 7)
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

static void putc_serial(void *ctx, char c)
{
	(void)ctx;
	if (c == '\n')
		putc_serial(ctx, '\r');
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(putc_serial, NULL, fmt, ap);
	va_end(ap);
}

void stub_entry(void);
void stub_main(const struct exo_bootinfo *bi, uint64_t rsp);

static unsigned failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		say("stub-kernel: FAILED %s: ", #cond); \
		say(__VA_ARGS__); \
		say("\n"); \
	} \
} while (0)

/* Things whose placement and rights the checks know. */
static const char rodata_marker[] = "stub-kernel rodata";
static volatile uint64_t data_marker = 0x5eed5eed12345678ULL;
static uint8_t bss_block[64 * 1024];

static void *phys_dm(const struct exo_bootinfo *bi, uint64_t pa)
{
	return (void *)(uintptr_t)(bi->direct_map_base + pa);
}

static uint32_t type_at(const struct exo_bootinfo *bi, uint64_t pa)
{
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		if (pa >= bi->mem[i].base && pa - bi->mem[i].base < bi->mem[i].length)
			return bi->mem[i].type;
	}
	return 0;
}

static void check_cpu(void)
{
	uint64_t rflags, cr0, cr4;
	uint32_t lo, hi;

	__asm__ volatile("pushfq; popq %0" : "=r"(rflags));
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080));
	CHECK(!(rflags & (1 << 9)), "interrupts enabled at entry (rflags 0x%llx)",
	      (unsigned long long)rflags);
	CHECK(!(rflags & (1 << 10)), "direction flag set at entry");
	CHECK((cr0 & (1ULL << 31)) && (cr4 & (1 << 5)), "paging/PAE off");
	CHECK((lo & (1 << 10)) && (lo & (1 << 11)), "EFER 0x%x lacks LMA or NXE", lo);
}

static void check_header(const struct exo_bootinfo *bi)
{
	CHECK(bi->magic == EXO_BOOTINFO_MAGIC, "magic 0x%llx", (unsigned long long)bi->magic);
	CHECK(bi->version == EXO_BOOTINFO_VERSION, "version %u", bi->version);
	CHECK(bi->size == sizeof *bi, "size %u, expected %zu", bi->size, sizeof *bi);
	CHECK(bi->direct_map_base == EXO_DIRECT_MAP, "direct map base 0x%llx",
	      (unsigned long long)bi->direct_map_base);
	CHECK(bi->direct_map_size >= 4 * GIB && bi->direct_map_size % (2 << 20) == 0,
	      "direct map size 0x%llx", (unsigned long long)bi->direct_map_size);
	CHECK(bi->kernel_virt_start == EXO_KERNEL_BASE, "kernel_virt_start 0x%llx",
	      (unsigned long long)bi->kernel_virt_start);
	CHECK(bi->kernel_entry == (uint64_t)(uintptr_t)stub_entry, "kernel_entry 0x%llx",
	      (unsigned long long)bi->kernel_entry);
	CHECK(bi->kernel_phys_start % PAGE == 0 && bi->kernel_phys_end > bi->kernel_phys_start,
	      "kernel phys range 0x%llx-0x%llx", (unsigned long long)bi->kernel_phys_start,
	      (unsigned long long)bi->kernel_phys_end);
	CHECK(bi->loader_phys_start == 0x100000 && bi->loader_phys_end > 0x100000,
	      "loader range 0x%llx-0x%llx", (unsigned long long)bi->loader_phys_start,
	      (unsigned long long)bi->loader_phys_end);
}

/* Sorted, disjoint, page-granular, known types, and the carved pieces. */
static void check_memmap(const struct exo_bootinfo *bi)
{
	uint64_t prev_end = 0, usable = 0, top = 0;
	unsigned seen[9] = { 0 };

	CHECK(bi->mem_count > 0 && bi->mem_count <= EXO_MAX_MEM_REGIONS, "mem_count %u",
	      bi->mem_count);
	for (uint32_t i = 0; i < bi->mem_count && i < EXO_MAX_MEM_REGIONS; i++) {
		const struct exo_mem_region *r = &bi->mem[i];

		say("stub-kernel: mem 0x%09llx-0x%09llx type %u\n", (unsigned long long)r->base,
		    (unsigned long long)(r->base + r->length), r->type);
		CHECK(r->length > 0 && r->base % PAGE == 0 && r->length % PAGE == 0,
		      "region %u 0x%llx+0x%llx not page granular", i,
		      (unsigned long long)r->base, (unsigned long long)r->length);
		CHECK(i == 0 || r->base >= prev_end, "region %u at 0x%llx overlaps/unsorted", i,
		      (unsigned long long)r->base);
		CHECK(r->type >= EXO_MEM_USABLE && r->type <= EXO_MEM_KERNEL,
		      "region %u type %u", i, r->type);
		if (r->type <= EXO_MEM_KERNEL)
			seen[r->type]++;
		if (r->type == EXO_MEM_USABLE)
			usable += r->length;
		if (r->type != EXO_MEM_RESERVED)
			top = r->base + r->length;
		prev_end = r->base + r->length;
	}
	CHECK(usable >= 16 << 20, "only %llu KiB usable", (unsigned long long)(usable >> 10));
	CHECK(seen[EXO_MEM_LOADER] && seen[EXO_MEM_MODULE] && seen[EXO_MEM_KERNEL],
	      "missing LOADER/MODULE/KERNEL regions (%u/%u/%u)", seen[EXO_MEM_LOADER],
	      seen[EXO_MEM_MODULE], seen[EXO_MEM_KERNEL]);
	CHECK(bi->direct_map_size >= top, "direct map 0x%llx below RAM top 0x%llx",
	      (unsigned long long)bi->direct_map_size, (unsigned long long)top);

	for (uint64_t a = bi->kernel_phys_start; a < bi->kernel_phys_end; a += PAGE)
		CHECK(type_at(bi, a) == EXO_MEM_KERNEL, "kernel page 0x%llx has type %u",
		      (unsigned long long)a, type_at(bi, a));
	for (uint64_t a = bi->loader_phys_start; a < bi->loader_phys_end; a += PAGE)
		CHECK(type_at(bi, a) == EXO_MEM_LOADER, "loader page 0x%llx has type %u",
		      (unsigned long long)a, type_at(bi, a));
	uint64_t bi_phys = (uintptr_t)bi - bi->direct_map_base;
	CHECK(type_at(bi, bi_phys) == EXO_MEM_LOADER &&
	      type_at(bi, bi_phys + sizeof *bi - 1) == EXO_MEM_LOADER,
	      "bootinfo at 0x%llx not in LOADER memory", (unsigned long long)bi_phys);
}

static const struct exo_module *find_mod(const struct exo_bootinfo *bi, const char *name)
{
	for (uint32_t i = 0; i < bi->mod_count && i < EXO_MAX_MODULES; i++) {
		if (strcmp(bi->mods[i].name, name) == 0)
			return &bi->mods[i];
	}
	return NULL;
}

/* Modules: carved as MODULE, and identical through both maps. */
static void check_modules(const struct exo_bootinfo *bi)
{
	CHECK(bi->mod_count >= 2 && bi->mod_count <= EXO_MAX_MODULES, "mod_count %u",
	      bi->mod_count);
	for (uint32_t i = 0; i < bi->mod_count && i < EXO_MAX_MODULES; i++) {
		const struct exo_module *m = &bi->mods[i];

		CHECK(m->start % PAGE == 0 && m->end > m->start && m->end <= 4 * GIB,
		      "module '%s' range 0x%llx-0x%llx", m->name,
		      (unsigned long long)m->start, (unsigned long long)m->end);
		CHECK(strnlen(m->name, EXO_MODNAME_MAX) < EXO_MODNAME_MAX, "module name unterminated");
		for (uint64_t a = m->start; a < m->end; a += PAGE)
			CHECK(type_at(bi, a) == EXO_MEM_MODULE, "module page 0x%llx has type %u",
			      (unsigned long long)a, type_at(bi, a));
		CHECK(memcmp(phys_dm(bi, m->start), (const void *)(uintptr_t)m->start,
			     m->end - m->start) == 0,
		      "module '%s' differs between identity and direct map", m->name);
	}

	const struct exo_module *k = find_mod(bi, "kernel");
	const struct exo_module *init = find_mod(bi, "init");

	CHECK(k != NULL && memcmp(phys_dm(bi, k->start), "\x7f" "ELF", 4) == 0,
	      "no 'kernel' module holding an ELF image");
	CHECK(init != NULL && memcmp(phys_dm(bi, init->start), "exo-loader-test-init", 20) == 0,
	      "no 'init' module with the test pattern");
	const struct exo_module *rd = find_mod(bi, "initrd");
	if (rd != NULL)
		CHECK(memcmp((char *)phys_dm(bi, rd->start) + 257, "ustar", 5) == 0,
		      "initrd is not a tar archive");
}

/*
 * Identity and direct map reach the same frames: write through one, read
 * through the other, at several places in usable RAM below 4 GiB.
 */
static void check_direct_map(const struct exo_bootinfo *bi)
{
	unsigned tested = 0;

	for (uint32_t i = 0; i < bi->mem_count && i < EXO_MAX_MEM_REGIONS; i++) {
		const struct exo_mem_region *r = &bi->mem[i];

		if (r->type != EXO_MEM_USABLE)
			continue;
		for (uint64_t a = r->base; a - r->base < r->length; a += 32 << 20) {
			volatile uint64_t *id = (volatile uint64_t *)(uintptr_t)a;
			volatile uint64_t *dm = phys_dm(bi, a);
			uint64_t pattern = 0xa5a5000000000000ULL ^ a;

			if (a + PAGE > 4 * GIB)
				break;
			*dm = pattern;
			CHECK(*id == pattern, "0x%llx: direct-map write not seen via identity",
			      (unsigned long long)a);
			*id = ~pattern;
			CHECK(*dm == ~pattern, "0x%llx: identity write not seen via direct map",
			      (unsigned long long)a);
			tested++;
		}
	}
	CHECK(tested >= 2, "only %u direct-map probes", tested);

	/* RAM above 4 GiB has no identity mapping: the direct map alone must
	 * reach it, up to its last page (a missing mapping faults, and with
	 * no IDT that ends the run without the PASS line). */
	for (uint32_t i = 0; i < bi->mem_count && i < EXO_MAX_MEM_REGIONS; i++) {
		const struct exo_mem_region *r = &bi->mem[i];
		uint64_t last = r->base + r->length - 8;

		if (r->type != EXO_MEM_USABLE || last < 4 * GIB)
			continue;
		volatile uint64_t *p = phys_dm(bi, last);
		volatile uint64_t *q = phys_dm(bi, r->base > 4 * GIB ? r->base : 4 * GIB);

		*p = last;
		*q = ~last;
		CHECK(*p == last && *q == ~last, "high RAM at 0x%llx", (unsigned long long)last);
		say("stub-kernel: high RAM probed up to 0x%llx\n", (unsigned long long)last);
	}
}

/* Walk the live page tables (through the direct map) for one address. */
static uint64_t leaf_entry(const struct exo_bootinfo *bi, uint64_t va)
{
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	uint64_t e = cr3;
	for (int level = 3; level >= 0; level--) {
		uint64_t *t = phys_dm(bi, e & PTE_ADDR);

		e = t[(va >> (12 + 9 * level)) & 511];
		if (!(e & PTE_P) || (level > 0 && (e & PTE_PS)))
			return e;
	}
	return e;
}

static void check_rights(const struct exo_bootinfo *bi)
{
	uint64_t text = leaf_entry(bi, (uintptr_t)stub_main);
	uint64_t ro = leaf_entry(bi, (uintptr_t)rodata_marker);
	uint64_t data = leaf_entry(bi, (uintptr_t)&data_marker);
	uint64_t bss = leaf_entry(bi, (uintptr_t)bss_block);
	uint64_t dm = leaf_entry(bi, bi->direct_map_base + 0x100000);

	CHECK((text & PTE_P) && !(text & PTE_W) && !(text & PTE_NX), "text pte 0x%llx",
	      (unsigned long long)text);
	CHECK((ro & PTE_P) && !(ro & PTE_W) && (ro & PTE_NX), "rodata pte 0x%llx",
	      (unsigned long long)ro);
	CHECK((data & PTE_P) && (data & PTE_W) && (data & PTE_NX), "data pte 0x%llx",
	      (unsigned long long)data);
	CHECK((bss & PTE_P) && (bss & PTE_W) && (bss & PTE_NX), "bss pte 0x%llx",
	      (unsigned long long)bss);
	CHECK((dm & PTE_P) && (dm & PTE_W) && (dm & PTE_NX), "direct map pte 0x%llx",
	      (unsigned long long)dm);

	/* The kernel's virtual addresses sit at kernel_phys_start + offset. */
	uint64_t pa = bi->kernel_phys_start + ((uintptr_t)&data_marker - bi->kernel_virt_start);
	CHECK(*(volatile uint64_t *)phys_dm(bi, pa) == data_marker,
	      "data_marker not at its physical place 0x%llx", (unsigned long long)pa);
}

static void check_image(void)
{
	unsigned nonzero = 0;

	for (size_t i = 0; i < sizeof bss_block; i++)
		nonzero += bss_block[i] != 0;
	CHECK(nonzero == 0, "%u bss bytes not zero", nonzero);
	CHECK(data_marker == 0x5eed5eed12345678ULL, "data not copied");
	CHECK(strcmp(rodata_marker, "stub-kernel rodata") == 0, "rodata not copied");
}

static void check_rsdp(const struct exo_bootinfo *bi)
{
	uint8_t sum = 0;

	CHECK(bi->rsdp_len == 20 || bi->rsdp_len == 36, "rsdp_len %u", bi->rsdp_len);
	CHECK(memcmp(bi->rsdp, "RSD PTR ", 8) == 0, "RSDP signature");
	for (int i = 0; i < 20; i++)
		sum += bi->rsdp[i];
	CHECK(sum == 0, "RSDP checksum");
	CHECK(bi->rsdp_revision == bi->rsdp[15], "rsdp_revision %u", bi->rsdp_revision);
}

void stub_main(const struct exo_bootinfo *bi, uint64_t rsp)
{
	say("stub-kernel: bootinfo at %p, stack at 0x%llx\n", (const void *)bi,
	    (unsigned long long)rsp);
	check_cpu();
	if ((uintptr_t)bi < EXO_DIRECT_MAP || (uintptr_t)bi >= EXO_DIRECT_MAP + 4 * GIB) {
		say("stub-kernel: FAILED bootinfo pointer %p outside the direct map\n", (const void *)bi);
		failures++;
	} else {
		check_header(bi);
		if (bi->magic == EXO_BOOTINFO_MAGIC && bi->size == sizeof *bi) {
			check_memmap(bi);
			check_modules(bi);
			check_direct_map(bi);
			check_rights(bi);
			check_rsdp(bi);
			CHECK(type_at(bi, rsp - 8) == EXO_MEM_LOADER, "stack 0x%llx not in LOADER memory",
			      (unsigned long long)rsp);
			CHECK(rsp % 16 == 8, "entry rsp 0x%llx not call-aligned", (unsigned long long)rsp);
			CHECK(strnlen(bi->cmdline, EXO_CMDLINE_MAX) < EXO_CMDLINE_MAX, "cmdline unterminated");
			say("stub-kernel: cmdline '%s'\n", bi->cmdline);
		}
	}
	check_image();

	if (failures == 0) {
		say("PASS: loader handoff\n");
		outb(0xf4, 0x10);
	} else {
		say("stub-kernel: %u checks failed\n", failures);
		outb(0xf4, 0x11);
	}
	for (;;)
		__asm__ volatile("cli; hlt");
}
