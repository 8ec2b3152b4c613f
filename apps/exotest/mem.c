/*
 * Memory secure bindings from the inside: bind, map, use, unmap and
 * release pages; every refusal the kernel owes (a page you don't own, a
 * kernel page, another env's page, bad addresses and handles); demand
 * paging through the page-fault upcall; the bookkeeping window.
 */
#include <exo/book.h>
#include <exo/layout.h>

#include "exotest.h"

#define VA1 0x0000600000000000UL
#define VA2 0x0000600000001000UL
#define DEMAND 0x0000610000000000UL

/* A frame owned by `who` (an owner tag), or -1. */
static long frame_owned_by(uint16_t who)
{
	const uint16_t *o = book_owners();

	for (uint32_t f = 1; f < exo_book()->nframes; f++)
		if (o[f] == who)
			return f;
	return -1;
}

static uint16_t tag_of(long id)
{
	for (int i = 0; i < EXO_BOOK_NENV; i++)
		if (exo_book()->env[i].id == id)
			return (uint16_t)(i + 1);
	return 0;
}

static int refusals(void)
{
	int failures = 0;
	long theirs = frame_owned_by(book_self()->parent_slot);
	long kernel = frame_owned_by(EXO_OWNER_KERNEL);

	CHECK(theirs > 0 && bind_resource((int)theirs) == -EXO_EBUSY,
	      "another env's page %#lx is not refused\n", theirs);
	CHECK(kernel > 0 && bind_resource((int)kernel) == -EXO_EPERM,
	      "kernel page %#lx is not refused\n", kernel);
	CHECK(bind_resource((int)exo_book()->nframes) == -EXO_EINVAL, "frame beyond RAM\n");
	CHECK(bind_resource(-1) == -EXO_EINVAL, "negative name\n");
	CHECK(sys_bind_resource(1L << 40) == -EXO_EINVAL, "name beyond 32 bits\n");
	CHECK(bind_resource((int)EXO_NAME(EXO_RES_RING, 0)) == -EXO_EINVAL, "ring names\n");
	CHECK(bind_resource((int)EXO_NAME_SLICE(EXO_NSLICE)) == -EXO_EINVAL, "slice 64\n");
	/* Without a handle for it, nobody else's frame can be mapped. */
	for (long h = -1; h < EXO_NHANDLE + 2; h += 97)
		if (h < 0 || h >= EXO_NHANDLE)
			CHECK(sys_page_map(0, h, (void *)VA1, 0) == -EXO_EBADF, "handle %ld\n", h);
	CHECK(sys_page_map(0, 500, (void *)VA1, 0) == -EXO_EBADF, "unused handle 500\n");
	CHECK(sys_page_map(1, 0, (void *)VA1, 0) == -EXO_ESRCH, "mapping into init\n");
	CHECK(revoke_resource(500) == -EXO_EBADF, "releasing an unused handle\n");
	return failures;
}

static int bad_mappings(int h)
{
	int failures = 0;
	static const uint64_t bad_va[] = {
		VA1 + 8, 0, 0x1000, EXO_BOOK_BASE, EXO_BOOK_BASE + 0x1000,
		EXO_USER_TOP, EXO_DIRECT_MAP, EXO_KERNEL_BASE, 0x8000000000000000UL,
	};

	for (unsigned i = 0; i < sizeof(bad_va) / sizeof(bad_va[0]); i++)
		CHECK(sys_page_map(0, h, (void *)bad_va[i], 0) == -EXO_EINVAL,
		      "mapping at %#lx is not refused\n", (unsigned long)bad_va[i]);
	CHECK(sys_page_map(0, h, (void *)VA2, 0x80) == -EXO_EINVAL, "bad permission bits\n");
	return failures;
}

