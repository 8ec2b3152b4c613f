#include <string.h>

#include <libos/tar.h>

#define BLOCK 512
#define OFF_NAME 0
#define OFF_SIZE 124
#define OFF_CHKSUM 148
#define OFF_TYPE 156
#define OFF_MAGIC 257

/* An octal field of n bytes: digits, then NUL or space. -1 if malformed. */
static long long octal(const unsigned char *p, size_t n)
{
	long long v = 0;
	size_t i = 0;

	while (i < n && p[i] == ' ')
		i++;
	if (i == n || p[i] < '0' || p[i] > '7')
		return -1;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v > (1LL << 40))
			return -1;
		v = v * 8 + (p[i] - '0');
	}
	for (; i < n; i++)
		if (p[i] != 0 && p[i] != ' ')
			return -1;
	return v;
}

/* The checksum counts the checksum field itself as spaces. */
static int checksum_ok(const unsigned char *h)
{
	long long want = octal(h + OFF_CHKSUM, 8);
	long long sum = 0;

	for (int i = 0; i < BLOCK; i++)
		sum += (i >= OFF_CHKSUM && i < OFF_CHKSUM + 8) ? ' ' : h[i];
	return want >= 0 && sum == want;
}

static int all_zero(const unsigned char *h)
{
	for (int i = 0; i < BLOCK; i++)
		if (h[i])
			return 0;
	return 1;
}

void tar_begin(struct tar_iter *it, const void *tar, size_t size)
{
	it->base = tar;
	it->size = size;
	it->off = 0;
}

int tar_next(struct tar_iter *it, struct tar_file *f)
{
	for (;;) {
		if (it->size - it->off < BLOCK)
			return it->off == it->size ? TAR_EOF : TAR_ECORRUPT;
		const unsigned char *h = it->base + it->off;
		if (all_zero(h))
			return TAR_EOF;
		if (memcmp(h + OFF_MAGIC, "ustar", 5) != 0 || !checksum_ok(h))
			return TAR_ECORRUPT;
		long long size = octal(h + OFF_SIZE, 12);
		if (size < 0 || (unsigned long long)size > it->size - it->off - BLOCK)
			return TAR_ECORRUPT;
		size_t span = BLOCK + (((size_t)size + BLOCK - 1) & ~(size_t)(BLOCK - 1));
		size_t data = it->off + BLOCK;
		it->off = span > it->size - it->off ? it->size : it->off + span;
		if (h[OFF_TYPE] != '0' && h[OFF_TYPE] != '\0')
			continue;   /* directories, links: not files */
		memcpy(it->name, h + OFF_NAME, 100);
		it->name[100] = '\0';
		f->name = it->name;
		f->data = it->base + data;
		f->size = (size_t)size;
		return 0;
	}
}

int tar_find(const void *tar, size_t size, const char *name, struct tar_file *f)
{
	struct tar_iter it;
	int r;

	tar_begin(&it, tar, size);
	while ((r = tar_next(&it, f)) == 0) {
		const char *n = f->name;
		if (n[0] == '.' && n[1] == '/')
			n += 2;
		if (strcmp(n, name) == 0)
			return 0;
	}
	return r == TAR_EOF ? TAR_ENOENT : r;
}
