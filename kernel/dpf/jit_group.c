/*
 * The JIT's view of hash groups: before any code is emitted, one walk over
 * the trie decides how each group is compiled (FLAT, SMALL or HASH, see
 * jit.c) and where its table goes in the data part of the image; after the
 * final pass, the tables are filled in (HASH tables need the final code
 * offsets of the children).
 */
#include "jit_int.h"

/* ---- The first walk: decide how to compile each group, lay out data ---- */

/* Tables at most 2/3 full: short probes, and one slot always empty, which
 * ends every probe loop. */
static uint32_t table_bits(uint32_t n)
{
	uint32_t bits = 2;

	while ((2u << bits) < 3 * n + 1)
		bits++;
	return bits;
}

static struct ginfo *new_ginfo(struct jc *c)
{
	if (c->ngi == c->cgi) {
		uint32_t ncap = c->cgi ? c->cgi * 2 : 16;
		struct ginfo *p = dpf_alloc(&c->t->env, ncap * sizeof(*p));

		if (!p)
			return NULL;
		if (c->gi)
			dpf_memcpy(p, c->gi, c->ngi * sizeof(*p));
		dpf_free(&c->t->env, c->gi, c->cgi * sizeof(*p));
		c->gi = p;
		c->cgi = ncap;
	}
	dpf_memset(&c->gi[c->ngi], 0, sizeof(*c->gi));
	return &c->gi[c->ngi++];
}

/* Are all children chains of one shape (chain.c keeps their summaries)?
 * Usually the group's count answers at once; otherwise ask each child. */
static const struct dpf_shape *flat_shape(const struct dpf_group *g)
{
	const struct dpf_node *rep;
	const struct dpf_shape *shape;

	if (g->flat_shape && g->nflat == g->kids.n)
		return g->flat_shape;
	rep = dpf_only_kid(g);
	shape = rep->sum ? rep->sum->shape : NULL;

	for (uint32_t s = 0; shape && s < dpf_map_cap(&g->kids); s++) {
		const struct dpf_node *k = g->kids.slots[s].val;

		if (g->kids.slots[s].used && (!k->sum || k->sum->shape != shape))
			return NULL;
	}
	return shape;
}

static int classify_group(struct jc *c, const struct dpf_group *g)
{
	struct ginfo *gi = new_ginfo(c);
	uint32_t esize = 8;

	if (!gi)
		return DPF_E_NOMEM;
	gi->g = g;
	gi->shape = flat_shape(g);
	if (gi->shape) {
		gi->kind = G_FLAT;
		gi->neq = gi->shape->neq;
		gi->shifts = gi->shape->shifts;
		for (esize = 16; esize < 16 + 4u * gi->neq; esize *= 2)
			;
	} else {
		gi->kind = g->kids.n <= SMALL_GROUP ? G_SMALL : G_HASH;
	}
	if (gi->kind != G_SMALL) {
		uint64_t size;

		gi->bits = table_bits(g->kids.n);
		gi->esize_log2 = (uint8_t)(esize == 8 ? 3 : esize == 16 ? 4 :
					   esize == 32 ? 5 : 6);
		size = ((uint64_t)esize << gi->bits) + 63;
		if (c->data_size + size > JIT_MAX_IMAGE)
			return DPF_E_JIT;
		gi->data_off = c->data_size;
		c->data_size += (uint32_t)(size & ~63ull);
	}
	if (gi->kind == G_FLAT)
		return 0;
	for (uint32_t s = 0; s < dpf_map_cap(&g->kids); s++) {
		int rc = g->kids.slots[s].used ?
			 jit_classify(c, g->kids.slots[s].val) : 0;

		if (rc)
			return rc;
	}
	return 0;
}

int jit_classify(struct jc *c, const struct dpf_node *n)
{
	int rc = 0;

	for (uint32_t i = 0; i < n->nedges && !rc; i++)
		rc = jit_classify(c, n->edges[i]);
	for (uint32_t i = 0; i < n->ngroups && !rc; i++)
		rc = classify_group(c, n->groups[i]);
	return rc;
}


/* ---- Data: fill the tables once the code offsets are final ---- */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint8_t *free_slot(uint8_t *tab, const struct ginfo *gi, uint32_t v)
{
	uint32_t mask = (1u << gi->bits) - 1, i = dpf_hash_idx(v, gi->bits);

	/* An entry is in use when its second word (used / code offset) is
	 * non-zero: all four bytes count, an offset may end in 0x00. */
	while (get32(tab + (i << gi->esize_log2) + 4))
		i = (i + 1) & mask;
	return tab + (i << gi->esize_log2);
}

static void put_entry(const struct ginfo *gi, uint8_t *tab, uint32_t value,
		      uint64_t key, const uint32_t *eq)
{
	uint8_t *e = free_slot(tab, gi, value);

	put32(e, value);
	put32(e + 4, 1);
	put32(e + 8, (uint32_t)key);
	put32(e + 12, (uint32_t)(key >> 32));
	for (uint32_t i = 0; i < gi->neq; i++)
		put32(e + 16 + 4 * i, eq[i]);
}

static void fill_flat(const struct ginfo *gi, uint8_t *tab)
{
	const struct dpf_group *g = gi->g;

	if (g->flat_shape == gi->shape && g->nflat == g->kids.n) {
		/* The group's dense array: no child node is touched. */
		for (uint32_t i = 0; i < g->nflat; i++)
			put_entry(gi, tab, g->flat[i].value, g->flat[i].key,
				  g->flat[i].eq);
		return;
	}
	for (uint32_t s = 0; s < dpf_map_cap(&g->kids); s++) {
		const struct dpf_node *n = g->kids.slots[s].val;
		const struct dpf_sum *sum;

		if (!g->kids.slots[s].used)
			continue;
		sum = n->sum;
		put_entry(gi, tab, n->atom.value, sum->key, sum->eq);
	}
}

static void fill_hash(const struct jc *c, const struct ginfo *gi,
		      uint8_t *tab)
{
	const struct dpf_group *g = gi->g;
	uint32_t i = 0;

	for (uint32_t s = 0; s < dpf_map_cap(&g->kids); s++) {
		const struct dpf_node *n = g->kids.slots[s].val;
		uint8_t *e;

		if (!g->kids.slots[s].used)
			continue;
		e = free_slot(tab, gi, n->atom.value);
		put32(e, n->atom.value);
		put32(e + 4, c->b.lab_cur[gi->lab0 + i++]);
	}
}

void jit_fill_tables(struct jc *c, uint8_t *image)
{
	for (uint32_t i = 0; i < c->ngi; i++) {
		const struct ginfo *gi = &c->gi[i];
		uint8_t *tab = image + c->data_start + gi->data_off;

		if (gi->kind == G_FLAT)
			fill_flat(gi, tab);
		else if (gi->kind == G_HASH)
			fill_hash(c, gi, tab);
	}
}

