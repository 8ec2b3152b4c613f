/*
 * The JIT's view of hash groups: before any code is emitted, one walk over
 * the trie decides how each group is compiled (TABLE or SMALL, see
 * jit.c), where its tables go in the data part of the image and, for
 * groups of shared chains only, where each value sits in a two-choice
 * table; after the final pass, the tables are filled in (entries of
 * children with code of their own need that code's final offset).
 */
#include "jit_int.h"

/* ---- The first walk: decide how to compile each group, lay out data ---- */

/*
 * Table capacity for n entries of 1 << esize_log2 bytes. A quarter full
 * while the table stays within TABLE_CACHED bytes: linear probing at
 * load a finds a present value at its home slot with probability about
 * 1 - a/2, and the branches that follow depend on a load from the table,
 * so a mispredicted one costs the pipeline and the table's latency too
 * (at half full, the 4096-connection benchmark spent 30% more per
 * packet); two-choice placement (jit_cuckoo.c) is quick and sure there.
 * A larger table misses the cache on most probes anyway, and there half
 * full is faster: fewer lines and pages than at a quarter (docs/dpf.md,
 * Figures). One slot is always empty, which ends every probe loop.
 */
static uint32_t table_bits(uint32_t n, uint32_t esize_log2)
{
	uint32_t bits = 2;

	while ((1ull << bits) < (uint64_t)TABLE_SPARSE * n)
		bits++;
	if (bits > 2 && ((uint64_t)1 << bits << esize_log2) > TABLE_CACHED &&
	    (1ull << (bits - 1)) >= (uint64_t)TABLE_DENSE * n)
		bits--;
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

/* The children that get their own code: the group's other array, or,
 * when the arrays are incomplete, every child the shared chain does not
 * serve (found by looking at each one). */
static int code_kids(struct jc *c, struct ginfo *gi)
{
	const struct dpf_group *g = gi->g;
	const struct dpf_node **list;

	gi->scan = g->nflat + g->nother != g->kids.n;
	if (!gi->scan) {
		gi->code = (const struct dpf_node **)g->other;
		gi->ncode = g->nother;
		gi->nflat = g->nflat;
		return 0;
	}
	list = dpf_alloc(&c->t->env, g->kids.n * sizeof(*list));
	if (!list)
		return DPF_E_NOMEM;
	gi->code = list;
	gi->code_owned = 1;
	for (uint32_t s = 0; s < dpf_map_cap(&g->kids); s++) {
		const struct dpf_node *k = g->kids.slots[s].val;

		if (!g->kids.slots[s].used)
			continue;
		if (jit_flat_kid(gi, k))
			gi->nflat++;
		else
			list[gi->ncode++] = k;
	}
	if (!gi->nflat)
		gi->shape = NULL;
	return 0;
}

/* Room for a table of n entries of esize bytes in the data part. */
static int place(struct jc *c, struct gtab *t, uint32_t n, uint32_t esize)
{
	uint64_t size;

	t->esize_log2 = 3;
	while ((1u << t->esize_log2) < esize)
		t->esize_log2++;
	t->bits = table_bits(n, t->esize_log2);
	size = (((uint64_t)1 << t->esize_log2 << t->bits) + 63) & ~63ull;
	if (c->data_size + size > JIT_MAX_IMAGE)
		return DPF_E_JIT;
	t->off = c->data_size;
	c->data_size += (uint32_t)size;
	return 0;
}

/* The number of atoms on the way from the root to n. */
static uint32_t depth(const struct dpf_node *n)
{
	uint32_t d = 0;

	for (; n->parent; n = n->parent)
		d++;
	return d;
}

/* A group of shared chains only gets a two-choice flat table when its
 * values can be placed so (jit_cuckoo.c); else linear probing. */
static int place_two_choice(struct jc *c, struct ginfo *gi)
{
	const struct dpf_group *g = gi->g;
	size_t size = g->nflat * sizeof(uint32_t);
	uint32_t *vals = dpf_alloc(&c->t->env, size);
	int rc, slot0 = 0;

	if (!vals)
		return DPF_E_NOMEM;
	for (uint32_t i = 0; i < g->nflat; i++)  /* the probe's form */
		vals[i] = jit_raw(g->key.width, g->flat[i].value);
	rc = jit_cuckoo_place(&c->t->env, vals, g->nflat, gi->flat.bits,
			      &gi->cuckoo, &slot0);
	gi->slot0 = (uint8_t)slot0;
	dpf_free(&c->t->env, vals, size);
	return rc == DPF_E_NOMEM ? rc : 0;
}

/* The tables of a TABLE group: the flat one for the children of the
 * shared chain, the jump one for the children with code of their own. */
static int place_tables(struct jc *c, struct ginfo *gi)
{
	uint32_t esize = FLAT_EQ;
	int rc = 0;

	if (gi->shape) {
		for (uint32_t i = 0; i < gi->shape->natoms; i++) {
			const struct dpf_atom *a = &gi->shape->atoms[i];

			if (!dpf_atom_is_eq(a))
				continue;
			gi->eqw[gi->neq++] = a->width;  /* LEN: 0 */
			esize += jit_eq_bytes(a);
		}
		gi->shifts = gi->shape->shifts;
		/* Every accept at the end of the chain has this path length
		 * (one atom per node), so entries store only the id. */
		gi->len = depth(gi->g->parent) + 1 + gi->shape->natoms;
		rc = place(c, &gi->flat, gi->nflat, esize);
		if (!rc && !gi->ncode && !gi->scan)
			rc = place_two_choice(c, gi);
	}
	if (!rc && gi->ncode)
		rc = place(c, &gi->jump, gi->ncode, 8);
	return rc;
}

/* A group is a TABLE, with a shared chain for the children of its common
 * shape, unless it is small: then compare-and-branch on immediates, each
 * child with code of its own, is cheaper than a probe (with one filter
 * the whole trie becomes straight-line code). */
static int classify_group(struct jc *c, const struct dpf_group *g)
{
	uint32_t idx = c->ngi;
	struct ginfo *gi = new_ginfo(c);
	int rc;

	if (!gi)
		return DPF_E_NOMEM;
	gi->g = g;
	gi->shape = g->nflat ? g->flat_shape : NULL;
	rc = code_kids(c, gi);
	if (rc)
		return rc;
	if (g->kids.n <= SMALL_GROUP) {
		gi->kind = G_SMALL;
		for (uint32_t s = 0; s < dpf_map_cap(&g->kids) && !rc; s++)
			if (g->kids.slots[s].used)
				rc = jit_classify(c, g->kids.slots[s].val);
		return rc;
	}
	gi->kind = G_TABLE;
	rc = place_tables(c, gi);
	/* new_ginfo below may move the array: index, do not keep gi. */
	for (uint32_t i = 0; i < c->gi[idx].ncode && !rc; i++)
		rc = jit_classify(c, c->gi[idx].code[i]);
	return rc;
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

static uint8_t *free_slot(uint8_t *tab, const struct gtab *t, uint32_t v)
{
	uint32_t mask = (1u << t->bits) - 1, i = dpf_hash_idx(v, t->bits);

	/* An entry is in use when its second word (id / code offset) is
	 * non-zero: all four bytes count, an offset may end in 0x00. */
	while (get32(tab + (i << t->esize_log2) + 4))
		i = (i + 1) & mask;
	return tab + (i << t->esize_log2);
}

/* One child of the shared chain: {value, id, its EQ values packed}, at
 * e, or at its slot by linear probing when e is NULL. */
static int put_entry(const struct ginfo *gi, uint8_t *tab, uint8_t *e,
		     uint32_t value, uint64_t key, const uint32_t *eq)
{
	uint32_t at = FLAT_EQ;

	if (key >> 32 != gi->len || (!gi->cuckoo && (uint32_t)key == ~0u))
		return DPF_E_JIT;  /* not the chain place_tables measured */
	value = jit_raw(gi->g->key.width, value);  /* the probe's form */
	if (!e)
		e = free_slot(tab, &gi->flat, value);
	put32(e, value);
	/* two-choice tables hold the key's low half, linear ones the id
	 * (never 0: it marks the slot in use) */
	put32(e + FLAT_ID, gi->cuckoo ? (uint32_t)key : ~(uint32_t)key);
	/* As the code compares them: a field's bytes as the packet holds
	 * them (big-endian), LEN as a number. */
	for (uint32_t k = 0; k < gi->neq; k++) {
		uint32_t w = gi->eqw[k];

		if (!w) {
			put32(e + at, eq[k]);
			at += 4;
			continue;
		}
		for (uint32_t j = 0; j < w; j++)
			e[at + j] = (uint8_t)(eq[k] >> (8 * (w - 1 - j)));
		at += w;
	}
	return 0;
}

/* The children served by the shared chain: their values and keys. */
static int fill_flat(const struct ginfo *gi, uint8_t *tab)
{
	const struct dpf_group *g = gi->g;
	int rc = 0;

	if (gi->cuckoo) {
		/* Empty slots read as value 0; only the value 0 probes slot
		 * 0 (both hashes of 0 are 0), so an empty slot 0 gets a
		 * value that never probes it. */
		if (!gi->slot0)
			put32(tab, jit_cuckoo_filler(gi->flat.bits));
		/* Each child at the slot jit_cuckoo.c gave it. */
		for (uint32_t i = 0; i < g->nflat && !rc; i++)
			rc = put_entry(gi, tab, tab + ((size_t)gi->cuckoo[i] <<
							gi->flat.esize_log2),
				       g->flat[i].value, g->flat[i].key,
				       g->flat[i].eq);
		return rc;
	}
	if (!gi->scan) {
		/* The group's dense array: no child node is touched. */
		for (uint32_t i = 0; i < g->nflat && !rc; i++)
			rc = put_entry(gi, tab, NULL, g->flat[i].value,
				       g->flat[i].key, g->flat[i].eq);
		return rc;
	}
	for (uint32_t s = 0; s < dpf_map_cap(&g->kids) && !rc; s++) {
		const struct dpf_node *n = g->kids.slots[s].val;

		if (g->kids.slots[s].used && jit_flat_kid(gi, n))
			rc = put_entry(gi, tab, NULL, n->atom.value,
				       n->sum->key, n->sum->eq);
	}
	return rc;
}

/* The children with their own code: value -> offset of that code. */
static void fill_jump(const struct jc *c, const struct ginfo *gi,
		      uint8_t *tab)
{
	for (uint32_t i = 0; i < gi->ncode; i++) {
		uint32_t v = jit_raw(gi->g->key.width, gi->code[i]->atom.value);
		uint8_t *e = free_slot(tab, &gi->jump, v);

		put32(e, v);
		put32(e + 4, c->b.lab_cur[gi->lab0 + i]);
	}
}

int jit_fill_tables(struct jc *c, uint8_t *image)
{
	uint8_t *data = image + c->data_start;

	for (uint32_t i = 0; i < c->ngi; i++) {
		const struct ginfo *gi = &c->gi[i];

		if (gi->kind != G_TABLE)
			continue;
		if (gi->shape && fill_flat(gi, data + gi->flat.off))
			return DPF_E_JIT;
		if (gi->ncode)
			fill_jump(c, gi, data + gi->jump.off);
	}
	return 0;
}

void jit_free_groups(struct jc *c)
{
	for (uint32_t i = 0; i < c->ngi; i++) {
		if (c->gi[i].cuckoo)
			dpf_free(&c->t->env, c->gi[i].cuckoo,
				 c->gi[i].g->nflat * sizeof(uint32_t));
		if (c->gi[i].code_owned)
			dpf_free(&c->t->env, (void *)c->gi[i].code,
				 c->gi[i].g->kids.n * sizeof(*c->gi[i].code));
	}
	dpf_free(&c->t->env, c->gi, c->cgi * sizeof(*c->gi));
}
