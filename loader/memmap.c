/*
 * Physical memory map: sanitising and carving (see memmap.h).
 *
 * memmap_build() sweeps over the sorted set of all entry boundaries: each
 * elementary interval between two consecutive boundaries gets the
 * highest-priority type among the entries covering it. That resolves any
 * overlap pattern, needs no special cases, and is O(n^2) for the few dozen
 * entries a firmware reports.
 *
 * Carving works by first splitting regions at the carve boundaries, then
 * retyping whole regions, then merging neighbours of equal type.
 */
#include <stdint.h>

#include "memmap.h"

static uint64_t page_down(uint64_t a) { return a & ~(MEMMAP_PAGE - 1); }

/* Round up, saturating at the last page (never wraps to 0). */
static uint64_t page_up(uint64_t a)
{
	return a > UINT64_MAX - (MEMMAP_PAGE - 1) ? page_down(UINT64_MAX)
						   : page_down(a + MEMMAP_PAGE - 1);
}

static int priority(uint32_t type)
{
	switch (type) {
	case EXO_MEM_USABLE: return 1;
	case EXO_MEM_ACPI_RECLAIM: return 2;
	case EXO_MEM_ACPI_NVS: return 3;
	case EXO_MEM_BAD: return 5;
	default: return 4; /* RESERVED and anything unknown */
	}
}

static uint32_t fw_type(uint32_t type)
{
	switch (type) {
	case EXO_MEM_USABLE:
	case EXO_MEM_ACPI_RECLAIM:
	case EXO_MEM_ACPI_NVS:
	case EXO_MEM_BAD:
		return type;
	default:
		return EXO_MEM_RESERVED;
	}
}

/* The page-rounded [s, e) of a firmware entry; s >= e means empty. */
static void fw_range(const struct exo_mem_region *f, uint64_t *s, uint64_t *e)
{
	uint64_t base = f->base < MEMMAP_PHYS_LIMIT ? f->base : MEMMAP_PHYS_LIMIT;
	uint64_t room = MEMMAP_PHYS_LIMIT - base;
	uint64_t end = base + (f->length < room ? f->length : room);

	if (fw_type(f->type) == EXO_MEM_USABLE) {
		*s = page_up(base);
		*e = page_down(end);
	} else {
		*s = page_down(base);
		*e = page_up(end);
	}
}

/* Append [b, e) of type t, merging with the last region when contiguous. */
static int append(struct memmap *m, uint64_t b, uint64_t e, uint32_t t)
{
	if (m->n > 0) {
		struct exo_mem_region *last = &m->r[m->n - 1];

		if (last->type == t && last->base + last->length == b) {
			last->length += e - b;
			return 0;
		}
	}
	if (m->n == m->cap)
		return -1;
	m->r[m->n++] = (struct exo_mem_region){ b, e - b, t, 0 };
	return 0;
}

int memmap_build(struct memmap *m, struct exo_mem_region *storage, unsigned cap,
		 const struct exo_mem_region *fw, unsigned nfw)
{
	uint64_t bound[2 * MEMMAP_MAX_FW];
	unsigned nb = 0;

	m->r = storage;
	m->n = 0;
	m->cap = cap;
	if (nfw > MEMMAP_MAX_FW)
		return -1;

	for (unsigned i = 0; i < nfw; i++) {
		uint64_t s, e;

		fw_range(&fw[i], &s, &e);
		if (s < e) {
			bound[nb++] = s;
			bound[nb++] = e;
		}
	}
	/* Insertion sort: n is small and the input nearly sorted. */
	for (unsigned i = 1; i < nb; i++) {
		uint64_t v = bound[i];
		unsigned j = i;

		for (; j > 0 && bound[j - 1] > v; j--)
			bound[j] = bound[j - 1];
		bound[j] = v;
	}

	for (unsigned k = 0; k + 1 < nb; k++) {
		uint64_t lo = bound[k], hi = bound[k + 1];
		uint32_t best = 0;

		if (lo == hi)
			continue;
		for (unsigned i = 0; i < nfw; i++) {
			uint64_t s, e;
			uint32_t t = fw_type(fw[i].type);

			fw_range(&fw[i], &s, &e);
			if (s <= lo && hi <= e && (best == 0 || priority(t) > priority(best)))
				best = t;
		}
		if (best != 0 && append(m, lo, hi, best) != 0)
			return -1;
	}
	return 0;
}

