/*
 * loader/memmap.c: sanitising firmware maps (unsorted, overlapping,
 * unaligned, oversized entries) and carving/allocating out of the result.
 * Every test also checks the map invariants from memmap.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "memmap.h"

#define U EXO_MEM_USABLE
#define R EXO_MEM_RESERVED
#define A EXO_MEM_ACPI_RECLAIM
#define N EXO_MEM_ACPI_NVS
#define B EXO_MEM_BAD
#define L EXO_MEM_LOADER
#define M EXO_MEM_MODULE
#define K EXO_MEM_KERNEL
#define MIB (1ULL << 20)

static struct exo_mem_region store[64];
static struct memmap map;

/* Sorted, disjoint, non-empty, page-aligned, merged. */
static void check_invariants(const struct memmap *m)
{
	for (unsigned i = 0; i < m->n; i++) {
		const struct exo_mem_region *r = &m->r[i];

		assert_true(r->length > 0);
		assert_true(r->base % MEMMAP_PAGE == 0 && r->length % MEMMAP_PAGE == 0);
		if (i > 0) {
			const struct exo_mem_region *p = &m->r[i - 1];

			assert_true(p->base + p->length <= r->base);
			assert_false(p->base + p->length == r->base && p->type == r->type);
		}
	}
}

struct want { uint64_t base, end; uint32_t type; };

static void expect_map(const struct want *w, unsigned n)
{
	check_invariants(&map);
	if (map.n != n) {
		for (unsigned i = 0; i < map.n; i++)
			print_message("  [%u] 0x%llx-0x%llx type %u\n", i,
				      (unsigned long long)map.r[i].base,
				      (unsigned long long)(map.r[i].base + map.r[i].length),
				      map.r[i].type);
		fail_msg("%u regions, want %u", map.n, n);
	}
	for (unsigned i = 0; i < n; i++) {
		if (map.r[i].base != w[i].base || map.r[i].base + map.r[i].length != w[i].end ||
		    map.r[i].type != w[i].type)
			fail_msg("region %u: 0x%llx-0x%llx type %u, want 0x%llx-0x%llx type %u", i,
				 (unsigned long long)map.r[i].base,
				 (unsigned long long)(map.r[i].base + map.r[i].length),
				 map.r[i].type, (unsigned long long)w[i].base,
				 (unsigned long long)w[i].end, w[i].type);
	}
}

static void build(const struct exo_mem_region *fw, unsigned n)
{
	assert_int_equal(memmap_build(&map, store, 64, fw, n), 0);
}

#define FW(b, l, t) { (b), (l), (t), 0 }

/* What SeaBIOS gives QEMU -m 512M, as GRUB passes it on. */
static const struct exo_mem_region qemu_fw[] = {
	FW(0x0, 0x9fc00, U), FW(0x9fc00, 0x400, R), FW(0xf0000, 0x10000, R),
	FW(0x100000, 0x1fee0000, U), FW(0x1ffe0000, 0x20000, R),
	FW(0xfeffc000, 0x4000, R), FW(0xfffc0000, 0x40000, R),
};
static const struct want qemu_want[] = {
	{ 0x0, 0x9f000, U }, { 0x9f000, 0xa0000, R }, { 0xf0000, 0x100000, R },
	{ 0x100000, 0x1ffe0000, U }, { 0x1ffe0000, 0x20000000, R },
	{ 0xfeffc000, 0xff000000, R }, { 0xfffc0000, 0x100000000, R },
};

static void test_qemu_map(void **state)
{
	(void)state;
	build(qemu_fw, 7);
	expect_map(qemu_want, 7);
	assert_true(memmap_ram_top(&map) == 0x1ffe0000);
	assert_int_equal(memmap_type_at(&map, 0x9f000), R);
	assert_int_equal(memmap_type_at(&map, 0x9efff), U);
	assert_int_equal(memmap_type_at(&map, 0xa0000), 0); /* hole */
}

static void test_unsorted_same_result(void **state)
{
	(void)state;
	struct exo_mem_region fw[7];

	for (int i = 0; i < 7; i++)
		fw[i] = qemu_fw[(i * 3) % 7]; /* a permutation */
	build(fw, 7);
	expect_map(qemu_want, 7);
}

