/*
 * Physical frame allocator: a bitmap with one bit per 4 KiB frame over the
 * frames [base, base + nframes), 1 = free. Pure logic: no hardware, no
 * printing, so tests/kernel/mm/test_palloc.c runs it on the host. The
 * storage for the bitmap is supplied by the caller (mm/pmem.c carves it
 * out of usable RAM at boot).
 *
 * Frames start out allocated; palloc_add() hands ranges to the allocator
 * (usable RAM at boot, reclaimed loader and module memory later) and
 * palloc_take() carves ranges back out. Every operation checks its frames:
 * adding a free frame or freeing a free frame is a double free and fails
 * without changing anything.
 */
#ifndef MM_PALLOC_H
#define MM_PALLOC_H

#include <stddef.h>
#include <stdint.h>

#define PALLOC_NONE UINT64_MAX

enum palloc_err {
	PALLOC_OK = 0,
	PALLOC_ERANGE = -1,   /* frames outside [base, base + nframes) */
	PALLOC_EDOUBLE = -2,  /* freeing or adding a frame that is free */
	PALLOC_EBUSY = -3,    /* taking a frame that is not free */
};

struct palloc {
	uint64_t *bits;
	uint64_t base;
	uint64_t nframes;
	uint64_t nfree;
	uint64_t hint;     /* bitmap word where the next search starts */
};

/* Words of bitmap storage for nframes frames. */
static inline size_t palloc_words(uint64_t nframes)
{
	return (size_t)((nframes + 63) / 64);
}

/* All frames start allocated. bits must hold palloc_words(nframes). */
void palloc_init(struct palloc *pa, uint64_t *bits, uint64_t base,
		 uint64_t nframes);

/* Make [frame, frame + count) free. */
int palloc_add(struct palloc *pa, uint64_t frame, uint64_t count);

/* Mark the free range [frame, frame + count) allocated. */
int palloc_take(struct palloc *pa, uint64_t frame, uint64_t count);

/* One frame, lowest free at or after the search hint; PALLOC_NONE if none. */
uint64_t palloc_alloc(struct palloc *pa);

/*
 * count contiguous frames whose first frame is a multiple of align (a power
 * of two, in frames); PALLOC_NONE if no such run exists.
 */
uint64_t palloc_alloc_contig(struct palloc *pa, uint64_t count, uint64_t align);

/* Free one frame / a run of frames. */
int palloc_free(struct palloc *pa, uint64_t frame);
int palloc_free_contig(struct palloc *pa, uint64_t frame, uint64_t count);

int palloc_is_free(const struct palloc *pa, uint64_t frame);

static inline uint64_t palloc_nfree(const struct palloc *pa)
{
	return pa->nfree;
}

#endif /* MM_PALLOC_H */
