/*
 * Chain summaries: what the JIT needs to compile a FLAT hash group (jit.c)
 * without walking the group's children, kept up to date by insert/delete.
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
 * Each group also keeps, in one dense array, the summaries of its
 * children whose chain has one common shape (struct dpf_group.flat_shape,
 * flat, nflat): when that is all of them, the JIT sees that a group of
 * thousands is FLAT, and fills its table, without visiting the children.
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

static int add_flat(struct dpf_trie *t, struct dpf_group *g,
		    struct dpf_node *k)
{
	struct dpf_flat *e;

	if (g->nflat == g->cflat) {
		uint32_t ncap = g->cflat ? g->cflat * 2 : 4;
		struct dpf_flat *p = dpf_alloc(&t->env, ncap * sizeof(*p));

		if (!p)
			return DPF_E_NOMEM;
		if (g->flat)
			dpf_memcpy(p, g->flat, g->nflat * sizeof(*p));
		dpf_free(&t->env, g->flat, g->cflat * sizeof(*p));
		g->flat = p;
		g->cflat = ncap;
	}
	k->sum->flat_idx = g->nflat;
	e = &g->flat[g->nflat++];
	e->value = k->atom.value;
	e->pad = 0;
	e->key = k->sum->key;
	dpf_memcpy(e->eq, k->sum->eq, sizeof(e->eq));
	e->node = k;
	return 0;
}

static void remove_flat(struct dpf_trie *t, struct dpf_group *g,
			struct dpf_node *k)
{
	uint32_t i = k->sum->flat_idx;

	if (i != --g->nflat) {
		g->flat[i] = g->flat[g->nflat];
		g->flat[i].node->sum->flat_idx = i;
	}
	if (g->nflat == 0) {
		dpf_free(&t->env, g->flat, g->cflat * sizeof(*g->flat));
		g->flat = NULL;
		g->cflat = 0;
		g->flat_shape = NULL;
	}
}

void dpf_chain_release(struct dpf_trie *t, struct dpf_node *n)
{
	if (!n->sum)
		return;
	if (n->sum->flat_idx != DPF_NO_FLAT)
		remove_flat(t, n->in_group, n);
	unintern(t, n->sum->shape);
	dpf_free(&t->env, n->sum, sizeof(*n->sum));
	n->sum = NULL;
}

static void update(struct dpf_trie *t, struct dpf_node *k)
{
	struct dpf_atom atoms[DPF_MAX_ATOMS_PER_PATH];
	uint32_t eq[DPF_FLAT_MAX_EQ];
	uint32_t n = 0, neq = 0;
	uint8_t shifts = 0;
	const struct dpf_node *c = k;
	struct dpf_group *g;
	struct dpf_sum *sum;

	dpf_chain_release(t, k);
	while (!c->nacc) {
		c = dpf_chain_next(c);
		if (!c || n == DPF_MAX_ATOMS_PER_PATH)
			return;
		atoms[n] = c->atom;
		if (dpf_atom_is_eq(&c->atom)) {
			if (neq == DPF_FLAT_MAX_EQ)
				return;
			eq[neq++] = c->atom.value;
			atoms[n].value = 0;
		} else if (c->atom.op != DPF_OP_CMP) {
			shifts = 1;
		}
		n++;
	}
	if (c->nedges || c->ngroups)
		return;
	sum = dpf_alloc(&t->env, sizeof(*sum));
	if (!sum)
		return;
	sum->shape = intern(t, atoms, n, (uint8_t)neq, shifts);
	if (!sum->shape) {
		dpf_free(&t->env, sum, sizeof(*sum));
		return;
	}
	sum->key = dpf_node_best(c);
	dpf_memset(sum->eq, 0, sizeof(sum->eq));
	dpf_memcpy(sum->eq, eq, neq * sizeof(eq[0]));
	sum->flat_idx = DPF_NO_FLAT;
	k->sum = sum;
	/* The group's FLAT array. If the children's common shape changed,
	 * the array restarts from this child and leaves out the others; the
	 * JIT then checks the children one by one, so it stays exact. */
	g = k->in_group;
	if ((!g->flat_shape || g->flat_shape == sum->shape) &&
	    add_flat(t, g, k) == 0)
		g->flat_shape = sum->shape;
}

void dpf_chain_update_up(struct dpf_trie *t, struct dpf_node *n)
{
	for (; n && n != &t->root; n = n->parent)
		if (n->in_group)
			update(t, n);
}
