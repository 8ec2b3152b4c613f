/*
 * The interpreter: a depth-first walk of the merged trie.
 *
 * From each node it tries every generic edge and every hash group whose
 * atom holds, carrying the base its path computed, and keeps the best
 * accept key seen (dpf_accept_key: most atoms, then lowest id). Because the
 * best key is a maximum over all accepting paths, the result does not
 * depend on the order of the walk, which is what lets the JIT lay its code
 * out differently and still agree on every packet.
 *
 * Cost: a hash group costs one load and one probe however many children it
 * has, and only the matching child is entered; a child whose subtree is a
 * chain is run from its summary (see chain() below). The walk keeps its own
 * stack of at most DPF_MAX_ATOMS_PER_PATH + 1 frames (the trie depth), so
 * it needs about 1.6 KB of kernel stack whatever the trie.
 */
#include "dpf_int.h"

struct run {
	const uint8_t *pkt;
	uint32_t caplen;
	uint32_t wirelen;
	uint64_t best;
};

/* Read the field of a CMP or SHIFT atom; 0 if it is not wholly captured. */
static int load(const struct run *r, const struct dpf_atom *a, uint32_t base,
		uint32_t *out)
{
	uint64_t at = (uint64_t)((a->flags & DPF_F_REL) ? base : 0) + a->offset;
	const uint8_t *p;

	if (a->width == DPF_W_LEN) {
		*out = r->wirelen;
		return 1;
	}
	if (at + a->width > r->caplen)
		return 0;
	p = r->pkt + at;
	switch (a->width) {
	case DPF_W8:
		*out = p[0];
		break;
	case DPF_W16:
		*out = (uint32_t)p[0] << 8 | p[1];
		break;
	default:
		*out = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	}
	return 1;
}

static int holds(const struct dpf_atom *a, uint32_t x)
{
	switch (a->cmp) {
	case DPF_EQ:
		return x == a->value;
	case DPF_NE:
		return x != a->value;
	case DPF_LT:
		return x < a->value;
	case DPF_LE:
		return x <= a->value;
	case DPF_GT:
		return x > a->value;
	case DPF_GE:
		return x >= a->value;
	default:
		return x != 0;  /* DPF_SET */
	}
}

/* Does atom a (with value for a CMP) hold? Then *nb is the base after it. */
static int step(const struct run *r, const struct dpf_atom *a, uint32_t value,
		uint32_t base, uint32_t *nb)
{
	uint32_t anchor = (a->flags & DPF_F_REL) ? base : 0, x;

	switch (a->op) {
	case DPF_OP_CMP:
		*nb = base;
		if (!load(r, a, base, &x))
			return 0;
		x &= a->mask;
		return a->cmp == DPF_EQ ? x == value : holds(a, x);
	case DPF_OP_SHIFT:
		if (!load(r, a, base, &x))
			return 0;
		*nb = anchor + ((x & a->mask) << a->shift) + a->value;
		return 1;
	default:
		*nb = anchor + a->value;  /* DPF_OP_ADVANCE */
		return 1;
	}
}

/* Does the edge to child c hold? Then *nb is the base below it. */
static int edge(const struct run *r, const struct dpf_node *c, uint32_t base,
		uint32_t *nb)
{
	return step(r, &c->atom, c->atom.value, base, nb);
}

/*
 * A group child whose subtree is a chain (chain.c) is run from its
 * summary: the chain's shape with the child's EQ values, then its best
 * accept. The same atoms in the same order as walking its nodes, which
 * accept nothing before the end; but three cache lines (the child, its
 * summary, the shared shape) instead of a dozen nodes, groups and maps
 * scattered over memory, which is what per-connection demux at 65536
 * connections spends its time on (docs/dpf.md, Figures).
 */
static void chain(struct run *r, const struct dpf_sum *sum, uint32_t base)
{
	const struct dpf_shape *s = sum->shape;
	uint32_t e = 0;

	for (uint32_t i = 0; i < s->natoms; i++) {
		const struct dpf_atom *a = &s->atoms[i];

		if (!step(r, a, dpf_atom_is_eq(a) ? sum->eq[e++] : a->value,
			  base, &base))
			return;
	}
	if (sum->key > r->best)
		r->best = sum->key;
}

/* The child of group g that the packet selects, or NULL. */
static const struct dpf_node *group(const struct run *r,
				    const struct dpf_group *g, uint32_t base)
{
	uint32_t x;

	if (!load(r, &g->key, base, &x))
		return NULL;
	return dpf_map_lookup(&g->kids, x & g->key.mask);
}

static void visit(struct run *r, const struct dpf_node *n)
{
	if (n->nacc) {
		uint64_t k = dpf_node_best(n);

		if (k > r->best)
			r->best = k;
	}
}

/* One level of the walk: a node, its base, and the next child to try
 * (edges first, then groups). */
struct frame {
	const struct dpf_node *n;
	uint32_t base;
	uint32_t next;
};

uint32_t dpf_interp(const struct dpf_trie *t, const uint8_t *pkt,
		    uint32_t caplen, uint32_t wirelen)
{
	/* An explicit stack, one frame per trie level (at most one per atom
	 * of a path), so the kernel stack use is small and fixed. */
	struct frame st[DPF_MAX_ATOMS_PER_PATH + 1];
	struct run r = { pkt, caplen, wirelen, 0 };
	int sp = 0;

	if (!t || (!pkt && caplen))
		return DPF_NO_MATCH;
	st[0].n = &t->root;
	st[0].base = 0;
	st[0].next = 0;
	visit(&r, &t->root);
	while (sp >= 0) {
		struct frame *f = &st[sp];
		const struct dpf_node *n = f->n, *c;
		uint32_t nb = f->base, i = f->next++;

		if (i < n->nedges) {
			c = n->edges[i];
			if (!edge(&r, c, f->base, &nb))
				continue;
		} else if (i < n->nedges + n->ngroups) {
			c = group(&r, n->groups[i - n->nedges], f->base);
			if (!c)
				continue;
			if (c->sum) {
				chain(&r, c->sum, f->base);
				continue;
			}
		} else {
			sp--;
			continue;
		}
		visit(&r, c);
		if (sp == DPF_MAX_ATOMS_PER_PATH)
			continue;  /* cannot happen: paths are that long at most */
		sp++;
		st[sp].n = c;
		st[sp].base = nb;
		st[sp].next = 0;
	}
	return dpf_key_id(r.best);
}
