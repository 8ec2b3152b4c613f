/*
 * Checks on the loader's boot information. The kernel runs none of its
 * memory set-up before these pass, so every later use of the map (the frame
 * allocator, the direct map, reclaim) may assume sorted, disjoint,
 * page-granular regions.
 */
#include <string.h>

#include <boot/bootinfo.h>
#include <fmt.h>

#define PAGE 4096ULL

static const char *const type_names[] = {
	[EXO_MEM_USABLE] = "usable",   [EXO_MEM_RESERVED] = "reserved",
	[EXO_MEM_ACPI_RECLAIM] = "acpi", [EXO_MEM_ACPI_NVS] = "acpi-nvs",
	[EXO_MEM_BAD] = "bad",         [EXO_MEM_LOADER] = "loader",
	[EXO_MEM_MODULE] = "module",   [EXO_MEM_KERNEL] = "kernel",
};

const char *bootinfo_type_name(uint32_t type)
{
	if (type >= sizeof(type_names) / sizeof(type_names[0]) || !type_names[type])
		return "unknown";
	return type_names[type];
}

static int freeable(uint32_t type)
{
	return type == EXO_MEM_USABLE || type == EXO_MEM_LOADER ||
	       type == EXO_MEM_MODULE;
}

#define FAIL(...)                                         \
	do {                                              \
		if (why)                                  \
			fmt_snprintf(why, whylen, __VA_ARGS__); \
		return -1;                                \
	} while (0)

static int check_map(const struct exo_bootinfo *bi, char *why, size_t whylen)
{
	uint64_t prev_end = 0;

	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const struct exo_mem_region *r = &bi->mem[i];
		if (r->type < EXO_MEM_USABLE || r->type > EXO_MEM_KERNEL)
			FAIL("bootinfo: mem[%u]: unknown type %u", i, r->type);
		if (r->length == 0 || r->base + r->length < r->base)
			FAIL("bootinfo: mem[%u]: bad length %#llx at %#llx", i,
			     (unsigned long long)r->length,
			     (unsigned long long)r->base);
		if (i > 0 && r->base < prev_end)
			FAIL("bootinfo: mem[%u] at %#llx overlaps or precedes mem[%u]",
			     i, (unsigned long long)r->base, i - 1);
		if (freeable(r->type) && ((r->base | r->length) & (PAGE - 1)))
			FAIL("bootinfo: mem[%u] (%s) %#llx+%#llx not page-granular",
			     i, bootinfo_type_name(r->type),
			     (unsigned long long)r->base,
			     (unsigned long long)r->length);
		prev_end = r->base + r->length;
	}
	return 0;
}

static int check_mods(const struct exo_bootinfo *bi, char *why, size_t whylen)
{
	for (uint32_t i = 0; i < bi->mod_count; i++) {
		const struct exo_module *m = &bi->mods[i];
		if (strnlen(m->name, EXO_MODNAME_MAX) == EXO_MODNAME_MAX)
			FAIL("bootinfo: module %u: name not NUL-terminated", i);
		if ((m->start & (PAGE - 1)) || m->end <= m->start)
			FAIL("bootinfo: module %u (%s): bad range %#llx-%#llx", i,
			     m->name, (unsigned long long)m->start,
			     (unsigned long long)m->end);
		if (m->end > bi->direct_map_size)
			FAIL("bootinfo: module %u (%s) ends at %#llx, beyond the direct map",
			     i, m->name, (unsigned long long)m->end);
	}
	return 0;
}

int bootinfo_check(const struct exo_bootinfo *bi, char *why, size_t whylen)
{
	if (bi->magic != EXO_BOOTINFO_MAGIC)
		FAIL("bootinfo: bad magic %#llx (want %#llx)",
		     (unsigned long long)bi->magic, EXO_BOOTINFO_MAGIC);
	if (bi->version != EXO_BOOTINFO_VERSION)
		FAIL("bootinfo: version %u, kernel understands %u", bi->version,
		     EXO_BOOTINFO_VERSION);
	if (bi->size != sizeof(*bi))
		FAIL("bootinfo: size %u, kernel expects %zu", bi->size, sizeof(*bi));
	if (bi->direct_map_base != EXO_DIRECT_MAP || bi->direct_map_size == 0)
		FAIL("bootinfo: direct map %#llx+%#llx, expected base %#llx",
		     (unsigned long long)bi->direct_map_base,
		     (unsigned long long)bi->direct_map_size, EXO_DIRECT_MAP);
	if (bi->mem_count == 0 || bi->mem_count > EXO_MAX_MEM_REGIONS)
		FAIL("bootinfo: %u memory regions (1..%d allowed)", bi->mem_count,
		     EXO_MAX_MEM_REGIONS);
	if (bi->mod_count > EXO_MAX_MODULES)
		FAIL("bootinfo: %u modules (at most %d)", bi->mod_count,
		     EXO_MAX_MODULES);
	if (strnlen(bi->cmdline, EXO_CMDLINE_MAX) == EXO_CMDLINE_MAX)
		FAIL("bootinfo: command line not NUL-terminated");
	if (bi->rsdp_len > sizeof(bi->rsdp))
		FAIL("bootinfo: rsdp_len %u > %zu", bi->rsdp_len, sizeof(bi->rsdp));
	if (bi->kernel_phys_end <= bi->kernel_phys_start ||
	    (bi->kernel_phys_start & (PAGE - 1)))
		FAIL("bootinfo: bad kernel image range %#llx-%#llx",
		     (unsigned long long)bi->kernel_phys_start,
		     (unsigned long long)bi->kernel_phys_end);
	if (check_map(bi, why, whylen) || check_mods(bi, why, whylen))
		return -1;
	return 0;
}

const struct exo_module *bootinfo_module(const struct exo_bootinfo *bi,
					 const char *name)
{
	for (uint32_t i = 0; i < bi->mod_count; i++)
		if (strcmp(bi->mods[i].name, name) == 0)
			return &bi->mods[i];
	return NULL;
}

uint64_t bootinfo_pages(const struct exo_bootinfo *bi, uint32_t type)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == type)
			n += bi->mem[i].length / PAGE;
	return n;
}

uint64_t bootinfo_ram_end(const struct exo_bootinfo *bi)
{
	uint64_t end = 0;

	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const struct exo_mem_region *r = &bi->mem[i];
		if (r->type != EXO_MEM_RESERVED && r->type != EXO_MEM_BAD &&
		    r->base + r->length > end)
			end = r->base + r->length;
	}
	return end;
}
