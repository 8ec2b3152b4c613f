/*
 * The overlap rule: no owner may install a filter that could take packets
 * another owner's filter accepts (docs/dpf.md, "Overlap rule").
 *
 * Two paths P and Q overlap unless they provably cannot both accept one
 * packet. The proof this code looks for is a pair of atoms, one from each
 * path, that read the same location and ask for values no field can have
 * at once: EQ 80 against EQ 443, a range against a disjoint range, EQ 5
 * against NE 5, SET against an EQ that clears those bits. Both atoms must
 * hold for both paths to accept, and both read the same bytes, so no
 * packet satisfies both: sound. Anything not proven disjoint counts as an
 * overlap: conservative, but it admits the cases that matter (different
 * ports, different addresses, disjoint port ranges).
 *
 * "The same location" is the subtle part. Absolute atoms (and LEN) read a
 * fixed place. A REL atom reads base + offset, where base is what the
 * SHIFT/ADVANCE atoms before it computed; two REL atoms read the same place
 * only if the bases are the same function of the packet, which we accept
 * when the shift atoms that built them are identical. Only the shifts since
 * the last absolute one matter (an absolute shift forgets the earlier
 * base), and a REL shift with nothing before it anchors at 0 like an
 * absolute one. After differing shifts, fields are simply not compared: a
 * contradiction before them may still prove disjointness, but none after.
 *
 * The check walks the trie, not the list of filters: it follows every trie
 * branch that no atom of Q contradicts, and stops at the first accept of
 * another owner. At a hash group where Q has an EQ on the same field, only
 * the child with Q's value can agree, so the per-connection case costs one
 * probe per group; a broad Q (say "tcp") walks every branch below it.
 */
#include "dpf_int.h"

struct ctx {
	const struct dpf_atom *const *s;  /* shift atoms building the base */
	uint32_t n;
};

/* A level of the walk: a trie node and the next child to consider. */
struct oframe {
	const struct dpf_node *n;
	uint32_t next;                    /* edges first, then groups */
	uint32_t slot;                    /* place within the current group */
	uint32_t shift;                   /* n's atom is on tshift */
};

struct walk {
	struct oframe st[DPF_MAX_ATOMS_PER_PATH + 1];
	uint32_t owner;
	const struct dpf_atom *q;         /* the new path */
	uint32_t nq;
	const struct dpf_atom *qshift[DPF_MAX_ATOMS_PER_PATH];
	struct ctx qctx[DPF_MAX_ATOMS_PER_PATH];
	const struct dpf_atom *tshift[DPF_MAX_ATOMS_PER_PATH];
	uint32_t ntshift;                 /* shifts on the trie path so far */
	uint32_t other_id, other_owner;
};

/* The canonical base of a REL atom preceded by shift atoms s[0..n). */
static struct ctx canon(const struct dpf_atom *const *s, uint32_t n)
{
	struct ctx c;
	uint32_t start = 0;

	for (uint32_t i = n; i--;) {
		if (!(s[i]->flags & DPF_F_REL)) {
			start = i;
			break;
		}
	}
	c.s = s + start;
	c.n = n - start;
	return c;
}

static int same_ctx(struct ctx a, struct ctx b)
{
	if (a.n != b.n)
		return 0;
	for (uint32_t i = 0; i < a.n; i++) {
		struct dpf_atom x = *a.s[i], y = *b.s[i];

		if (i == 0) {   /* the first one anchors at 0 either way */
			x.flags &= (uint8_t)~DPF_F_REL;
			y.flags &= (uint8_t)~DPF_F_REL;
		}
		if (dpf_memcmp(&x, &y, sizeof(x)))
			return 0;
	}
	return 1;
}

static int same_location(const struct dpf_atom *a, struct ctx ca,
			 const struct dpf_atom *b, struct ctx cb)
{
	static const struct ctx none = { NULL, 0 };

	if (a->width != b->width || a->offset != b->offset)
		return 0;
	if (a->width == DPF_W_LEN)
		return 1;
	return same_ctx((a->flags & DPF_F_REL) ? ca : none,
			(b->flags & DPF_F_REL) ? cb : none);
}