int role_mem_bind(int argc, char **argv)
{
	(void)argc, (void)argv;
	int failures = refusals();
	uint32_t pages0 = book_self()->pages;
	uint64_t free0 = exo_book()->free_pages, v;
	uint32_t frame;
	int h = page_bind_free(&frame);

	CHECK(h >= 0, "no page to bind (%d)\n", h);
	if (h < 0)
		return failures;
	CHECK(book_owners()[frame] == tag_of(sys_env_self()), "ownership table\n");
	CHECK(book_self()->pages == pages0 + 1, "published page count\n");
	CHECK(bind_resource((int)frame) == -EXO_EEXIST, "binding twice\n");
	failures += bad_mappings(h);
	CHECK(sys_page_map(0, h, (void *)VA1, EXO_PERM_W) == 0, "map read-write\n");
	CHECK(sys_page_map(0, h, (void *)VA1, EXO_PERM_W) == -EXO_EEXIST, "map over a mapping\n");
	for (int i = 0; i < 512; i++)
		((volatile uint64_t *)VA1)[i] = 0xfeed0000u + (uint64_t)i;
	CHECK(sys_page_map(0, h, (void *)VA2, EXO_PERM_R) == 0, "a read-only alias\n");
	CHECK(!probe_read((void *)(VA2 + 8), &v) && v == 0xfeed0001u, "alias reads %#lx\n",
	      (unsigned long)v);
	CHECK(probe_write((void *)VA2, 1) && probe_error == 7 && probe_addr == VA2,
	      "write to the read-only alias: error %#lx at %#lx\n",
	      (unsigned long)probe_error, (unsigned long)probe_addr);
	CHECK(sys_page_unmap(0, (void *)VA1) == 0, "unmap\n");
	CHECK(sys_page_unmap(0, (void *)VA1) == -EXO_ENOENT, "unmap twice\n");
	CHECK(probe_read((void *)VA1, &v) && probe_error == 4, "unmapped page still readable\n");
	CHECK(revoke_resource(h) == 0, "release\n");
	CHECK(book_owners()[frame] == EXO_OWNER_FREE, "released frame not free\n");
	CHECK(probe_read((void *)VA2, &v), "the alias survived the release\n");
	CHECK(revoke_resource(h) == -EXO_EBADF, "release twice\n");
	CHECK(sys_page_map(0, h, (void *)VA1, 0) == -EXO_EBADF, "map a released handle\n");

	/* Time slices are resources by name too. */
	uint32_t si;
	int sh = slice_bind_free(&si);
	CHECK(sh >= 0 && exo_book()->slice_owner[si] == tag_of(sys_env_self()),
	      "bind a free slice\n");
	CHECK(bind_resource((int)EXO_NAME_SLICE(si)) == -EXO_EEXIST, "bind a slice twice\n");
	for (int i = 0; i < EXO_NSLICE; i++)
		if (exo_book()->slice_owner[i] == tag_of(1))
			CHECK(bind_resource((int)EXO_NAME_SLICE(i)) == -EXO_EBUSY,
			      "init's slice %d\n", i);
	CHECK(sys_page_map(0, sh, (void *)VA1, 0) == -EXO_EBADF, "mapping a slice handle\n");
	CHECK(revoke_resource(sh) == 0 && exo_book()->slice_owner[si] == 0, "release a slice\n");

	void *pages[100];
	for (int i = 0; i < 100; i++) {
		pages[i] = page_alloc();
		CHECK(pages[i] != NULL, "page_alloc %d\n", i);
		if (pages[i])
			((volatile char *)pages[i])[100] = (char)i;
	}
	for (int i = 0; i < 100; i++)
		if (pages[i]) {
			CHECK(((volatile char *)pages[i])[100] == (char)i, "page %d\n", i);
			CHECK(page_free(pages[i]) == 0, "page_free %d\n", i);
		}
	CHECK(book_self()->pages == pages0, "pages %u, want %u\n", book_self()->pages, pages0);
	CHECK(exo_book()->free_pages <= free0, "free pages grew\n");
	printf("exotest: mem-bind: bind/map/alias/unmap/release, 100 allocator pages, %lu refusals probed\n",
	       (unsigned long)probe_faults);
	return failures;
}

int role_mem_demand(int argc, char **argv)
{
	(void)argc, (void)argv;
	int failures = 0;
	const int n = 64;
	uint64_t before = libos_upcall_counts[EXO_SIG_EXC];

	CHECK(page_demand_region(DEMAND, (uint64_t)n * PAGE_SIZE) == 0, "region\n");
	for (int i = 0; i < n; i++)
		((volatile uint64_t *)(DEMAND + (uint64_t)i * PAGE_SIZE))[i] = 1000u + (uint64_t)i;
	for (int i = 0; i < n; i++)
		CHECK(((volatile uint64_t *)(DEMAND + (uint64_t)i * PAGE_SIZE))[i] == 1000u + (uint64_t)i,
		      "page %d lost its value\n", i);
	uint64_t faults = libos_upcall_counts[EXO_SIG_EXC] - before;
	CHECK(faults == (uint64_t)n, "%lu page-fault upcalls for %d pages\n",
	      (unsigned long)faults, n);
	CHECK(book_self()->upcalls >= (uint64_t)n, "kernel counted %lu upcalls\n",
	      (unsigned long)book_self()->upcalls);
	printf("exotest: mem-demand: %lu page faults served by the libOS, program resumed each time\n",
	       (unsigned long)faults);
	return failures;
}

int role_book(int argc, char **argv)
{
	(void)argc, (void)argv;
	int failures = 0;
	const struct exo_book *b = exo_book();
	const struct exo_book_env *me = book_self();
	uint16_t tag = tag_of(sys_env_self());
	uint64_t v;

	CHECK(b->magic == EXO_BOOK_MAGIC && b->version == EXO_BOOK_VERSION, "header\n");
	CHECK(me && me->state == EXO_ENV_RUNNING && me->parent_slot == tag_of(1),
	      "my entry in the env table\n");
	CHECK(b->env[tag_of(1) - 1].id == 1, "init's entry\n");
	uint32_t mine = 0;
	for (uint32_t f = 0; f < b->nframes; f++)
		mine += book_owners()[f] == tag;
	CHECK(me && mine == me->pages && mine > 0, "%u frames owned, %u published\n", mine,
	      me ? me->pages : 0);
	unsigned slices = 0;
	for (int i = 0; i < EXO_NSLICE; i++)
		slices += b->slice_owner[i] == tag;
	CHECK(me && slices == me->slices && slices >= 1, "slices %u\n", slices);
	const volatile uint64_t *ticks = &b->ticks;
	uint64_t t0 = *ticks;
	for (long spin = 0; spin < 100000000 && *ticks == t0; spin++)
		;
	CHECK(*ticks != t0, "the tick count does not move\n");
	CHECK(probe_write((void *)(EXO_BOOK_BASE + 16), 42) && probe_error == 7 &&
	      probe_addr == EXO_BOOK_BASE + 16, "writing the header did not fault\n");
	CHECK(probe_write((void *)(EXO_BOOK_BASE + b->owner_off), 0),
	      "writing the ownership table did not fault\n");
	CHECK(!probe_read((void *)(EXO_BOOK_BASE + b->owner_off), &v), "reading it did\n");
	CHECK(b->magic == EXO_BOOK_MAGIC, "the write changed something\n");
	CHECK(sys_page_unmap(0, (void *)EXO_BOOK_BASE) == -EXO_EINVAL, "unmapping the book\n");
	printf("exotest: book: %u frames, %u mine, %u slice(s), ticks %lu, writes fault into the libOS\n",
	       b->nframes, mine, slices, (unsigned long)b->ticks);
	return failures;
}
