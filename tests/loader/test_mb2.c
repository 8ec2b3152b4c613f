/*
 * loader/mb2.c on crafted multiboot2 information blocks: one complete valid
 * block, then one malformed block per rejection, each checked for the
 * words of its reason (the loader prints that reason on COM1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mb2.h"

/* ---- building blocks ---------------------------------------------------- */

static union {
	uint8_t b[8192];
	uint64_t align;
} buf;
static uint32_t len;

static void put32(uint32_t off, uint32_t v) { memcpy(buf.b + off, &v, 4); }
static void put64(uint32_t off, uint64_t v) { memcpy(buf.b + off, &v, 8); }

static void begin(void)
{
	memset(&buf, 0, sizeof buf);
	len = 8;
}

/* Append a tag with `plen` payload bytes; returns the payload offset. */
static uint32_t tag(uint32_t type, const void *payload, uint32_t plen)
{
	uint32_t off = len;

	put32(off, type);
	put32(off + 4, 8 + plen);
	if (payload != NULL)
		memcpy(buf.b + off + 8, payload, plen);
	len = (off + 8 + plen + 7) & ~7u;
	return off + 8;
}

static void finish(void)
{
	tag(MB2_TAG_END, NULL, 0);
	put32(0, len);
}

static void module(uint32_t start, uint32_t end, const char *name)
{
	uint8_t p[128];
	size_t n = strlen(name) + 1;

	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	memcpy(p + 8, name, n);
	tag(MB2_TAG_MODULE, p, (uint32_t)(8 + n));
}

static void mmap_tag(const uint64_t (*e)[3], unsigned n, uint32_t esize)
{
	uint32_t pl = tag(MB2_TAG_MMAP, NULL, 8 + n * esize);

	put32(pl, esize);
	put32(pl + 4, 0);
	for (unsigned i = 0; i < n; i++) {
		put64(pl + 8 + i * esize, e[i][0]);
		put64(pl + 8 + i * esize + 8, e[i][1]);
		put32(pl + 8 + i * esize + 16, (uint32_t)e[i][2]);
	}
}

static const uint64_t qemu_map[][3] = {
	{ 0x0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0xf0000, 0x10000, 2 },
	{ 0x100000, 0x1fee0000, 1 }, { 0x1ffe0000, 0x20000, 2 },
	{ 0xfffc0000, 0x40000, 2 }, { 0x7000, 0x1000, 3 }, { 0x8000, 0x1000, 4 },
	{ 0x9000, 0x1000, 5 },
};

/* An RSDP (ACPI 5.2.5.3) with valid checksums; revision 0 or 2. */
static void rsdp(uint8_t *r, int rev)
{
	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BOCHS ", 6);
	r[15] = (uint8_t)rev;
	uint32_t rsdt = 0x1ffe2000, length = 36;
	memcpy(r + 16, &rsdt, 4);
	memcpy(r + 20, &length, 4);
	uint8_t s = 0;
	for (int i = 0; i < 20; i++)
		s += r[i];
	r[8] = (uint8_t)-s;
	s = 0;
	for (int i = 0; i < 36; i++)
		s += r[i];
	r[32] = (uint8_t)-s;
}

static void valid_block(void)
{
	uint8_t r[36];

	begin();
	tag(MB2_TAG_CMDLINE, "test=boot verbose", 18);
	tag(MB2_TAG_LOADER, "GRUB 2.06", 10);
	module(0x120000, 0x134567, "kernel");
	module(0x135000, 0x135000, "init");
	module(0x136000, 0x137001, "initrd");
	mmap_tag(qemu_map, sizeof qemu_map / sizeof qemu_map[0], 24);
	rsdp(r, 0);
	tag(MB2_TAG_ACPI_OLD, r, 20);
	tag(99, "future tag", 10);
	finish();
}

static int parse(struct mb2_info *mi, char *why, size_t n)
{
	return mb2_parse(buf.b, sizeof buf, mi, why, n);
}

/* ---- accepted ----------------------------------------------------------- */