/* The values (field & mask) for which atom a holds, over-approximated as
 * [lo, hi] minus an optional hole. Returns 0 if the set is empty. */
static int value_set(const struct dpf_atom *a, uint32_t *lo, uint32_t *hi,
		     int *has_hole, uint32_t *hole)
{
	uint32_t v = a->value, m = a->mask;

	*lo = 0;
	*hi = m;
	*has_hole = 0;
	switch (a->cmp) {
	case DPF_EQ:
		*lo = *hi = v;
		break;
	case DPF_NE:
		*has_hole = 1;
		*hole = v;
		break;
	case DPF_LT:
		if (v == 0)
			return 0;
		*hi = v - 1;
		break;
	case DPF_LE:
		*hi = v;
		break;
	case DPF_GT:
		if (v >= m)
			return 0;
		*lo = v + 1;
		break;
	case DPF_GE:
		*lo = v;
		break;
	default:      /* DPF_SET */
		*lo = 1;
	}
	return 1;
}

static int same_mask_disjoint(const struct dpf_atom *a,
			      const struct dpf_atom *b)
{
	uint32_t alo, ahi, blo, bhi, ah, bh, lo, hi;
	int aho, bho;

	if (!value_set(a, &alo, &ahi, &aho, &ah) ||
	    !value_set(b, &blo, &bhi, &bho, &bh))
		return 1;
	lo = alo > blo ? alo : blo;
	hi = ahi < bhi ? ahi : bhi;
	if (lo > hi)
		return 1;
	/* Holes can empty an intersection of one or two values. */
	for (uint32_t x = lo;; x++) {
		if (!(aho && ah == x) && !(bho && bh == x))
			return 0;
		if (x == hi)
			return 1;
	}
}

/* SET a against EQ b with other masks: b fixes all of a's bits to 0. */
static int set_vs_eq(const struct dpf_atom *a, const struct dpf_atom *b)
{
	return a->cmp == DPF_SET && b->cmp == DPF_EQ && !(a->mask & ~b->mask) &&
	       !(b->value & a->mask);
}

/* Can no field value satisfy both a and b (same location)? */
static int disjoint(const struct dpf_atom *a, const struct dpf_atom *b)
{
	if (a->mask == b->mask)
		return same_mask_disjoint(a, b);
	if (a->cmp == DPF_EQ && b->cmp == DPF_EQ)
		return ((a->value ^ b->value) & a->mask & b->mask) != 0;
	return set_vs_eq(a, b) || set_vs_eq(b, a);
}

/* Does trie atom a (under the trie's current shifts) contradict Q? */
static int contradicts(const struct walk *w, const struct dpf_atom *a)
{
	struct ctx ca = canon(w->tshift, w->ntshift);

	for (uint32_t i = 0; i < w->nq; i++) {
		const struct dpf_atom *b = &w->q[i];

		if (b->op == DPF_OP_CMP &&
		    same_location(a, ca, b, w->qctx[i]) && disjoint(a, b))
			return 1;
	}
	return 0;
}

/* Q's EQ atom on group g's field, if any: it selects g's only candidate. */
static const struct dpf_atom *q_eq_on(const struct walk *w,
				      const struct dpf_group *g)
{
	struct ctx cg = canon(w->tshift, w->ntshift);

	for (uint32_t i = 0; i < w->nq; i++) {
		const struct dpf_atom *b = &w->q[i];

		if (dpf_atom_is_eq(b) && b->mask == g->key.mask &&
		    same_location(&g->key, cg, b, w->qctx[i]))
			return b;
	}
	return NULL;
}

#define SLOT_NEW 0            /* group not started */
#define SLOT_DONE 0xffffffffu /* group finished */