static void test_overlaps(void **state)
{
	(void)state;
	static const struct exo_mem_region fw[] = {
		FW(0, 16 * MIB, U),
		FW(4 * MIB, MIB, R),          /* hole punched into RAM */
		FW(8 * MIB, 4 * MIB, U),      /* duplicate RAM: merges */
		FW(10 * MIB, MIB, A),         /* ACPI inside RAM */
		FW(10 * MIB + 0x800, 0x100, N), /* NVS inside ACPI, sub-page */
		FW(14 * MIB, MIB, R),
		FW(14 * MIB + 0x2000, 0x1000, B), /* bad beats reserved */
		FW(12 * MIB, 8 * MIB, U),     /* extends past the first entry */
	};
	static const struct want want[] = {
		{ 0, 4 * MIB, U },
		{ 4 * MIB, 5 * MIB, R },
		{ 5 * MIB, 10 * MIB, U },
		{ 10 * MIB, 10 * MIB + 0x1000, N },  /* NVS rounded out to its page */
		{ 10 * MIB + 0x1000, 11 * MIB, A },
		{ 11 * MIB, 14 * MIB, U },
		{ 14 * MIB, 14 * MIB + 0x2000, R },
		{ 14 * MIB + 0x2000, 14 * MIB + 0x3000, B },
		{ 14 * MIB + 0x3000, 15 * MIB, R },
		{ 15 * MIB, 20 * MIB, U },
	};
	build(fw, sizeof fw / sizeof fw[0]);
	expect_map(want, sizeof want / sizeof want[0]);
}

static void test_unaligned(void **state)
{
	(void)state;
	static const struct exo_mem_region fw[] = {
		FW(0x1234, 0x5678 - 0x1234, U),  /* shrinks to 0x2000-0x5000 */
		FW(0x5800, 0x100, R),            /* grows to 0x5000-0x6000 */
		FW(0x6100, 0x800, U),            /* less than a page: vanishes */
		FW(0x8000, 0, R),                /* empty */
		FW(0x9000, 0x3001, U),           /* 0x9000-0xc000 */
		FW(0xbfff, 2, R),                /* takes page 0xb000 */
	};
	static const struct want want[] = {
		{ 0x2000, 0x5000, U }, { 0x5000, 0x6000, R }, { 0x9000, 0xb000, U },
		{ 0xb000, 0xd000, R },
	};
	build(fw, sizeof fw / sizeof fw[0]);
	expect_map(want, 4);
}

static void test_huge_and_wrapping(void **state)
{
	(void)state;
	static const struct exo_mem_region fw[] = {
		FW(0x100000000ULL, 0x40000000ULL, U),
		FW(0xfd00000000ULL, 0x300000000ULL, R),         /* HT hole, 1 TiB up */
		FW(UINT64_MAX - 0xfff, 0x2000, U),             /* wraps: cut at 2^52 */
		FW(0xffffffffff000ULL, 0x10000, U),            /* crosses 2^52 */
	};
	static const struct want want[] = {
		{ 0x100000000ULL, 0x140000000ULL, U },
		{ 0xfd00000000ULL, 0x10000000000ULL, R },
		{ 0xffffffffff000ULL, MEMMAP_PHYS_LIMIT, U },
	};
	build(fw, 4);
	expect_map(want, 3);
	assert_true(memmap_ram_top(&map) == MEMMAP_PHYS_LIMIT);
}

static void test_limits(void **state)
{
	(void)state;
	struct exo_mem_region fw[MEMMAP_MAX_FW + 1];
	struct exo_mem_region small[4];

	for (unsigned i = 0; i <= MEMMAP_MAX_FW; i++)
		fw[i] = (struct exo_mem_region)FW(i * 0x2000ULL, 0x1000, (i % 2) ? U : R);
	assert_int_equal(memmap_build(&map, store, 64, fw, MEMMAP_MAX_FW + 1), -1);
	assert_int_equal(memmap_build(&map, small, 4, fw, 5), -1);
	assert_int_equal(memmap_build(&map, small, 4, fw, 4), 0);
	assert_int_equal(map.n, 4);
	assert_int_equal(memmap_build(&map, small, 4, fw, 0), 0);
	assert_int_equal(map.n, 0);
}

