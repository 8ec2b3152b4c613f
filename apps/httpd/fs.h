/*
 * The files httpd serves: a lookup interface, so that the server does not
 * care where files live, and its implementation over a ustar archive in
 * memory (the initrd, or any archive a libOS maps; libos/tar.c reads it).
 * Files are served straight from that memory, without copies.
 */
#ifndef APPS_HTTPD_FS_H
#define APPS_HTTPD_FS_H

#include <stddef.h>

struct httpd_file {
	const void *data;
	size_t size;
};

struct httpd_fs {
	void *ctx;
	/*
	 * Find the file for a decoded request path ("/", "/a/b.html"): 0 and
	 * *f set, or -1 if there is none. The data stays valid while the
	 * server runs.
	 */
	int (*lookup)(void *ctx, const char *path, struct httpd_file *f);
};

/*
 * A file system over the ustar archive tar[0, size): the path "/x/y" is the
 * archive member "<root>/x/y" (root "" = the archive's top), and a path
 * ending in "/" means its index.html.
 */
struct httpd_tarfs {
	const void *tar;
	size_t size;
	const char *root;
};

void httpd_tarfs_init(struct httpd_fs *fs, struct httpd_tarfs *t, const void *tar,
		      size_t size, const char *root);

#endif /* APPS_HTTPD_FS_H */