/* Make a region boundary at a (split the region strictly containing it). */
static int split_at(struct memmap *m, uint64_t a)
{
	for (unsigned i = 0; i < m->n; i++) {
		struct exo_mem_region *r = &m->r[i];

		if (a <= r->base || a >= r->base + r->length)
			continue;
		if (m->n == m->cap)
			return -1;
		for (unsigned j = m->n; j > i + 1; j--)
			m->r[j] = m->r[j - 1];
		m->n++;
		m->r[i + 1] = (struct exo_mem_region){ a, r->base + r->length - a, r->type, 0 };
		r->length = a - r->base;
		return 0;
	}
	return 0;
}

static void merge(struct memmap *m)
{
	unsigned w = 0;

	for (unsigned i = 0; i < m->n; i++) {
		if (w > 0 && m->r[w - 1].type == m->r[i].type &&
		    m->r[w - 1].base + m->r[w - 1].length == m->r[i].base)
			m->r[w - 1].length += m->r[i].length;
		else
			m->r[w++] = m->r[i];
	}
	m->n = w;
}

int memmap_carve(struct memmap *m, uint64_t base, uint64_t len, uint32_t type)
{
	uint64_t b = page_down(base);
	uint64_t e = len > UINT64_MAX - base ? page_down(UINT64_MAX) : page_up(base + len);

	if (b >= e)
		return 0;
	/* Splitting may need two more entries; check first so that a failure
	 * leaves the map unchanged. */
	if (m->n + 2 > m->cap)
		return -1;
	split_at(m, b);
	split_at(m, e);
	for (unsigned i = 0; i < m->n; i++) {
		struct exo_mem_region *r = &m->r[i];

		if (r->type == EXO_MEM_USABLE && r->base >= b && r->base + r->length <= e)
			r->type = type;
	}
	merge(m);
	return 0;
}

int memmap_alloc(struct memmap *m, uint64_t len, uint64_t align, uint64_t lo,
		 uint64_t hi, uint32_t type, uint64_t *out)
{
	if (len == 0 || align < MEMMAP_PAGE || (align & (align - 1)) != 0 ||
	    len > UINT64_MAX - MEMMAP_PAGE)
		return -1;
	len = page_up(len);
	for (unsigned i = 0; i < m->n; i++) {
		const struct exo_mem_region *r = &m->r[i];
		uint64_t end = r->base + r->length;
		uint64_t start = r->base > lo ? r->base : lo;

		if (r->type != EXO_MEM_USABLE)
			continue;
		if (start > UINT64_MAX - (align - 1))
			continue;
		start = (start + align - 1) & ~(align - 1);
		if (end > hi)
			end = hi;
		if (start >= end || end - start < len)
			continue;
		if (memmap_carve(m, start, len, type) != 0)
			return -1;
		*out = start;
		return 0;
	}
	return -1;
}

uint64_t memmap_ram_top(const struct memmap *m)
{
	for (unsigned i = m->n; i > 0; i--) {
		const struct exo_mem_region *r = &m->r[i - 1];

		if (r->type != EXO_MEM_RESERVED)
			return r->base + r->length;
	}
	return 0;
}

uint32_t memmap_type_at(const struct memmap *m, uint64_t a)
{
	for (unsigned i = 0; i < m->n; i++) {
		if (a >= m->r[i].base && a - m->r[i].base < m->r[i].length)
			return m->r[i].type;
	}
	return 0;
}
