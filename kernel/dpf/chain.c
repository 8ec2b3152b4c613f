/*
 * Chain summaries: what the JIT needs to compile a hash group with one
 * shared copy of its children's code (jit.c) without visiting them, kept
 * up to date by insert and delete.
 *
 * A node's subtree is a chain when it leads one way down, with accepts only
 * at its end. Per-connection filters make groups whose children are all
 * chains of the same shape (the same atoms except the values of EQ atoms).
 * For each group child whose subtree is such a chain, with at most
 * DPF_FLAT_MAX_EQ EQ atoms, the trie keeps a struct dpf_sum: the chain's
 * shape, its EQ values and the best accept key at its end. Shapes are
 * interned (compared atom by atom, never by hash alone), so two chains have
 * the same shape exactly when their summaries point to the same dpf_shape.
 *
 * Each group also sorts its children into two dense arrays: flat, the
 * summaries of the children whose chain has the group's common shape
 * (struct dpf_group.flat_shape), and other, the rest. The JIT builds a
 * group's table from the first and compiles code only for the second, so
 * a group of thousands of connections costs one table entry per
 * connection, even when a few children do not fit the shape. The shape is
 * the first one seen; when no child has it any more, the next chain sets
 * it (children already in other stay there: slower code, same verdicts).
 *
 * A node's chain depends only on its subtree, so an insert or delete only
 * changes the summaries of the ancestors of the leaf it touched; those are
 * recomputed, each by a walk of at most DPF_MAX_ATOMS_PER_PATH nodes that
 * stops at the first branch. A summary that cannot be allocated is simply
 * absent: the JIT then compiles that group the general way.
 */
#include "dpf_int.h"

const struct dpf_node *dpf_only_kid(const struct dpf_group *g)
{
	for (uint32_t s = 0; s < dpf_map_cap(&g->kids); s++)
		if (g->kids.slots[s].used)
			return g->kids.slots[s].val;
	return NULL;
}

const struct dpf_node *dpf_chain_next(const struct dpf_node *n)
{
	if (n->nacc)
		return NULL;
	if (n->nedges == 1 && n->ngroups == 0)
		return n->edges[0];
	if (n->nedges == 0 && n->ngroups == 1 && n->groups[0]->kids.n == 1)
		return dpf_only_kid(n->groups[0]);
	return NULL;
}