static void test_carve(void **state)
{
	(void)state;
	build(qemu_fw, 7);

	/* Loader image at 1 MiB (unaligned end), modules after it. */
	assert_int_equal(memmap_carve(&map, 0x200000, 0x14567, M), 0);
	assert_int_equal(memmap_carve(&map, 0x100000, 0x6800, L), 0);
	/* The multiboot2 info shares a page with the module's tail: the page
	 * stays MODULE, the rest of the info becomes LOADER. */
	assert_int_equal(memmap_carve(&map, 0x214800, 0x1000, L), 0);
	static const struct want want[] = {
		{ 0x0, 0x9f000, U }, { 0x9f000, 0xa0000, R }, { 0xf0000, 0x100000, R },
		{ 0x100000, 0x107000, L }, { 0x107000, 0x200000, U },
		{ 0x200000, 0x215000, M }, { 0x215000, 0x216000, L },
		{ 0x216000, 0x1ffe0000, U }, { 0x1ffe0000, 0x20000000, R },
		{ 0xfeffc000, 0xff000000, R }, { 0xfffc0000, 0x100000000, R },
	};
	expect_map(want, 11);

	/* Carving across a reserved hole retypes only the usable parts. */
	assert_int_equal(memmap_carve(&map, 0x90000, 0x70000, L), 0);
	assert_int_equal(memmap_type_at(&map, 0x90000), L);
	assert_int_equal(memmap_type_at(&map, 0x9f000), R);
	assert_int_equal(memmap_type_at(&map, 0xf0000), R);
	check_invariants(&map);

	/* Carving next to a LOADER region merges with it; carving nothing is a no-op. */
	unsigned n = map.n;
	assert_int_equal(memmap_carve(&map, 0x107000, 0x1000, L), 0);
	assert_int_equal(map.n, n);
	assert_int_equal(memmap_carve(&map, 0x300000, 0, L), 0);
	assert_int_equal(map.n, n);
	check_invariants(&map);
}

static void test_carve_capacity(void **state)
{
	(void)state;
	struct exo_mem_region small[3];
	static const struct exo_mem_region fw[] = { FW(0, 16 * MIB, U) };

	assert_int_equal(memmap_build(&map, small, 3, fw, 1), 0);
	assert_int_equal(memmap_carve(&map, 4 * MIB, MIB, L), 0); /* 3 regions */
	assert_int_equal(memmap_carve(&map, 8 * MIB, MIB, L), -1); /* would need 5 */
	static const struct want want[] = {
		{ 0, 4 * MIB, U }, { 4 * MIB, 5 * MIB, L }, { 5 * MIB, 16 * MIB, U },
	};
	expect_map(want, 3); /* unchanged by the failed carve */
}

static void test_alloc(void **state)
{
	(void)state;
	uint64_t a, b, c, d;

	build(qemu_fw, 7);
	assert_int_equal(memmap_carve(&map, 0x100000, 0x7000, L), 0);

	/* Lowest fit at or above 1 MiB, page-rounded, merged with the loader. */
	assert_int_equal(memmap_alloc(&map, 100, 4096, MIB, 1ULL << 32, L, &a), 0);
	assert_true(a == 0x107000);
	assert_int_equal(memmap_alloc(&map, 0x1001, 4096, MIB, 1ULL << 32, L, &b), 0);
	assert_true(b == 0x108000);
	assert_int_equal(memmap_type_at(&map, 0x109fff), L);
	assert_int_equal(memmap_type_at(&map, 0x10a000), U);

	/* 2 MiB alignment skips ahead. */
	assert_int_equal(memmap_alloc(&map, 3 * MIB, 2 * MIB, MIB, 1ULL << 32, K, &c), 0);
	assert_true(c == 0x200000);
	assert_int_equal(memmap_type_at(&map, 0x4fffff), K);

	/* Below 1 MiB only when asked; the window bounds are honoured. */
	assert_int_equal(memmap_alloc(&map, 0x1000, 4096, 0, MIB, L, &d), 0);
	assert_true(d == 0);
	assert_int_equal(memmap_alloc(&map, 0x1000, 4096, 0x1000, 0x2000, L, &d), 0);
	assert_true(d == 0x1000);

	/* Too big, bad alignment, zero length: refused, map untouched. */
	unsigned n = map.n;
	assert_int_equal(memmap_alloc(&map, 1ULL << 30, 4096, MIB, 1ULL << 32, L, &d), -1);
	assert_int_equal(memmap_alloc(&map, 0x1000, 0x1800, MIB, 1ULL << 32, L, &d), -1);
	assert_int_equal(memmap_alloc(&map, 0x1000, 512, MIB, 1ULL << 32, L, &d), -1);
	assert_int_equal(memmap_alloc(&map, 0, 4096, MIB, 1ULL << 32, L, &d), -1);
	assert_int_equal(memmap_alloc(&map, UINT64_MAX, 4096, 0, UINT64_MAX, L, &d), -1);
	assert_int_equal(map.n, n);
	check_invariants(&map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_map),
		cmocka_unit_test(test_unsorted_same_result),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_unaligned),
		cmocka_unit_test(test_huge_and_wrapping),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_carve),
		cmocka_unit_test(test_carve_capacity),
		cmocka_unit_test(test_alloc),
	};

	return cmocka_run_group_tests_name("loader/memmap", tests, NULL, NULL);
}
