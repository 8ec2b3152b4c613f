/* httpd's files from a ustar archive (see fs.h). */
#include <libos/tar.h>

#include "fs.h"
#include "http.h"

static int tarfs_lookup(void *ctx, const char *path, struct httpd_file *f)
{
	const struct httpd_tarfs *t = ctx;
	/* root + path + "index.html": the member name is at most 100 bytes
	 * in a plain ustar header, so longer names cannot exist anyway. */
	char name[HTTP_MAX_PATH + 128];
	size_t n = 0;

	for (const char *s = t->root; *s && n < 100; s++)
		name[n++] = *s;
	while (*path == '/')
		path++;   /* archive members have relative names */
	if (n && name[n - 1] != '/' && *path)
		name[n++] = '/';
	for (; *path && n < sizeof name - 12; path++)
		name[n++] = *path;
	if (n == 0 || name[n - 1] == '/')
		for (const char *s = "index.html"; *s; s++)
			name[n++] = *s;
	name[n] = 0;
	if (n > 100)
		return -1;
	struct tar_file tf;
	if (tar_find(t->tar, t->size, name, &tf) != 0)
		return -1;
	f->data = tf.data;
	f->size = tf.size;
	return 0;
}

void httpd_tarfs_init(struct httpd_fs *fs, struct httpd_tarfs *t, const void *tar,
		      size_t size, const char *root)
{
	t->tar = tar;
	t->size = size;
	t->root = root ? root : "";
	fs->ctx = t;
	fs->lookup = tarfs_lookup;
}
