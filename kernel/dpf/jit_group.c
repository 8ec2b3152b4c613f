/*
 * The JIT's view of hash groups: before any code is emitted, one walk over
 * the trie decides how each group is compiled (TABLE or SMALL, see
 * jit.c) and where its table goes in the data part of the image; after the
 * final pass, the tables are filled in (entries of children with code of
 * their own need that code's final offset).
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
		return 0;
	}
	list = dpf_alloc(&c->t->env, g->kids.n * sizeof(*list));
	if (!list)
		return DPF_E_NOMEM;
	gi->code = list;
	gi->code_owned = 1;
	for (uint32_t s = 0; s < dpf_map_cap(&g->kids); s++) {
		const struct dpf_node *k = g->kids.slots[s].val;

		if (g->kids.slots[s].used && !jit_flat_kid(gi, k))
			list[gi->ncode++] = k;
	}
	return 0;
}

static int place_table(struct jc *c, struct ginfo *gi)
{
	uint32_t esize = 8;
	uint64_t size;

	if (gi->shape) {
		gi->neq = gi->shape->neq;
		gi->shifts = gi->shape->shifts;
		for (esize = 16; esize < 16 + 4u * gi->neq; esize *= 2)
			;
	}
	gi->bits = table_bits(gi->g->kids.n);
	gi->esize_log2 = (uint8_t)(esize == 8 ? 3 : esize == 16 ? 4 :
				   esize == 32 ? 5 : 6);
	size = ((uint64_t)esize << gi->bits) + 63;
	if (c->data_size + size > JIT_MAX_IMAGE)
		return DPF_E_JIT;
	gi->data_off = c->data_size;
	c->data_size += (uint32_t)(size & ~63ull);
	return 0;
}

/* A group is a TABLE, with a shared chain for the children of its common
 * shape, unless it is small and some child needs code of its own: then
 * compare-and-branch is cheaper than a probe. */
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
	if (g->kids.n <= SMALL_GROUP && gi->ncode) {
		gi->kind = G_SMALL;
		for (uint32_t s = 0; s < dpf_map_cap(&g->kids) && !rc; s++)
			if (g->kids.slots[s].used)
				rc = jit_classify(c, g->kids.slots[s].val);
		return rc;
	}
	gi->kind = G_TABLE;
	rc = place_table(c, gi);
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

/* The children served by the shared chain: their values and keys. */
static void fill_flat(const struct ginfo *gi, uint8_t *tab)
{
	const struct dpf_group *g = gi->g;

	if (!gi->scan) {
		/* The group's dense array: no child node is touched. */
		for (uint32_t i = 0; i < g->nflat; i++)
			put_entry(gi, tab, g->flat[i].value, g->flat[i].key,
				  g->flat[i].eq);
		return;
	}
	for (uint32_t s = 0; s < dpf_map_cap(&g->kids); s++) {
		const struct dpf_node *n = g->kids.slots[s].val;

		if (g->kids.slots[s].used && jit_flat_kid(gi, n))
			put_entry(gi, tab, n->atom.value, n->sum->key,
				  n->sum->eq);
	}
}

/* The children with their own code: value -> offset of that code. */
static void fill_code(const struct jc *c, const struct ginfo *gi,
		      uint8_t *tab)
{
	for (uint32_t i = 0; i < gi->ncode; i++) {
		uint32_t v = gi->code[i]->atom.value;
		uint8_t *e = free_slot(tab, gi, v);

		put32(e, v);
		put32(e + 4, c->b.lab_cur[gi->lab0 + i]);
	}
}

void jit_fill_tables(struct jc *c, uint8_t *image)
{
	for (uint32_t i = 0; i < c->ngi; i++) {
		const struct ginfo *gi = &c->gi[i];
		uint8_t *tab = image + c->data_start + gi->data_off;

		if (gi->kind != G_TABLE)
			continue;
		if (gi->shape)
			fill_flat(gi, tab);
		fill_code(c, gi, tab);
	}
}

void jit_free_groups(struct jc *c)
{
	for (uint32_t i = 0; i < c->ngi; i++)
		if (c->gi[i].code_owned)
			dpf_free(&c->t->env, (void *)c->gi[i].code,
				 c->gi[i].g->kids.n * sizeof(*c->gi[i].code));
	dpf_free(&c->t->env, c->gi, c->cgi * sizeof(*c->gi));
}