static void test_valid(void **state)
{
	(void)state;
	struct mb2_info mi;
	char why[160];

	valid_block();
	assert_int_equal(parse(&mi, why, sizeof why), 0);
	assert_string_equal(why, "");
	assert_int_equal(mi.total_size, len);
	assert_string_equal(mi.cmdline, "test=boot verbose");
	assert_int_equal(mi.mod_count, 3);
	assert_string_equal(mi.mods[0].name, "kernel");
	assert_int_equal(mi.mods[0].start, 0x120000);
	assert_int_equal(mi.mods[0].end, 0x134567);
	assert_string_equal(mi.mods[1].name, "init");
	assert_int_equal(mi.mods[1].end - mi.mods[1].start, 0); /* empty is allowed */
	assert_string_equal(mi.mods[2].name, "initrd");
	assert_int_equal(mi.mmap_count, 9);
	assert_int_equal(mi.rsdp_len, 20);
	assert_int_equal(mi.rsdp_revision, 0);
	assert_memory_equal(mi.rsdp, "RSD PTR ", 8);

	static const uint32_t want[] = { EXO_MEM_USABLE, EXO_MEM_RESERVED, EXO_MEM_RESERVED,
		EXO_MEM_USABLE, EXO_MEM_RESERVED, EXO_MEM_RESERVED, EXO_MEM_ACPI_RECLAIM,
		EXO_MEM_ACPI_NVS, EXO_MEM_BAD };
	for (uint32_t i = 0; i < mi.mmap_count; i++) {
		struct exo_mem_region r;

		mb2_mmap_entry(&mi, i, &r);
		assert_true(r.base == qemu_map[i][0]);
		assert_true(r.length == qemu_map[i][1]);
		assert_int_equal(r.type, want[i]);
	}
}

static void test_wide_mmap_entries_and_xsdp(void **state)
{
	(void)state;
	struct mb2_info mi;
	char why[160];
	uint8_t r0[36], r2[36];

	/* Entries of 32 bytes (a future entry_version) and both RSDP tags,
	 * the new one first: the XSDP must win either way. */
	begin();
	mmap_tag(qemu_map, 4, 32);
	rsdp(r2, 2);
	tag(MB2_TAG_ACPI_NEW, r2, 36);
	rsdp(r0, 0);
	tag(MB2_TAG_ACPI_OLD, r0, 20);
	finish();
	assert_int_equal(parse(&mi, why, sizeof why), 0);
	assert_null(mi.cmdline);
	assert_int_equal(mi.mod_count, 0);
	assert_int_equal(mi.mmap_count, 4);
	struct exo_mem_region e;
	mb2_mmap_entry(&mi, 3, &e);
	assert_true(e.base == 0x100000 && e.length == 0x1fee0000);
	assert_int_equal(mi.rsdp_len, 36);
	assert_int_equal(mi.rsdp_revision, 2);
}

/* ---- rejected ----------------------------------------------------------- */

static void expect_reject(const char *what, const char *reason)
{
	struct mb2_info mi;
	char why[200];

	if (mb2_parse(buf.b, len, &mi, why, sizeof why) != -1)
		fail_msg("%s: accepted", what);
	if (strstr(why, reason) == NULL)
		fail_msg("%s: reason \"%s\" lacks \"%s\"", what, why, reason);
}

static void test_block_header(void **state)
{
	(void)state;
	struct mb2_info mi;
	char why[160];

	valid_block();
	assert_int_equal(mb2_parse(buf.b + 4, sizeof buf - 4, &mi, why, sizeof why), -1);
	assert_non_null(strstr(why, "not 8-byte aligned"));
	assert_int_equal(mb2_parse(buf.b, 12, &mi, why, sizeof why), -1);
	assert_string_equal(why, "multiboot2 info: only 12 bytes available");

	put32(0, 8);
	expect_reject("total 8", "total size 8 outside [16, ");
	valid_block();
	assert_int_equal(mb2_parse(buf.b, len - 8, &mi, why, sizeof why), -1);
	assert_non_null(strstr(why, "outside [16, "));
	put32(0, MB2_MAX_INFO + 8);
	assert_int_equal(mb2_parse(buf.b, SIZE_MAX, &mi, why, sizeof why), -1);
	assert_non_null(strstr(why, "outside [16, 1048576]"));
}

static void test_tag_framing(void **state)
{
	(void)state;

	valid_block();
	put32(8 + 4, 4); /* first tag: size 4 */
	expect_reject("tiny tag", "multiboot2 tag 1 at offset 0x8: size 4 runs outside");

	valid_block();
	put32(8 + 4, len); /* first tag: past the end */
	expect_reject("long tag", "runs outside the");

	/* No end tag: the block stops right after the command line. */
	begin();
	tag(MB2_TAG_CMDLINE, "x", 2);
	put32(0, len);
	expect_reject("no end tag", "no end tag within the 24-byte block");

	/* End tag of the wrong size. */
	valid_block();
	put32(len - 4, 16);
	put32(0, len + 8);
	len += 8;
	expect_reject("end size", "end tag of size 16, not 8");

	/* A tag whose padding would run past total_size. */
	begin();
	mmap_tag(qemu_map, 1, 24);
	tag(MB2_TAG_CMDLINE, "abc", 4); /* 12 bytes, padded to 16 */
	put32(0, len - 4);
	len -= 4;
	expect_reject("padding", "no end tag within");
}

