/*
 * Bitmap frame allocator (see palloc.h). Ranges are checked completely
 * before any bit changes, so a failed call leaves the allocator as it was.
 */
#include <mm/palloc.h>

static int bit(const struct palloc *pa, uint64_t i)
{
	return (int)((pa->bits[i / 64] >> (i % 64)) & 1);
}

static void set_bit(struct palloc *pa, uint64_t i, int free)
{
	if (free)
		pa->bits[i / 64] |= 1ULL << (i % 64);
	else
		pa->bits[i / 64] &= ~(1ULL << (i % 64));
}

void palloc_init(struct palloc *pa, uint64_t *bits, uint64_t base,
		 uint64_t nframes)
{
	pa->bits = bits;
	pa->base = base;
	pa->nframes = nframes;
	pa->nfree = 0;
	pa->hint = 0;
	for (size_t w = 0; w < palloc_words(nframes); w++)
		bits[w] = 0;
}

/* Index of frame in the bitmap after checking [frame, frame+count). */
static int range_ok(const struct palloc *pa, uint64_t frame, uint64_t count)
{
	return frame >= pa->base && frame - pa->base <= pa->nframes &&
	       count <= pa->nframes - (frame - pa->base);
}

/* All bits of the range equal `free`? */
static int range_is(const struct palloc *pa, uint64_t i, uint64_t count,
		    int free)
{
	for (uint64_t k = 0; k < count; k++)
		if (bit(pa, i + k) != free)
			return 0;
	return 1;
}

static void range_set(struct palloc *pa, uint64_t i, uint64_t count, int free)
{
	for (uint64_t k = 0; k < count; k++)
		set_bit(pa, i + k, free);
	if (free)
		pa->nfree += count;
	else
		pa->nfree -= count;
}

int palloc_add(struct palloc *pa, uint64_t frame, uint64_t count)
{
	if (!range_ok(pa, frame, count))
		return PALLOC_ERANGE;
	uint64_t i = frame - pa->base;
	if (!range_is(pa, i, count, 0))
		return PALLOC_EDOUBLE;
	range_set(pa, i, count, 1);
	if (i / 64 < pa->hint)
		pa->hint = i / 64;
	return PALLOC_OK;
}

int palloc_take(struct palloc *pa, uint64_t frame, uint64_t count)
{
	if (!range_ok(pa, frame, count))
		return PALLOC_ERANGE;
	uint64_t i = frame - pa->base;
	if (!range_is(pa, i, count, 1))
		return PALLOC_EBUSY;
	range_set(pa, i, count, 0);
	return PALLOC_OK;
}

uint64_t palloc_alloc(struct palloc *pa)
{
	size_t words = palloc_words(pa->nframes);

	if (pa->nfree == 0)
		return PALLOC_NONE;
	/* Two passes: from the hint to the end, then from the start. */
	for (size_t n = 0; n < words; n++) {
		size_t w = (pa->hint + n) % words;
		if (pa->bits[w] == 0)
			continue;
		uint64_t i = w * 64 + (uint64_t)__builtin_ctzll(pa->bits[w]);
		set_bit(pa, i, 0);
		pa->nfree--;
		pa->hint = w;
		return pa->base + i;
	}
	return PALLOC_NONE;  /* unreachable while nfree is right */
}

uint64_t palloc_alloc_contig(struct palloc *pa, uint64_t count, uint64_t align)
{
	if (count == 0 || align == 0 || (align & (align - 1)) || count > pa->nfree)
		return PALLOC_NONE;
	/* Candidates are aligned in frame numbers, not bitmap indices. */
	uint64_t first = (pa->base + align - 1) & ~(align - 1);
	for (uint64_t f = first; f - pa->base + count <= pa->nframes; f += align) {
		uint64_t i = f - pa->base;
		if (range_is(pa, i, count, 1)) {
			range_set(pa, i, count, 0);
			return f;
		}
	}
	return PALLOC_NONE;
}

int palloc_free(struct palloc *pa, uint64_t frame)
{
	return palloc_add(pa, frame, 1);
}

int palloc_free_contig(struct palloc *pa, uint64_t frame, uint64_t count)
{
	return palloc_add(pa, frame, count);
}

int palloc_is_free(const struct palloc *pa, uint64_t frame)
{
	return range_ok(pa, frame, 1) && bit(pa, frame - pa->base);
}
