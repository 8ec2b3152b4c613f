/*
 * loader/paging.c on the host: the tables are built inside a buffer whose
 * addresses stand in for physical memory (the loader's identity map makes
 * the two equal), then walked here the way the MMU walks them (Intel SDM
 * Vol. 3A 4.5) to check addresses, page sizes and rights.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "paging.h"

#define POOL_PAGES 64
#define KBASE 0xffffffff80000000ULL

static uint8_t *pool;
static struct exo_mem_region store[16];
static struct memmap map;
static struct pt pt;

static int setup_pages(unsigned pages)
{
	struct exo_mem_region fw = { (uintptr_t)pool, pages * PAGE_4K, EXO_MEM_USABLE, 0 };

	/* Poison: a table pt forgot to zero would show present entries. */
	memset(pool, 0xff, POOL_PAGES * PAGE_4K);
	if (memmap_build(&map, store, 16, &fw, 1) != 0)
		return -1;
	return pt_init(&pt, &map, (uintptr_t)pool, (uintptr_t)pool + pages * PAGE_4K);
}

static int setup(void **state)
{
	(void)state;
	pool = aligned_alloc(PAGE_4K, POOL_PAGES * PAGE_4K);
	return pool == NULL || setup_pages(POOL_PAGES) != 0;
}

static int teardown(void **state)
{
	(void)state;
	free(pool);
	return 0;
}

struct walk {
	int present;
	uint64_t pa;
	uint64_t size;
	int writable, executable;
};

/* Translate va; rights are the intersection along the walk. */
static struct walk translate(uint64_t va)
{
	struct walk w = { 0, 0, 0, 1, 1 };
	uint64_t e = pt.pml4 | PTE_P | PTE_W;

	for (int level = 3; level >= 0; level--) {
		uint64_t *t = (uint64_t *)(uintptr_t)(e & PTE_ADDR);

		e = t[(va >> (12 + 9 * level)) & 511];
		if (!(e & PTE_P))
			return w;
		w.writable &= !!(e & PTE_W);
		w.executable &= !(e & PTE_NX);
		if (level == 1 && (e & PTE_PS)) {
			w.present = 1;
			w.size = PAGE_2M;
			w.pa = (e & PTE_ADDR & ~(PAGE_2M - 1)) + (va & (PAGE_2M - 1));
			return w;
		}
	}
	w.present = 1;
	w.size = PAGE_4K;
	w.pa = (e & PTE_ADDR) + (va & (PAGE_4K - 1));
	return w;
}

static void expect(uint64_t va, uint64_t pa, uint64_t size, int wr, int ex)
{
	struct walk w = translate(va);

	if (!w.present || w.pa != pa || w.size != size || w.writable != wr ||
	    w.executable != ex)
		fail_msg("va 0x%llx: present %d pa 0x%llx size 0x%llx w%d x%d; "
			 "want pa 0x%llx size 0x%llx w%d x%d",
			 (unsigned long long)va, w.present, (unsigned long long)w.pa,
			 (unsigned long long)w.size, w.writable, w.executable,
			 (unsigned long long)pa, (unsigned long long)size, wr, ex);
}

static unsigned loader_pages(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < map.n; i++)
		if (map.r[i].type == EXO_MEM_LOADER)
			n += map.r[i].length / PAGE_4K;
	return n;
}

static void test_identity_and_direct_map(void **state)
{
	(void)state;
	const char *why = NULL;

	assert_int_equal(pt_map(&pt, 0, 0, 1ULL << 32, PTE_W, 1, &why), 0);
	assert_int_equal(pt_map(&pt, EXO_DIRECT_MAP, 0, 6ULL << 30, PTE_W | PTE_NX, 1, &why), 0);
	/* PML4 + 2 PDPTs + 4 + 6 page directories, all recorded as LOADER. */
	assert_int_equal(loader_pages(), 13);
	expect(0, 0, PAGE_2M, 1, 1);
	expect(0x12345678, 0x12345678, PAGE_2M, 1, 1);
	expect(0xffffffff, 0xffffffff, PAGE_2M, 1, 1);
	assert_false(translate(1ULL << 32).present);
	expect(EXO_DIRECT_MAP + 0x17ffff000ULL, 0x17ffff000ULL, PAGE_2M, 1, 0);
	assert_false(translate(EXO_DIRECT_MAP + (6ULL << 30)).present);
}

