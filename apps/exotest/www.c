/*
 * role=www: the web root as netd receives it (apps/httpd/webroot.h),
 * seen from inside the child. With expect=served (init's spawn_www) the
 * www/ files must be found in place, in pages this env holds read-only:
 * the data lies in the handed-over span, equals what init read from the
 * initrd (sum=, FNV-1a of www/1m.bin), a write to it faults, and every
 * handle this env holds on those frames refuses a writable or executable
 * mapping. With expect=refused (a hostile or missing www=, no pages) the
 * same start-up code must refuse cleanly and serve nothing.
 */
#include <string.h>

#include <libos/libos.h>

#include "../httpd/webroot.h"
#include "exotest.h"

#define ALIAS_VA 0x0000580000000000UL   /* where the handles are tried */

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Of this env's page handles, how many refuse W (and also X) but map R. */
static unsigned read_only_handles(unsigned *noexec)
{
	unsigned ro = 0;

	*noexec = 0;
	for (long h = 0; h < EXO_NHANDLE; h++) {
		long w = sys_page_map(0, h, (void *)ALIAS_VA, EXO_PERM_W);
		if (w == 0)
			sys_page_unmap(0, (void *)ALIAS_VA);
		if (w != -EXO_EPERM)
			continue;   /* writable, or not a page handle */
		if (sys_page_map(0, h, (void *)ALIAS_VA, EXO_PERM_R) != 0)
			continue;
		sys_page_unmap(0, (void *)ALIAS_VA);
		ro++;
		long x = sys_page_map(0, h, (void *)ALIAS_VA, EXO_PERM_X);
		if (x == 0)
			sys_page_unmap(0, (void *)ALIAS_VA);
		*noexec += x == -EXO_EPERM;
	}
	return ro;
}

static int served(int argc, char **argv, struct httpd_fs *fs, int files)
{
	int failures = 0;
	struct webroot w;
	const char *why = "";
	struct httpd_file index, big;

	CHECK(files >= 2, "webroot_open found %d files\n", files);
	CHECK(webroot_parse(arg_value(argc, argv, WEBROOT_KEY), &w, &why) == 0, "%s\n", why);
	uint64_t lo = w.va, hi = w.va + webroot_pages(&w) * WEBROOT_PAGE;
	CHECK(fs->lookup(fs->ctx, "/", &index) == 0, "no index page\n");
	CHECK(fs->lookup(fs->ctx, "/1m.bin", &big) == 0, "no /1m.bin\n");
	if (failures)
		return failures;
	const char *h1 = "<h1>exo httpd</h1>";
	int found = 0;
	for (size_t i = 0; i + strlen(h1) <= index.size && !found; i++)
		found = memcmp((const char *)index.data + i, h1, strlen(h1)) == 0;
	CHECK(found, "the index page lacks %s\n", h1);
	CHECK((uint64_t)(uintptr_t)big.data >= lo &&
	      (uint64_t)(uintptr_t)big.data + big.size <= hi &&
	      (uint64_t)(uintptr_t)index.data >= lo, "files not served from the span\n");
	uint32_t sum = fnv1a(big.data, big.size);
	CHECK(big.size == 1048576 && (long)sum == arg_num(argc, argv, "sum", -1),
	      "/1m.bin: %lu bytes, sum %u, init read %ld\n", (unsigned long)big.size,
	      sum, arg_num(argc, argv, "sum", -1));
	uint64_t v;
	CHECK(!probe_read(big.data, &v), "reading the web root faulted\n");
	CHECK(probe_write((void *)(uintptr_t)big.data, 0) && (probe_error & 3) == 3 &&
	      probe_addr == (uint64_t)(uintptr_t)big.data,
	      "writing the web root did not fault (error %#lx)\n", (unsigned long)probe_error);
	CHECK(fnv1a(big.data, big.size) == sum, "the write changed the file\n");
	unsigned noexec, ro = read_only_handles(&noexec);
	CHECK(ro == webroot_pages(&w) && noexec == ro,
	      "%u read-only handles (%u not executable), want %lu\n", ro, noexec,
	      (unsigned long)webroot_pages(&w));
	if (failures == 0)
		printf("exotest: www: %d files served in place from %u read-only, "
		       "non-executable initrd pages at %#lx; a write faults (error %#lx)\n",
		       files, ro, (unsigned long)w.va, (unsigned long)probe_error);
	return failures;
}

int role_www(int argc, char **argv)
{
	static struct httpd_fs fs;
	static struct httpd_tarfs t;
	const char *expect = arg_value(argc, argv, "expect");
	const char *arg = arg_value(argc, argv, WEBROOT_KEY);
	struct httpd_file f;
	int failures = 0;

	int files = webroot_open(argc, argv, "exotest", &fs, &t);
	if (expect && strcmp(expect, "served") == 0)
		return served(argc, argv, &fs, files);
	CHECK(files == -1, "www=%s was accepted\n", arg ? arg : "(none)");
	CHECK(fs.lookup(fs.ctx, "/", &f) == -1 && fs.lookup(fs.ctx, "/1m.bin", &f) == -1,
	      "a refused web root still serves files\n");
	if (failures == 0)
		printf("exotest: www: refused www=%s, serving nothing\n", arg ? arg : "(none)");
	return failures;
}
