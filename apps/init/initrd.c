/*
 * The initrd, from init's side. The kernel leaves the archive where GRUB
 * loaded it and marks its frames EXO_OWNER_INITRD in the ownership table
 * (the bookkeeping window says where). init, and only init, may bind
 * those frames, read-only; it maps them contiguously, reads programs out
 * of the archive to exec them, and releases the frames when it no longer
 * needs them, which returns them to the free pool.
 */
#include <stdarg.h>
#include <string.h>

#include <exo/book.h>
#include <fmt.h>
#include <libos/exec.h>
#include <libos/libos.h>
#include <libos/tar.h>

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
	uint32_t n = npages;

	for (uint32_t i = 0; i < npages; i++)
		revoke_resource(handles[i]);
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

long spawn(const char *prog, unsigned caps, unsigned slices, ...)
{
	const char *argv[MAX_ARGS];
	struct tar_file f;
	va_list ap;
	int argc = 0;

	if (npages == 0 || tar_find((const void *)INITRD_VA, nbytes, prog, &f) != 0) {
		printf("init: no program '%s' in the initrd\n", prog);
		return -1;
	}
	argv[argc++] = prog;
	va_start(ap, slices);
	for (const char *a; argc < MAX_ARGS && (a = va_arg(ap, const char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	return exec_image(f.data, f.size, argv, argc, caps, slices);
}

const char *num_arg(const char *key, long v)
{
	static char bufs[8][40];
	static int next;
	char *b = bufs[next++ % 8];

	fmt_snprintf(b, sizeof(bufs[0]), "%s=%ld", key, v);
	return b;
}