static void test_small_pages_where_unaligned(void **state)
{
	(void)state;
	const char *why = NULL;

	/* 4 KiB head, one 2 MiB page, 4 KiB tail. */
	assert_int_equal(pt_map(&pt, 0x1ff000, 0x1ff000, 0x202000, 0, 1, &why), 0);
	expect(0x1ff000, 0x1ff000, PAGE_4K, 0, 1);
	expect(0x200000, 0x200000, PAGE_2M, 0, 1);
	expect(0x400000, 0x400000, PAGE_4K, 0, 1);
	assert_false(translate(0x401000).present);

	/* va and pa disagree modulo 2 MiB: 4 KiB pages only. */
	assert_int_equal(pt_map(&pt, 0x40000000, 0x1000, 4 * PAGE_2M, 0, 1, &why), 0);
	expect(0x40000000, 0x1000, PAGE_4K, 0, 1);
	expect(0x407ff000, 0x800000, PAGE_4K, 0, 1);

	/* large = 0 forces 4 KiB pages even when aligned. */
	assert_int_equal(pt_map(&pt, 0x80000000, 0x80000000, PAGE_2M, 0, 0, &why), 0);
	expect(0x80000000, 0x80000000, PAGE_4K, 0, 1);
}

static void test_kernel_segments_share_a_page(void **state)
{
	(void)state;
	const char *why = NULL;

	/* text RX on three pages; data RW-NX starting in text's last page. */
	assert_int_equal(pt_map(&pt, KBASE, 0x200000, 3 * PAGE_4K, 0, 0, &why), 0);
	assert_int_equal(pt_map(&pt, KBASE + 0x2000, 0x202000, 2 * PAGE_4K, PTE_W | PTE_NX, 0,
				&why), 0);
	expect(KBASE, 0x200000, PAGE_4K, 0, 1);
	expect(KBASE + 0x1000, 0x201000, PAGE_4K, 0, 1);
	expect(KBASE + 0x2000, 0x202000, PAGE_4K, 1, 1); /* union: W and X */
	expect(KBASE + 0x3000, 0x203000, PAGE_4K, 1, 0);

	/* rodata R-NX then more rodata on the same page stays NX. */
	assert_int_equal(pt_map(&pt, KBASE + 0x10000, 0x210000, PAGE_4K, PTE_NX, 0, &why), 0);
	assert_int_equal(pt_map(&pt, KBASE + 0x10000, 0x210000, PAGE_4K, PTE_NX, 0, &why), 0);
	expect(KBASE + 0x10000, 0x210000, PAGE_4K, 0, 0);
}

static void test_conflicts(void **state)
{
	(void)state;
	const char *why = NULL;

	assert_int_equal(pt_map(&pt, KBASE, 0x200000, PAGE_4K, 0, 0, &why), 0);
	assert_int_equal(pt_map(&pt, KBASE, 0x300000, PAGE_4K, 0, 0, &why), -1);
	assert_string_equal(why, "conflicting mapping for the same virtual page");

	assert_int_equal(pt_map(&pt, 0, 0, PAGE_2M, PTE_W, 1, &why), 0);
	why = NULL;
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, PAGE_4K, 0, 0, &why), -1);
	assert_string_equal(why, "a large page is already mapped there");
	assert_int_equal(pt_map(&pt, 0, 0, PAGE_2M, PTE_W, 1, &why), -1);
	assert_string_equal(why, "conflicting mapping for the same virtual page");
}

static void test_out_of_memory(void **state)
{
	(void)state;
	const char *why = NULL;

	/* Room for the PML4 and one more table only. */
	assert_int_equal(setup_pages(2), 0);
	assert_int_equal(pt_map(&pt, 0, 0, PAGE_4K, 0, 0, &why), -1);
	assert_string_equal(why, "out of memory for page tables");
	assert_int_equal(loader_pages(), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity_and_direct_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_pages_where_unaligned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_segments_share_a_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
	};

	return cmocka_run_group_tests_name("loader/paging", tests, NULL, NULL);
}