/* The next child of group g to consider; *slot keeps the place. */
static const struct dpf_node *next_in_group(const struct walk *w,
					    const struct dpf_group *g,
					    uint32_t *slot)
{
	if (*slot == SLOT_DONE)
		return NULL;
	if (*slot == SLOT_NEW) {
		const struct dpf_atom *b = q_eq_on(w, g);

		if (b) {
			*slot = SLOT_DONE;
			return dpf_map_get(&g->kids, b->value);
		}
		*slot = 1;
	}
	for (uint32_t s = *slot - 1; s < dpf_map_cap(&g->kids); s++) {
		if (g->kids.slots[s].used) {
			*slot = s + 2;
			return g->kids.slots[s].val;
		}
	}
	*slot = SLOT_DONE;
	return NULL;
}

/* Does node n end a path of another owner? */
static int other_accept(struct walk *w, const struct dpf_node *n)
{
	for (uint32_t i = 0; i < n->nacc; i++) {
		if (n->acc[i].owner != w->owner) {
			w->other_id = n->acc[i].id;
			w->other_owner = n->acc[i].owner;
			return 1;
		}
	}
	return 0;
}

/* Depth first from the root, with an explicit stack (a fixed, small use
 * of kernel stack): enter every child that Q does not contradict; 1 as
 * soon as an accept of another owner is reached. */
static int walk(struct walk *w, const struct dpf_node *root)
{
	int sp = 0;

	w->st[0].n = root;
	w->st[0].next = 0;
	w->st[0].slot = SLOT_NEW;
	w->st[0].shift = 0;
	if (other_accept(w, root))
		return 1;
	while (sp >= 0) {
		struct oframe *f = &w->st[sp];
		const struct dpf_node *n = f->n, *c;

		if (f->next < n->nedges) {
			c = n->edges[f->next++];
		} else if (f->next < n->nedges + n->ngroups) {
			c = next_in_group(w, n->groups[f->next - n->nedges],
					  &f->slot);
			if (!c) {
				if (f->slot == SLOT_DONE) {
					f->next++;
					f->slot = SLOT_NEW;
				}
				continue;
			}
		} else {
			w->ntshift -= f->shift;
			sp--;
			continue;
		}
		if (sp == DPF_MAX_ATOMS_PER_PATH ||  /* deeper than any path */
		    (c->atom.op == DPF_OP_CMP && contradicts(w, &c->atom)))
			continue;
		f = &w->st[++sp];
		f->n = c;
		f->next = 0;
		f->slot = SLOT_NEW;
		f->shift = c->atom.op != DPF_OP_CMP;
		if (f->shift)
			w->tshift[w->ntshift++] = &c->atom;
		if (other_accept(w, c))
			return 1;
	}
	return 0;
}

static void prepare(struct walk *w, const struct dpf_atom *q, uint32_t nq)
{
	uint32_t ns = 0;

	w->q = q;
	w->nq = nq;
	w->ntshift = 0;
	for (uint32_t i = 0; i < nq; i++) {
		w->qctx[i] = canon(w->qshift, ns);
		if (q[i].op != DPF_OP_CMP)
			w->qshift[ns++] = &q[i];
	}
}

int dpf_overlap_check(const struct dpf_trie *t, const struct dpf_filter *f,
		      uint32_t owner, struct dpf_error *err)
{
	/* About 4 KB of state: on the heap, not on a kernel stack. */
	struct walk *w = dpf_alloc(&t->env, sizeof(*w));
	const struct dpf_atom *q = f->atoms;
	int rc = 0;

	if (!w)
		return dpf_fail(err, DPF_E_NOMEM, -1, -1,
				"out of memory checking overlaps");
	w->owner = owner;
	for (int p = 0; p < f->npaths && !rc; q += f->natoms[p++]) {
		prepare(w, q, f->natoms[p]);
		if (walk(w, &t->root)) {
			rc = dpf_fail(err, DPF_E_OVERLAP, p, -1,
				      "could take packets of filter %u (owner "
				      "%u): no field on which the two provably "
				      "differ", w->other_id, w->other_owner);
			if (err)
				err->other_id = w->other_id;
		}
	}
	dpf_free(&t->env, w, sizeof(*w));
	return rc;
}
