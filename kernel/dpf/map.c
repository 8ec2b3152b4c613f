/*
 * A u32 -> pointer hash map: open addressing with linear probing, Fibonacci
 * hashing, at most half full, halved when an eighth full. Deletion shifts
 * later members of the probe run back (Knuth's Algorithm R), so there are no
 * tombstones and lookups stay short after many deletes.
 *
 * Used for hash groups (compared value -> child node) and for the filter
 * table (id -> record). Growing may fail (DPF_E_NOMEM, map unchanged);
 * shrinking is an optimisation and a failed allocation just skips it, so
 * deletion never fails, and neither does moving a value to another key.
 */
#include "dpf_int.h"

#define MIN_BITS 2

struct dpf_slot *dpf_map_find(const struct dpf_map *m, uint32_t key)
{
	uint32_t mask, i;

	if (!m->slots)
		return NULL;
	mask = (1u << m->bits) - 1;
	for (i = dpf_hash_idx(key, m->bits);; i = (i + 1) & mask) {
		struct dpf_slot *s = &m->slots[i];

		if (!s->used)
			return NULL;
		if (s->key == key)
			return s;
	}
}

void *dpf_map_get(const struct dpf_map *m, uint32_t key)
{
	struct dpf_slot *s = dpf_map_find(m, key);

	return s ? s->val : NULL;
}

static void place(struct dpf_slot *slots, uint32_t bits, uint32_t key,
		  void *val)
{
	uint32_t mask = (1u << bits) - 1, i = dpf_hash_idx(key, bits);

	while (slots[i].used)
		i = (i + 1) & mask;
	slots[i].key = key;
	slots[i].used = 1;
	slots[i].val = val;
}

/* Rebuild with 1 << bits slots; 0 or DPF_E_NOMEM (map unchanged). */
static int resize(const struct dpf_env *env, struct dpf_map *m, uint32_t bits)
{
	size_t size = sizeof(struct dpf_slot) << bits;
	struct dpf_slot *slots = dpf_alloc(env, size);
	uint32_t cap = dpf_map_cap(m);

	if (!slots)
		return DPF_E_NOMEM;
	dpf_memset(slots, 0, size);
	for (uint32_t i = 0; i < cap; i++)
		if (m->slots[i].used)
			place(slots, bits, m->slots[i].key, m->slots[i].val);
	dpf_free(env, m->slots, sizeof(struct dpf_slot) * cap);
	m->slots = slots;
	m->bits = bits;
	return 0;
}

int dpf_map_put(const struct dpf_env *env, struct dpf_map *m, uint32_t key,
		void *val)
{
	if (!m->slots || (m->n + 1) * 2 > dpf_map_cap(m)) {
		int rc = resize(env, m, m->slots ? m->bits + 1 : MIN_BITS);

		if (rc)
			return rc;
	}
	place(m->slots, m->bits, key, val);
	m->n++;
	return 0;
}

/* Empty slot s, moving back the later members of its probe run. */
static void unplace(struct dpf_map *m, struct dpf_slot *s)
{
	uint32_t mask = (1u << m->bits) - 1, i, j;

	i = (uint32_t)(s - m->slots);
	/* Algorithm R: move back every later member of the run whose home
	 * slot is not cyclically in (i, j]. */
	for (j = (i + 1) & mask; m->slots[j].used; j = (j + 1) & mask) {
		uint32_t h = dpf_hash_idx(m->slots[j].key, m->bits);

		if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
			continue;
		m->slots[i] = m->slots[j];
		i = j;
	}
	m->slots[i].used = 0;
	m->slots[i].val = NULL;
}

void *dpf_map_del(const struct dpf_env *env, struct dpf_map *m, uint32_t key)
{
	struct dpf_slot *s = dpf_map_find(m, key);
	void *val;

	if (!s)
		return NULL;
	val = s->val;
	unplace(m, s);
	m->n--;
	if (m->n == 0) {
		dpf_map_free(env, m);
	} else if (m->bits > MIN_BITS && m->n * 8 < dpf_map_cap(m)) {
		resize(env, m, m->bits - 1); /* failure: keep the larger table */
	}
	return val;
}

void dpf_map_free(const struct dpf_env *env, struct dpf_map *m)
{
	dpf_free(env, m->slots, sizeof(struct dpf_slot) * dpf_map_cap(m));
	m->slots = NULL;
	m->bits = 0;
	m->n = 0;
}

/* The table keeps its size (and so its room for the new key): no
 * allocation, no failure. */
void *dpf_map_rekey(struct dpf_map *m, uint32_t key, uint32_t nkey)
{
	struct dpf_slot *s = dpf_map_find(m, key);
	void *val;

	if (!s || dpf_map_find(m, nkey))
		return NULL;
	val = s->val;
	unplace(m, s);
	place(m->slots, m->bits, nkey, val);
	return val;
}
