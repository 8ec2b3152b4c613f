/*
 * The initrd, from init's side. The kernel leaves the archive where GRUB
 * loaded it and marks its frames EXO_OWNER_INITRD in the ownership table
 * (the bookkeeping window says where). init, and only init, may bind
 * those frames, read-only; it maps them contiguously, reads programs out
 * of the archive to exec them, and releases the frames when it no longer
 * needs them, which returns them to the free pool.
 *
 * The pages of the web root (the www/ members, ../httpd/webroot.h) are
 * the exception: spawn_www() hands them, still read-only, to the program
 * that serves them, so they are that program's from then on and go back
 * to the free pool when it ends; initrd_release() leaves them alone.
 */
#include <stdarg.h>
#include <string.h>

#include <exo/book.h>
#include <fmt.h>
#include <libos/exec.h>
#include <libos/libos.h>
#include <libos/tar.h>

#include "../httpd/webroot.h"
#include "init.h"

#define INITRD_VA 0x0000300000000000UL
#define MAX_ARGS 16

static int handles[4096];
static uint32_t npages;
static size_t nbytes;

int initrd_open(void)
{
	const struct exo_book *b = exo_book();

	if (b->initrd_pages == 0)
		return -1;
	if (b->initrd_pages > sizeof(handles) / sizeof(handles[0])) {
		printf("init: initrd of %u pages is too big\n", b->initrd_pages);
		return -1;
	}
	for (uint32_t i = 0; i < b->initrd_pages; i++) {
		int h = bind_resource((int)EXO_NAME_PAGE(b->initrd_frame + i));
		if (h < 0 || sys_page_map(0, h, (void *)(INITRD_VA + i * PAGE_SIZE),
					  EXO_PERM_R) < 0) {
			printf("init: initrd page %u: error %d\n", i, h);
			return -1;
		}
		handles[i] = h;
		npages = i + 1;
	}
	nbytes = b->initrd_bytes;
	printf("init: initrd: %u pages bound read-only at %#lx\n", npages,
	       (unsigned long)INITRD_VA);
	return 0;
}

uint32_t initrd_release(void)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < npages; i++)
		if (handles[i] >= 0 && revoke_resource(handles[i]) == 0)
			n++;
	npages = 0;
	nbytes = 0;
	return n;
}

int initrd_list(void)
{
	struct tar_iter it;
	struct tar_file f;
	int n = 0, r;

	tar_begin(&it, (const void *)INITRD_VA, nbytes);
	while ((r = tar_next(&it, &f)) == 0) {
		printf("init: initrd: %s (%lu bytes)\n", f.name, (unsigned long)f.size);
		n++;
	}
	return r == TAR_EOF ? n : -1;
}

int initrd_file(const char *name, struct tar_file *f)
{
	return npages ? tar_find((const void *)INITRD_VA, nbytes, name, f) : TAR_ENOENT;
}

/* exec prog from the initrd with argv[1..] = extra, then `extra2` if not NULL. */
static long spawn_v(const char *prog, unsigned caps, unsigned slices, const char *extra2,
		    struct exec_pages *pages, va_list ap)
{
	const char *argv[MAX_ARGS];
	struct tar_file f;
	int argc = 0;

	if (npages == 0 || tar_find((const void *)INITRD_VA, nbytes, prog, &f) != 0) {
		printf("init: no program '%s' in the initrd\n", prog);
		return -1;
	}
	argv[argc++] = prog;
	for (const char *a; argc < MAX_ARGS - 1 && (a = va_arg(ap, const char *)) != NULL;)
		argv[argc++] = a;
	if (extra2)
		argv[argc++] = extra2;
	return exec_image_pages(f.data, f.size, argv, argc, caps, slices, pages);
}

long spawn(const char *prog, unsigned caps, unsigned slices, ...)
{
	va_list ap;

	va_start(ap, slices);
	long id = spawn_v(prog, caps, slices, NULL, NULL, ap);
	va_end(ap);
	return id;
}

/*
 * The archive span of the www/ members: from the first one's header to
 * the end of the last one's data, which must follow each other (the
 * build adds them together, apps/apps.mk). 0 and [*lo, *hi) as offsets
 * into the initrd, or -1 if there are none or others lie between them.
 */
static int www_span(size_t *lo, size_t *hi, int *files)
{
	const size_t plen = sizeof(WEBROOT_PREFIX) - 1;
	struct tar_iter it;
	struct tar_file f;
	int r, others = 0;

	*files = 0;
	tar_begin(&it, (const void *)INITRD_VA, nbytes);
	while ((r = tar_next(&it, &f)) == 0) {
		size_t hdr = (size_t)((const char *)f.data - (const char *)INITRD_VA) - 512;
		if (strncmp(f.name, WEBROOT_PREFIX, plen) != 0) {
			others += *files > 0;
			continue;
		}
		if (others) {
			printf("init: initrd: %s is apart from the other www/ members\n", f.name);
			return -1;
		}
		if ((*files)++ == 0)
			*lo = hdr;
		*hi = it.off;   /* the end of this member's padded data */
	}
	if (r != TAR_EOF) {
		printf("init: initrd: corrupt archive\n");
		return -1;
	}
	return *files > 0 ? 0 : -1;
}

long spawn_www(const char *prog, unsigned caps, unsigned slices, ...)
{
	size_t lo, hi;
	int files;
	char arg[64];
	va_list ap;

	va_start(ap, slices);
	if (npages == 0 || www_span(&lo, &hi, &files) != 0) {
		printf("init: %s: no web root in the initrd to hand over\n", prog);
		long id = spawn_v(prog, caps, slices, NULL, NULL, ap);
		va_end(ap);
		return id;
	}
	uint32_t first = (uint32_t)(lo / PAGE_SIZE);
	uint32_t last = (uint32_t)((hi + PAGE_SIZE - 1) / PAGE_SIZE);
	struct webroot w = { EXEC_PAGES_VA, lo % PAGE_SIZE, hi - lo };
	struct exec_pages pages = { &handles[first], last - first, EXEC_PAGES_VA, EXO_PERM_R, 0 };

	long id = -1;
	if (webroot_format(arg, sizeof(arg), &w) > 0)
		id = spawn_v(prog, caps, slices, arg, &pages, ap);
	va_end(ap);
	/* Those handles name nothing of init's now (exec_pages.given). */
	for (uint32_t i = 0; i < pages.given; i++)
		handles[first + i] = -1;
	if (id >= 0)
		printf("init: gave %s %u read-only initrd pages (www/: %d files, %lu bytes) at %#lx\n",
		       prog, pages.given, files, (unsigned long)(hi - lo),
		       (unsigned long)EXEC_PAGES_VA);
	return id;
}

const char *num_arg(const char *key, long v)
{
	static char bufs[8][40];
	static int next;
	char *b = bufs[next++ % 8];

	fmt_snprintf(b, sizeof(bufs[0]), "%s=%ld", key, v);
	return b;
}
