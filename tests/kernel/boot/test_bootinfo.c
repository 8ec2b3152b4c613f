/* Host tests for boot-information checks (kernel/boot/bootinfo.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <boot/bootinfo.h>

static struct exo_bootinfo bi;
static char why[160];

static void add_region(uint64_t base, uint64_t len, uint32_t type)
{
	bi.mem[bi.mem_count++] = (struct exo_mem_region){ base, len, type, 0 };
}

/* A plausible 512 MiB machine as the loader would describe it. */
static int setup(void **state)
{
	(void)state;
	memset(&bi, 0, sizeof(bi));
	bi.magic = EXO_BOOTINFO_MAGIC;
	bi.version = EXO_BOOTINFO_VERSION;
	bi.size = sizeof(bi);
	bi.kernel_phys_start = 0x200000;
	bi.kernel_phys_end = 0x240000;
	bi.direct_map_base = EXO_DIRECT_MAP;
	bi.direct_map_size = 0x20000000;
	add_region(0x0, 0x9f000, EXO_MEM_USABLE);
	add_region(0x9f000, 0x61000, EXO_MEM_RESERVED);
	add_region(0x100000, 0x100000, EXO_MEM_LOADER);
	add_region(0x200000, 0x40000, EXO_MEM_KERNEL);
	add_region(0x240000, 0x30000, EXO_MEM_MODULE);
	add_region(0x270000, 0x10000, EXO_MEM_MODULE);
	add_region(0x280000, 0x1fd60000, EXO_MEM_USABLE);
	add_region(0x1ffe0000, 0x20000, EXO_MEM_RESERVED);
	bi.mod_count = 2;
	bi.mods[0] = (struct exo_module){ 0x240000, 0x26f123, "kernel" };
	bi.mods[1] = (struct exo_module){ 0x270000, 0x278000, "init" };
	strcpy(bi.cmdline, "test=boot");
	why[0] = '\0';
	return 0;
}

static void accepts_good(void **state)
{
	(void)state;
	assert_int_equal(bootinfo_check(&bi, why, sizeof(why)), 0);
}

static void expect_reject(const char *fragment)
{
	assert_int_equal(bootinfo_check(&bi, why, sizeof(why)), -1);
	if (strstr(why, fragment) == NULL)
		fail_msg("reason '%s' lacks '%s'", why, fragment);
}

static void header_fields(void **state)
{
	(void)state;
	bi.magic ^= 1;
	expect_reject("bad magic");
	setup(NULL);
	bi.version = 2;
	expect_reject("version 2");
	setup(NULL);
	bi.size = sizeof(bi) - 8;
	expect_reject("size");
	setup(NULL);
	bi.direct_map_base = 0;
	expect_reject("direct map");
}

static void counts_and_strings(void **state)
{
	(void)state;
	bi.mem_count = EXO_MAX_MEM_REGIONS + 1;
	expect_reject("memory regions");
	setup(NULL);
	bi.mem_count = 0;
	expect_reject("memory regions");
	setup(NULL);
	bi.mod_count = EXO_MAX_MODULES + 1;
	expect_reject("modules");
	setup(NULL);
	memset(bi.cmdline, 'x', sizeof(bi.cmdline));
	expect_reject("command line");
	setup(NULL);
	memset(bi.mods[1].name, 'x', sizeof(bi.mods[1].name));
	expect_reject("module 1: name");
	setup(NULL);
	bi.rsdp_len = 41;
	expect_reject("rsdp_len");
}

static void memory_map(void **state)
{
	(void)state;
	bi.mem[3].base = 0x1ff000;  /* overlaps the loader region */
	expect_reject("mem[3]");
	setup(NULL);
	bi.mem[2].length = 0x100800;  /* freeable, not page-granular */
	expect_reject("page-granular");
	setup(NULL);
	bi.mem[1].type = 99;
	expect_reject("unknown type 99");
	setup(NULL);
	bi.mem[6].length = UINT64_MAX;  /* wraps */
	expect_reject("bad length");
	setup(NULL);
	bi.mem[1].length = 0x61001;  /* reserved may be ragged: fine if no overlap... */
	expect_reject("overlaps");   /* ...but this one now runs into mem[2] */
}

static void modules(void **state)
{
	(void)state;
	bi.mods[0].start = 0x240010;
	expect_reject("bad range");
	setup(NULL);
	bi.mods[1].end = bi.mods[1].start;
	expect_reject("bad range");
	setup(NULL);
	bi.mods[1].end = bi.direct_map_size + 0x1000;
	expect_reject("beyond the direct map");
}

static void queries(void **state)
{
	(void)state;
	assert_ptr_equal(bootinfo_module(&bi, "init"), &bi.mods[1]);
	assert_null(bootinfo_module(&bi, "initrd"));
	assert_int_equal(bootinfo_pages(&bi, EXO_MEM_MODULE), 0x40);
	assert_int_equal(bootinfo_pages(&bi, EXO_MEM_LOADER), 0x100);
	assert_int_equal(bootinfo_ram_end(&bi), 0x1ffe0000);
	assert_string_equal(bootinfo_type_name(EXO_MEM_LOADER), "loader");
	assert_string_equal(bootinfo_type_name(42), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(accepts_good, setup),
		cmocka_unit_test_setup(header_fields, setup),
		cmocka_unit_test_setup(counts_and_strings, setup),
		cmocka_unit_test_setup(memory_map, setup),
		cmocka_unit_test_setup(modules, setup),
		cmocka_unit_test_setup(queries, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
