/*
 * Host tests for the initrd reader (libos/tar.c): archives made by the
 * host's own tar, then corrupted one field at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <libos/tar.h>

static unsigned char *tar;
static size_t tar_size;

/* Build an archive of two files with the system tar (ustar format). */
static int setup(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_tar.XXXXXX", cmd[512], path[300];
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/alpha", dir);
	FILE *f = fopen(path, "w");
	fputs("first file\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/beta", dir);
	f = fopen(path, "w");
	for (int i = 0; i < 1000; i++)
		fputc('a' + i % 26, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "tar --format=ustar -cf %s/t.tar -C %s alpha beta && rm %s/alpha %s/beta",
		 dir, dir, dir, dir);
	if (system(cmd) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/t.tar", dir);
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	tar_size = (size_t)ftell(f);
	rewind(f);
	tar = malloc(tar_size);
	if (fread(tar, 1, tar_size, f) != tar_size)
		return -1;
	fclose(f);
	remove(path);
	rmdir(dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(tar);
	return 0;
}

static void finds_files(void **state)
{
	(void)state;
	struct tar_file f;
	assert_int_equal(tar_find(tar, tar_size, "alpha", &f), 0);
	assert_int_equal(f.size, 11);
	assert_memory_equal(f.data, "first file\n", 11);
	assert_int_equal(tar_find(tar, tar_size, "beta", &f), 0);
	assert_int_equal(f.size, 1000);
	assert_int_equal(((const char *)f.data)[27], 'b');
	assert_int_equal(tar_find(tar, tar_size, "gamma", &f), TAR_ENOENT);
}

static void iterates(void **state)
{
	(void)state;
	struct tar_iter it;
	struct tar_file f;
	tar_begin(&it, tar, tar_size);
	assert_int_equal(tar_next(&it, &f), 0);
	assert_string_equal(f.name, "alpha");
	assert_int_equal(tar_next(&it, &f), 0);
	assert_string_equal(f.name, "beta");
	assert_int_equal(tar_next(&it, &f), TAR_EOF);
}

/* Corrupt a copy at offset off with bytes; the reader must say so. */
static int corrupt(size_t off, const char *bytes, size_t n, size_t size)
{
	unsigned char *c = malloc(size);   /* exactly size: ASan sees overreads */
	struct tar_file f;
	memcpy(c, tar, size < tar_size ? size : tar_size);
	if (off + n <= size)
		memcpy(c + off, bytes, n);
	int r = tar_find(c, size, "beta", &f);
	free(c);
	return r;
}

static void rejects_corruption(void **state)
{
	(void)state;
	assert_int_equal(corrupt(257, "xstar", 5, tar_size), TAR_ECORRUPT);   /* magic */
	assert_int_equal(corrupt(148, "0000000", 7, tar_size), TAR_ECORRUPT); /* checksum */
	assert_int_equal(corrupt(0, "z", 1, tar_size), TAR_ECORRUPT);         /* name vs sum */
	/* Truncated inside the first header, and inside beta's data. */
	assert_int_equal(corrupt(0, "", 0, 300), TAR_ECORRUPT);
	assert_int_equal(corrupt(0, "", 0, 1024 + 512 + 100), TAR_ECORRUPT);
	/* Empty archive: nothing found, nothing read. */
	assert_int_equal(corrupt(0, "", 0, 0), TAR_ENOENT);
}

static void huge_size_field(void **state)
{
	(void)state;
	/* A size of 077777777777 with a fixed-up checksum: beyond the archive. */
	unsigned char *c = malloc(tar_size);
	struct tar_file f;
	memcpy(c, tar, tar_size);
	memcpy(c + 124, "77777777777", 11);
	memset(c + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += c[i];
	snprintf((char *)c + 148, 8, "%06o", sum);
	assert_int_equal(tar_find(c, tar_size, "alpha", &f), TAR_ECORRUPT);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_files),
		cmocka_unit_test(iterates),
		cmocka_unit_test(rejects_corruption),
		cmocka_unit_test(huge_size_field),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