static void test_strings(void **state)
{
	(void)state;

	begin();
	mmap_tag(qemu_map, 1, 24);
	tag(MB2_TAG_CMDLINE, "no-nul", 6);
	finish();
	expect_reject("cmdline", "tag 1 at offset 0x30: string of 6 bytes has no terminating NUL");

	begin();
	uint32_t pl = tag(MB2_TAG_MODULE, NULL, 12);
	put32(pl, 0x1000);
	put32(pl + 4, 0x2000);
	memcpy(buf.b + pl + 8, "kern", 4);
	mmap_tag(qemu_map, 1, 24);
	finish();
	expect_reject("module name", "string of 4 bytes has no terminating NUL");
}

static void test_modules(void **state)
{
	(void)state;

	begin();
	tag(MB2_TAG_MODULE, "\0\0\0\0\0\0\0", 8);
	finish();
	expect_reject("short module", "module tag payload of 8 bytes is too small");

	begin();
	module(0x3000, 0x2000, "backwards");
	finish();
	expect_reject("end < start", "module 'backwards' ends (0x2000) before it starts (0x3000)");

	begin();
	for (int i = 0; i <= EXO_MAX_MODULES; i++)
		module(0x1000 * (i + 1), 0x1000 * (i + 2), "m");
	mmap_tag(qemu_map, 1, 24);
	finish();
	expect_reject("17 modules", "more than 16 modules");
}

static void test_mmap(void **state)
{
	(void)state;

	begin();
	tag(MB2_TAG_MMAP, "\x18\0\0", 4);
	finish();
	expect_reject("short mmap", "memory map payload of 4 bytes is too small");

	begin();
	mmap_tag(qemu_map, 2, 20);
	finish();
	expect_reject("entry 20", "memory map entry size 20 (need a multiple of 8, >= 24)");

	begin();
	mmap_tag(qemu_map, 2, 28);
	finish();
	expect_reject("entry 28", "entry size 28");

	begin();
	uint32_t pl = tag(MB2_TAG_MMAP, NULL, 8 + 24 + 8);
	put32(pl, 24);
	finish();
	expect_reject("leftover", "memory map of 32 bytes is not a whole number of 24-byte entries");

	begin();
	pl = tag(MB2_TAG_MMAP, NULL, 8 + 24 * (MB2_MAX_MMAP + 1));
	put32(pl, 24);
	finish();
	expect_reject("too many", "memory map has 257 entries, more than 256");

	begin();
	mmap_tag(qemu_map, 2, 24);
	mmap_tag(qemu_map, 2, 24);
	finish();
	expect_reject("two maps", "second memory map tag");

	begin();
	tag(MB2_TAG_CMDLINE, "", 1);
	finish();
	expect_reject("no map", "multiboot2 info: no memory map tag (type 6)");
}

static void test_rsdp(void **state)
{
	(void)state;
	uint8_t r[36];

	begin();
	mmap_tag(qemu_map, 1, 24);
	rsdp(r, 0);
	tag(MB2_TAG_ACPI_OLD, r, 19);
	finish();
	expect_reject("short", "RSDP copy of 19 bytes, need 20");

	begin();
	mmap_tag(qemu_map, 1, 24);
	rsdp(r, 2);
	tag(MB2_TAG_ACPI_NEW, r, 20);
	finish();
	expect_reject("short xsdp", "RSDP copy of 20 bytes, need 36");

	begin();
	mmap_tag(qemu_map, 1, 24);
	rsdp(r, 0);
	r[0] = 'X';
	tag(MB2_TAG_ACPI_OLD, r, 20);
	finish();
	expect_reject("signature", "RSDP signature is not \"RSD PTR \"");

	begin();
	mmap_tag(qemu_map, 1, 24);
	rsdp(r, 0);
	r[12]++;
	tag(MB2_TAG_ACPI_OLD, r, 20);
	finish();
	expect_reject("checksum", "RSDP checksum of the first 20 bytes is not zero");

	begin();
	mmap_tag(qemu_map, 1, 24);
	rsdp(r, 2);
	r[30]++;
	tag(MB2_TAG_ACPI_NEW, r, 36);
	finish();
	expect_reject("xsdp checksum", "XSDP extended checksum is not zero");
}

static void test_reason_buffer(void **state)
{
	(void)state;
	struct mb2_info mi;
	char why[10];

	begin();
	finish();
	assert_int_equal(mb2_parse(buf.b, len, &mi, NULL, 0), -1);
	memset(why, 'Z', sizeof why);
	assert_int_equal(mb2_parse(buf.b, len, &mi, why, 6), -1);
	assert_string_equal(why, "multi");
	assert_int_equal(why[6], 'Z');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_wide_mmap_entries_and_xsdp),
		cmocka_unit_test(test_block_header),
		cmocka_unit_test(test_tag_framing),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_mmap),
		cmocka_unit_test(test_rsdp),
		cmocka_unit_test(test_reason_buffer),
	};

	return cmocka_run_group_tests_name("loader/mb2", tests, NULL, NULL);
}