static uint32_t hash_atoms(const struct dpf_atom *a, uint32_t n)
{
	const uint8_t *p = (const uint8_t *)a;
	uint32_t h = 2166136261u;  /* FNV-1a */

	for (size_t i = 0; i < n * sizeof(*a); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static size_t shape_size(uint32_t natoms)
{
	return sizeof(struct dpf_shape) + natoms * sizeof(struct dpf_atom);
}

static struct dpf_shape *intern(struct dpf_trie *t, const struct dpf_atom *a,
				uint32_t n, uint8_t neq, uint8_t shifts)
{
	uint32_t h = hash_atoms(a, n);
	struct dpf_shape *head = dpf_map_get(&t->shapes, h), *s;

	for (s = head; s; s = s->next) {
		if (s->natoms == n && !dpf_memcmp(s->atoms, a, n * sizeof(*a))) {
			s->refs++;
			return s;
		}
	}
	s = dpf_alloc(&t->env, shape_size(n));
	if (!s)
		return NULL;
	s->hash = h;
	s->refs = 1;
	s->natoms = n;
	s->neq = neq;
	s->shifts = shifts;
	dpf_memcpy(s->atoms, a, n * sizeof(*a));
	if (head) {            /* a hash collision: chain behind the head */
		s->next = head->next;
		head->next = s;
	} else {
		s->next = NULL;
		if (dpf_map_put(&t->env, &t->shapes, h, s)) {
			dpf_free(&t->env, s, shape_size(n));
			return NULL;
		}
	}
	return s;
}

static void unintern(struct dpf_trie *t, struct dpf_shape *s)
{
	struct dpf_slot *slot;
	struct dpf_shape **pp;

	if (--s->refs)
		return;
	slot = dpf_map_find(&t->shapes, s->hash);
	if (slot->val == s && !s->next) {
		dpf_map_del(&t->env, &t->shapes, s->hash);
	} else if (slot->val == s) {
		slot->val = s->next;
	} else {
		struct dpf_shape *head = slot->val;

		for (pp = &head->next; *pp != s; pp = &(*pp)->next)
			;
		*pp = s->next;
	}
	dpf_free(&t->env, s, shape_size(s->natoms));
}

/* Make room for one more element in a dense array of elem-sized items. */
static int room(struct dpf_trie *t, void **arr, uint32_t n, uint32_t *cap,
		size_t elem)
{
	uint32_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4;
	p = dpf_alloc(&t->env, ncap * elem);
	if (!p)
		return DPF_E_NOMEM;
	if (*arr)
		dpf_memcpy(p, *arr, n * elem);
	dpf_free(&t->env, *arr, *cap * elem);
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Put group child k in its group's flat or other array. */
static void add_member(struct dpf_trie *t, struct dpf_group *g,
		       struct dpf_node *k)
{
	if (k->sum && (!g->flat_shape || g->flat_shape == k->sum->shape)) {
		struct dpf_flat *e;

		if (room(t, (void **)&g->flat, g->nflat, &g->cflat,
			 sizeof(*g->flat)))
			return;
		g->flat_shape = k->sum->shape;
		k->gidx = g->nflat;
		k->gmem = DPF_GM_FLAT;
		e = &g->flat[g->nflat++];
		e->value = k->atom.value;
		e->pad = 0;
		e->key = k->sum->key;
		dpf_memcpy(e->eq, k->sum->eq, sizeof(e->eq));
		e->node = k;
		return;
	}
	if (room(t, (void **)&g->other, g->nother, &g->cother,
		 sizeof(*g->other)))
		return;
	k->gidx = g->nother;
	k->gmem = DPF_GM_OTHER;
	g->other[g->nother++] = k;
}

/* Take k out of its array: the last element moves into its place. */
static void remove_member(struct dpf_trie *t, struct dpf_group *g,
			  struct dpf_node *k)
{
	uint32_t i = k->gidx;

	if (k->gmem == DPF_GM_FLAT) {
		if (i != --g->nflat) {
			g->flat[i] = g->flat[g->nflat];
			g->flat[i].node->gidx = i;
		}
		if (g->nflat == 0) {
			dpf_free(&t->env, g->flat, g->cflat * sizeof(*g->flat));
			g->flat = NULL;
			g->cflat = 0;
			g->flat_shape = NULL;  /* the next chain picks the shape */
		}
	} else if (k->gmem == DPF_GM_OTHER) {
		if (i != --g->nother) {
			g->other[i] = g->other[g->nother];
			g->other[i]->gidx = i;
		}
		if (g->nother == 0) {
			dpf_free(&t->env, g->other,
				 g->cother * sizeof(*g->other));
			g->other = NULL;
			g->cother = 0;
		}
	}
	k->gmem = DPF_GM_NONE;
}

void dpf_chain_release(struct dpf_trie *t, struct dpf_node *n)
{
	if (n->in_group && n->gmem != DPF_GM_NONE)
		remove_member(t, n->in_group, n);
	if (!n->sum)
		return;
	unintern(t, n->sum->shape);
	dpf_free(&t->env, n->sum, sizeof(*n->sum));
	n->sum = NULL;
}

/* The chain summary of group child k, or NULL if its subtree is not a
 * chain (or memory ran out). */
static struct dpf_sum *summarize(struct dpf_trie *t, const struct dpf_node *k)
{
	struct dpf_atom atoms[DPF_MAX_ATOMS_PER_PATH];
	uint32_t eq[DPF_FLAT_MAX_EQ];
	uint32_t n = 0, neq = 0;
	uint8_t shifts = 0;
	const struct dpf_node *c = k;
	struct dpf_sum *sum;

	while (!c->nacc) {
		c = dpf_chain_next(c);
		if (!c || n == DPF_MAX_ATOMS_PER_PATH)
			return NULL;
		atoms[n] = c->atom;
		if (dpf_atom_is_eq(&c->atom)) {
			if (neq == DPF_FLAT_MAX_EQ)
				return NULL;
			eq[neq++] = c->atom.value;
			atoms[n].value = 0;
		} else if (c->atom.op != DPF_OP_CMP) {
			shifts = 1;
		}
		n++;
	}
	if (c->nedges || c->ngroups)
		return NULL;
	sum = dpf_alloc(&t->env, sizeof(*sum));
	if (!sum)
		return NULL;
	sum->shape = intern(t, atoms, n, (uint8_t)neq, shifts);
	if (!sum->shape) {
		dpf_free(&t->env, sum, sizeof(*sum));
		return NULL;
	}
	sum->key = dpf_node_best(c);
	dpf_memset(sum->eq, 0, sizeof(sum->eq));
	dpf_memcpy(sum->eq, eq, neq * sizeof(eq[0]));
	return sum;
}

static void update(struct dpf_trie *t, struct dpf_node *k)
{
	dpf_chain_release(t, k);
	k->sum = summarize(t, k);
	add_member(t, k->in_group, k);
}

void dpf_chain_update_up(struct dpf_trie *t, struct dpf_node *n)
{
	for (; n && n != &t->root; n = n->parent)
		if (n->in_group)
			update(t, n);
}

/* A summary's key is the best accept at its chain's end, and a leaf with
 * an accept ends every chain above it: so after the accepts of leaf n
 * changed id, only the keys need refreshing, with no allocation. */
void dpf_chain_rekey_up(struct dpf_trie *t, struct dpf_node *leaf)
{
	uint64_t key = dpf_node_best(leaf);

	for (struct dpf_node *n = leaf; n && n != &t->root; n = n->parent) {
		if (!n->sum)
			continue;
		n->sum->key = key;
		if (n->gmem == DPF_GM_FLAT)
			n->in_group->flat[n->gidx].key = key;
	}
}
