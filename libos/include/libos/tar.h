/*
 * Reading a ustar archive in memory (POSIX.1-2001 "pax" interchange
 * format, ustar header: 512-byte blocks, octal sizes). The initrd is one.
 * Every header is checked (checksum, octal fields, size within the
 * archive) before its file is returned, so a corrupt initrd gives an
 * error, not a wild read. Pure logic (tests/libos/test_tar.c).
 */
#ifndef LIBOS_TAR_H
#define LIBOS_TAR_H

#include <stddef.h>

#define TAR_EOF      1    /* tar_next: no more files */
#define TAR_ECORRUPT -1   /* a header fails its checks */
#define TAR_ENOENT   -2   /* tar_find: no such file */

struct tar_file {
	const char *name;   /* NUL-terminated copy inside the iterator */
	const void *data;
	size_t size;
};

struct tar_iter {
	const unsigned char *base;
	size_t size, off;
	char name[101];
};

void tar_begin(struct tar_iter *it, const void *tar, size_t size);

/* The next regular file: 0, TAR_EOF, or TAR_ECORRUPT. */
int tar_next(struct tar_iter *it, struct tar_file *f);

/* The regular file called name (a leading "./" is ignored). */
int tar_find(const void *tar, size_t size, const char *name, struct tar_file *f);

#endif /* LIBOS_TAR_H */
