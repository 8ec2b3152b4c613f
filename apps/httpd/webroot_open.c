/*
 * The program side of a handed-over web root (webroot.h): from argv to
 * httpd's files. Everything is checked before a byte of the span is
 * read: the argument (webroot_parse), then, in the bookkeeping window,
 * that this env holds as many initrd frames as the span covers (a www=
 * without the pages behind it would otherwise be a page fault), then
 * every archive header in the span (libos/tar.c). Only the mapping itself
 * is taken on trust: the parent that built this env placed those pages,
 * as it placed the program's code.
 */
#include <libos/libos.h>
#include <libos/tar.h>

#include "webroot.h"

/* This env's tag in the ownership table (exo/book.h: env slot + 1). */
static uint16_t self_tag(void)
{
	const struct exo_book_env *me = book_self();

	return me ? (uint16_t)(me - exo_book()->env + 1) : 0;
}

/* The span's files, or -1 if a header fails its checks. */
static int count_files(const struct webroot *w, uint64_t *bytes)
{
	struct tar_iter it;
	struct tar_file f;
	int n = 0, r;

	*bytes = 0;
	tar_begin(&it, webroot_tar(w), w->length);
	while ((r = tar_next(&it, &f)) == 0) {
		n++;
		*bytes += f.size;
	}
	return r == TAR_EOF ? n : -1;
}

int webroot_open(int argc, char **argv, const char *prog, struct httpd_fs *fs,
		 struct httpd_tarfs *t)
{
	const struct exo_book *b = exo_book();
	struct webroot w;
	const char *why;
	uint64_t bytes;
	int n;

	httpd_tarfs_init(fs, t, NULL, 0, WEBROOT_PREFIX);   /* until proven: nothing */
	if (webroot_parse(arg_value(argc, argv, WEBROOT_KEY), &w, &why) != 0) {
		printf("%s: %s; serving no files\n", prog, why);
		return -1;
	}
	uint64_t held = webroot_held(book_owners(), b->initrd_frame, b->initrd_pages,
				     self_tag());
	if (held < webroot_pages(&w)) {
		printf("%s: www= names %lu pages but this env holds %lu of the initrd's; "
		       "serving no files\n", prog, (unsigned long)webroot_pages(&w),
		       (unsigned long)held);
		return -1;
	}
	if ((n = count_files(&w, &bytes)) < 0) {
		printf("%s: the web root at %#lx is not a valid ustar span; serving no files\n",
		       prog, (unsigned long)w.va);
		return -1;
	}
	httpd_tarfs_init(fs, t, webroot_tar(&w), w.length, WEBROOT_PREFIX);
	printf("%s: web root: %d files, %lu bytes in %lu read-only initrd pages at %#lx\n",
	       prog, n, (unsigned long)bytes, (unsigned long)webroot_pages(&w),
	       (unsigned long)w.va);
	return n;
}
