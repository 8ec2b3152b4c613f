/*
 * test=www: the web root handed over from the initrd (initrd.c,
 * spawn_www; apps/httpd/webroot.h). First hostile or missing www=
 * arguments, with no pages behind them: exotest's role=www runs netd's
 * start-up code on each and must refuse it cleanly. Then the real
 * hand-over: the child must find the files in place, read-only (role=www
 * expect=served), the pages must be the child's while it runs and go back
 * to the free pool, each exactly once, when it ends; init then releases
 * the rest of the initrd.
 */
#include <exo/book.h>
#include <libos/libos.h>
#include <libos/tar.h>

#include "init.h"

static const char *const hostile[] = {
	NULL,                                    /* no www= at all */
	"www=",
	"www=junk",
	"www=0x400000000000:0",
	"www=0x400000000000:0:512:7",
	"www=0x400000000001:0:512",              /* not page-aligned */
	"www=0x0:0:512",                         /* page zero */
	"www=0x7f0000000000:0:512",              /* the bookkeeping window */
	"www=0x7effffffe000:0:1048576",          /* runs into it */
	"www=0x400000000000:4096:512",           /* offset beyond the first page */
	"www=0x400000000000:100:512",            /* not a block */
	"www=0x400000000000:0:1000",
	"www=0x400000000000:0:18446744073709551616",   /* 2^64 */
	"www=0x10000000000000000:0:512",
	"www=0x400000000000:0:1048576",          /* well formed, but no pages */
};

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Frames of the initrd owned by env id (0: none of them). */
static uint32_t initrd_frames_of(long id)
{
	const struct exo_book *b = exo_book();
	const struct exo_book_env *e = book_env(id);
	uint16_t tag = e ? (uint16_t)(e - b->env + 1) : 0;
	uint32_t n = 0;

	for (uint32_t f = b->initrd_frame; tag && f < b->initrd_frame + b->initrd_pages; f++)
		n += book_owners()[f] == tag;
	return n;
}

static uint32_t initrd_free_frames(void)
{
	const struct exo_book *b = exo_book();
	uint32_t n = 0;

	for (uint32_t f = b->initrd_frame; f < b->initrd_frame + b->initrd_pages; f++)
		n += book_owners()[f] == EXO_OWNER_FREE;
	return n;
}

int test_www(void)
{
	const struct exo_book *b = exo_book();
	int failures = 0;
	struct tar_file big;

	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++)
		CHECK(child_ok(spawn("exotest", 0, 1, "role=www", "expect=refused", hostile[i],
				     NULL), "exotest www"),
		      "%s: not refused cleanly\n", hostile[i] ? hostile[i] : "(no www=)");
	CHECK(initrd_file("www/1m.bin", &big) == 0, "no www/1m.bin in the initrd\n");
	if (failures)
		return failures;
	long sum = fnv1a(big.data, big.size);
	uint64_t free0 = b->free_pages;
	long id = spawn_www("exotest", 0, 1, "role=www", "expect=served", num_arg("sum", sum),
			    NULL);
	uint32_t given = initrd_frames_of(id);
	CHECK(id > 0 && given > 0, "no initrd pages reached the child\n");
	CHECK(child_ok(id, "exotest www"), "the child did not find its web root intact\n");
	CHECK(b->free_pages == free0 + given,
	      "the %u handed-over pages should be back in the pool: %lu -> %lu free\n", given,
	      (unsigned long)free0, (unsigned long)b->free_pages);
	CHECK(initrd_free_frames() == given, "%u initrd frames free, want %u\n",
	      initrd_free_frames(), given);
	uint32_t released = initrd_release();
	CHECK(released == b->initrd_pages - given, "released %u of the %u left\n", released,
	      b->initrd_pages - given);
	CHECK(b->free_pages == free0 + b->initrd_pages && initrd_free_frames() == b->initrd_pages,
	      "after the release: %lu free, want %lu\n", (unsigned long)b->free_pages,
	      (unsigned long)(free0 + b->initrd_pages));
	printf("init: www: %zu hostile www= refused; %u initrd pages handed over, back in the "
	       "pool when the child ended; released the other %u\n",
	       sizeof(hostile) / sizeof(hostile[0]), given, released);
	return failures;
}
