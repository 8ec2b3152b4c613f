/*
 * Host tests for the www= argument of a handed-over web root
 * (apps/httpd/webroot.c): every field of a hostile argument is refused
 * with a reason, a good one round-trips through webroot_format, the page
 * count and the held-frames count are right, and httpd's files over an
 * initrd-like archive with the root "www/" are the www/ members only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../apps/httpd/webroot.h"

static const struct {
	const char *arg;
	uint64_t va, offset, length;   /* when accepted */
} good[] = {
	{ "0x400000000000:512:1050112", 0x400000000000, 512, 1050112 },
	{ "0x10000:0:0", 0x10000, 0, 0 },
	{ "0x7effffff0000:3584:512", 0x7effffff0000, 3584, 512 },
	{ "0x400000000000:0:268435456", 0x400000000000, 0, 268435456 },
	{ "0xABCDE000:1024:4096", 0xabcde000, 1024, 4096 },
	{ "0x7efffffff000:512:3584", 0x7efffffff000, 512, 3584 },   /* ends at the window */
};

static const struct {
	const char *arg, *why;   /* why: a word the reason must contain */
} bad[] = {
	{ NULL, "no www=" },
	{ "", "must read" },
	{ "400000000000:0:512", "must read" },
	{ "0x:0:512", "must read" },
	{ "0x400000000000", "must read" },
	{ "0x400000000000:0", "must read" },
	{ "0x400000000000::512", "must read" },
	{ "0x400000000000:0:512:", "must read" },
	{ "0x400000000000:0:512 ", "must read" },
	{ "0x400000000000:-512:512", "must read" },
	{ "0x400000000000:0:+512", "must read" },
	{ "0x400000000000:0:0x200", "must read" },
	{ "0x10000000000000000:0:512", "must read" },            /* 2^64 */
	{ "0x400000000000:0:18446744073709551616", "must read" },
	{ "0x400000000000:99999999999999999999999:512", "must read" },
	{ "0x400000000800:0:512", "address" },                  /* not aligned */
	{ "0x0:0:512", "address" },
	{ "0xf000:0:512", "address" },                          /* below load min */
	{ "0x7f0000000000:0:512", "address" },                  /* the book window */
	{ "0xffff800000000000:0:512", "address" },              /* the kernel's */
	{ "0x400000000000:4096:512", "offset" },
	{ "0x400000000000:100:512", "offset" },
	{ "0x400000000000:0:1000", "length" },
	{ "0x400000000000:0:268435968", "length" },             /* 256 MiB + 512 */
	{ "0x7effffff0000:3584:65536", "bookkeeping" },
	{ "0x7efffffff000:512:4096", "bookkeeping" },
};

static void test_parse_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct webroot w;
		const char *why = NULL;
		assert_int_equal(webroot_parse(good[i].arg, &w, &why), 0);
		assert_true(w.va == good[i].va && w.offset == good[i].offset &&
			    w.length == good[i].length);
	}
}

static void test_parse_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct webroot w = { 1, 2, 3 };
		const char *why = NULL;
		if (webroot_parse(bad[i].arg, &w, &why) != -1)
			fail_msg("accepted '%s'", bad[i].arg);
		assert_non_null(why);
		if (strstr(why, bad[i].why) == NULL)
			fail_msg("'%s': reason '%s' lacks '%s'", bad[i].arg, why, bad[i].why);
		assert_true(w.va == 1 && w.offset == 2 && w.length == 3);   /* untouched */
	}
}

static void test_format(void **state)
{
	(void)state;
	char buf[64];
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct webroot w = { good[i].va, good[i].offset, good[i].length }, back;
		const char *why;
		int n = webroot_format(buf, sizeof(buf), &w);
		assert_int_equal(n, (int)strlen(buf));
		assert_memory_equal(buf, "www=", 4);
		assert_int_equal(webroot_parse(buf + 4, &back, &why), 0);
		assert_memory_equal(&w, &back, sizeof(w));
	}
	struct webroot w = { 0x400000000000, 512, 1050112 };
	int n = webroot_format(buf, sizeof(buf), &w);
	assert_string_equal(buf, "www=0x400000000000:512:1050112");
	for (size_t size = 0; size <= (size_t)n; size++) {
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(webroot_format(buf, size, &w), -1);
		assert_int_equal(buf[size], 'x');   /* nothing written past the end */
	}
	assert_int_equal(webroot_format(buf, (size_t)n + 1, &w), n);
}

static void test_pages_and_held(void **state)
{
	(void)state;
	struct webroot w = { 0x400000000000, 512, 1050112 };
	assert_int_equal(webroot_pages(&w), 257);
	w.offset = 0, w.length = 4096;
	assert_int_equal(webroot_pages(&w), 1);
	w.offset = 3584, w.length = 1024;
	assert_int_equal(webroot_pages(&w), 2);
	w.offset = 0, w.length = 0;
	assert_int_equal(webroot_pages(&w), 0);

	uint16_t owners[16] = { 0 };
	for (int i = 5; i < 12; i++)
		owners[i] = 7;
	owners[3] = 7;   /* outside the range asked about */
	owners[8] = 0xfffe;
	assert_int_equal(webroot_held(owners, 4, 10, 7), 6);
	assert_int_equal(webroot_held(owners, 4, 10, 8), 0);
	assert_int_equal(webroot_held(owners, 0, 0, 7), 0);
}

/* httpd's files over an initrd-like archive: a program, then www/ files. */
static void test_tarfs_root(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_webroot.XXXXXX", cmd[600];
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir www && echo program >prog && echo '<h1>hi</h1>' >www/index.html"
		 " && echo data >www/a.txt && echo other >index.html"
		 " && tar --format=ustar -cf t.tar prog index.html www", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/t.tar", dir);
	FILE *f = fopen(cmd, "rb");
	assert_non_null(f);
	static unsigned char tar[65536];
	size_t size = fread(tar, 1, sizeof(tar), f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);

	struct httpd_fs fs;
	struct httpd_tarfs t;
	struct httpd_file file;
	httpd_tarfs_init(&fs, &t, tar, size, WEBROOT_PREFIX);
	assert_int_equal(fs.lookup(fs.ctx, "/", &file), 0);
	assert_int_equal(file.size, 12);
	assert_memory_equal(file.data, "<h1>hi</h1>\n", 12);
	assert_int_equal(fs.lookup(fs.ctx, "/a.txt", &file), 0);
	assert_memory_equal(file.data, "data\n", 5);
	assert_int_equal(fs.lookup(fs.ctx, "/prog", &file), -1);   /* outside www/ */
	assert_int_equal(fs.lookup(fs.ctx, "/../prog", &file), -1);
	/* The empty root of a refused www=: nothing, and no read of memory. */
	httpd_tarfs_init(&fs, &t, NULL, 0, WEBROOT_PREFIX);
	assert_int_equal(fs.lookup(fs.ctx, "/", &file), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_pages_and_held),
		cmocka_unit_test(test_tarfs_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
