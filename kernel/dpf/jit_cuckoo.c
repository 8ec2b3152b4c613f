/*
 * Two-choice (cuckoo) placement for the flat tables of the JIT's groups
 * of shared chains (jit_table.c, emit_flat).
 *
 * Every value gets two candidate slots, one per hash function, and sits
 * in one of them. A lookup then reads both candidates' values and keeps
 * the one that matches with a cmov: no loop, no branch on the table, and
 * a miss costs what a hit costs. Linear probing cannot promise that: in a
 * table of thousands a few values always end two or more slots from
 * home.
 *
 * Placement (Pagh and Rodler's cuckoo hashing): a value goes to its first
 * slot; if that is taken, the value there is moved to its other slot,
 * which may move another, up to CUCKOO_KICKS moves. Tables are at most a
 * quarter full (jit_group.c), far below the load (one half) where such
 * chains start to fail, so placement practically always succeeds; when
 * it does not, the group keeps the linear-probing table and its probe
 * loop. The tables are rebuilt from scratch on every compilation, so
 * there is no deletion to handle.
 */
#include "jit_int.h"

#define CUCKOO_KICKS 512

/* The second hash: the top bits of v times another odd constant, a
 * multiplier unrelated to the golden ratio (MurmurHash3's). */
static inline uint32_t hash2(uint32_t v, uint32_t bits)
{
	return (uint32_t)(v * JIT_HASH2_MUL) >> (32 - bits);
}

/* The other candidate slot of vals[i], which sits in slot s. */
static uint32_t other_slot(const uint32_t *vals, uint32_t i, uint32_t s,
			   uint32_t bits)
{
	uint32_t h1 = dpf_hash_idx(vals[i], bits);

	return s == h1 ? hash2(vals[i], bits) : h1;
}

/* Put index i in the table, moving others along, and keep pos[] (the
 * slot of each index) in step; 0, or -1 if a chain of moves grew too
 * long (the table is then left inconsistent). */
static int place_one(uint32_t *slot, uint32_t *pos, const uint32_t *vals,
		     uint32_t i, uint32_t bits)
{
	uint32_t s = dpf_hash_idx(vals[i], bits);

	if (slot[s] != JIT_CUCKOO_EMPTY &&
	    slot[hash2(vals[i], bits)] == JIT_CUCKOO_EMPTY)
		s = hash2(vals[i], bits);
	for (int kick = 0; kick < CUCKOO_KICKS; kick++) {
		uint32_t out = slot[s];

		slot[s] = i;
		pos[i] = s;
		if (out == JIT_CUCKOO_EMPTY)
			return 0;
		i = out;
		s = other_slot(vals, i, s, bits);
	}
	return -1;
}

int jit_cuckoo_place(const struct dpf_env *env, const uint32_t *vals,
		     uint32_t n, uint32_t bits, uint32_t **pos, int *slot0)
{
	size_t size = sizeof(uint32_t) << bits;
	uint32_t *slot = dpf_alloc(env, size);
	uint32_t *p = dpf_alloc(env, n * sizeof(uint32_t));
	int rc = 0;

	*pos = NULL;
	if (!slot || !p) {
		rc = DPF_E_NOMEM;
		goto out;
	}
	dpf_memset(slot, 0xff, size);           /* JIT_CUCKOO_EMPTY */
	for (uint32_t i = 0; i < n && !rc; i++)
		rc = place_one(slot, p, vals, i, bits) ? 1 : 0;
	if (!rc) {
		*slot0 = slot[0] != JIT_CUCKOO_EMPTY;
		*pos = p;
		p = NULL;
	}
out:
	dpf_free(env, p, n * sizeof(uint32_t));
	dpf_free(env, slot, size);
	return rc;
}

uint32_t jit_cuckoo_filler(uint32_t bits)
{
	uint32_t f = 1;

	while (!dpf_hash_idx(f, bits) || !hash2(f, bits))
		f++;
	return f;
}
