/*
 * The atoms of one path under construction.
 *
 * Atoms are appended as the walker meets loads and jumps, each with a key
 * (the event of the load it tests, then a sequence number) and put in key
 * order when the path is finished. Loads get a bounds-check atom at once;
 * it is dropped at the end if another atom reads the same field anyway.
 */
#include <string.h>

#include "b2d_int.h"

static struct b2d_patom *new_atom(struct b2d_state *st, uint16_t event,
				  const char **why)
{
	struct b2d_patom *q;

	if (st->natoms == B2D_WORK_ATOMS) {
		*why = "too many atoms on one path";
		return NULL;
	}
	q = &st->atoms[st->natoms++];
	memset(q, 0, sizeof(*q));
	q->key = (uint32_t)event << 16 | st->seq++;
	return q;
}

static void set_field(struct b2d_patom *q, const struct b2d_field *f)
{
	q->f = *f;
	q->a.width = f->width;
	q->a.offset = f->off;
	q->a.flags = f->anchor != B2D_NO_ANCHOR ? DPF_F_REL : 0;
}

/* An always-true compare on f: it fails the path only when f is not inside
 * the packet, which is what a BPF load does. */
int b2d_path_check(struct b2d_state *st, const struct b2d_field *f,
		   uint16_t event, const char **why)
{
	struct b2d_patom *q;

	if (f->width == DPF_W_LEN)
		return 0;
	q = new_atom(st, event, why);
	if (!q)
		return -1;
	set_field(q, f);
	q->check = 1;
	q->a.op = DPF_OP_CMP;
	q->a.mask = b2d_width_mask(f->width);
	q->a.cmp = DPF_LE;
	q->a.value = q->a.mask;
	return 0;
}

/* Does p make atom q (on the same field) redundant? An EQ covers every
 * atom whose mask lies within its own (b2d_pred_decide has checked that
 * they agree); a bound covers a weaker bound on the same mask. */
static int implies(const struct b2d_pred *p, const struct dpf_atom *q)
{
	if (p->op == DPF_EQ)
		return !(q->mask & ~p->mask);
	if (q->mask != p->mask || q->cmp != p->op)
		return 0;
	return (p->op == DPF_GE && q->value <= p->value) ||
	       (p->op == DPF_LE && q->value >= p->value);
}

/* Append p (which the path does not decide), dropping the atoms it makes
 * redundant. */
int b2d_path_pred(struct b2d_state *st, const struct b2d_pred *p,
		  uint16_t event, const char **why)
{
	struct b2d_patom *q;
	unsigned i, j;

	for (i = j = 0; i < st->natoms; i++) {
		q = &st->atoms[i];
		if (!q->check && q->a.op == DPF_OP_CMP &&
		    b2d_field_eq(&q->f, &p->f) && implies(p, &q->a))
			continue;
		st->atoms[j++] = *q;
	}
	st->natoms = j;
	q = new_atom(st, event, why);
	if (!q)
		return -1;
	set_field(q, &p->f);
	q->a.op = DPF_OP_CMP;
	q->a.cmp = p->op;
	q->a.mask = p->mask;
	q->a.value = p->value;
	return 0;
}

static int desc_eq(const struct b2d_desc *x, const struct b2d_desc *y)
{
	return b2d_field_eq(&x->f, &y->f) && x->mask == y->mask &&
	       x->shift == y->shift && x->value == y->value;
}

/* Make d the base in force (emitting a SHIFT if it is not) and return its
 * descriptor index in *anchor, for fields read relative to it. */
int b2d_path_base(struct b2d_state *st, const struct b2d_desc *d,
		  int16_t *anchor, const char **why)
{
	struct b2d_patom *q;
	int16_t i;

	for (i = 0; i < st->ndesc; i++)
		if (desc_eq(&st->desc[i], d))
			break;
	if (i < st->ndesc && i == st->cur_base) {
		*anchor = i;
		return 0;
	}
	if (d->f.anchor != B2D_NO_ANCHOR && d->f.anchor != st->cur_base) {
		*why = "header offset read relative to a base no longer "
		       "in force";
		return -1;
	}
	if (d->shift > DPF_MAX_SHIFT || d->value >= DPF_MAX_BASE) {
		*why = "header offset scale or constant beyond DPF's limits";
		return -1;
	}
	if (i == st->ndesc) {
		if (st->ndesc == B2D_MAX_DESCS) {
			*why = "too many distinct header offsets on one path";
			return -1;
		}
		st->desc[st->ndesc++] = *d;
	}
	q = new_atom(st, st->next_event++, why);
	if (!q)
		return -1;
	set_field(q, &d->f);
	q->a.op = DPF_OP_SHIFT;
	q->a.mask = d->mask;
	q->a.shift = d->shift;
	q->a.value = d->value;
	st->cur_base = i;
	*anchor = i;
	return 0;
}

static int reads_field_elsewhere(const struct b2d_state *st, unsigned c)
{
	const struct b2d_patom *q = &st->atoms[c];
	unsigned i;

	for (i = 0; i < st->natoms; i++) {
		const struct b2d_patom *o = &st->atoms[i];

		if (i == c || !b2d_field_eq(&o->f, &q->f))
			continue;
		if (!o->check || i < c) /* a real atom, or an earlier check */
			return 1;
	}
	return 0;
}

/* Drop redundant checks, order by key, copy out. Returns the atom count. */
int b2d_path_finish(struct b2d_state *st, struct dpf_atom *out,
		    unsigned cap, const char **why)
{
	struct b2d_patom keep[B2D_WORK_ATOMS], t;
	unsigned i, j, n = 0;

	for (i = 0; i < st->natoms; i++)
		if (!st->atoms[i].check || !reads_field_elsewhere(st, i))
			keep[n++] = st->atoms[i];
	for (i = 1; i < n; i++) /* insertion sort: n is small, keys unique */
		for (j = i; j > 0 && keep[j - 1].key > keep[j].key; j--)
			t = keep[j], keep[j] = keep[j - 1], keep[j - 1] = t;
	if (n > cap) {
		*why = "a path needs more atoms than DPF_MAX_ATOMS_PER_PATH";
		return -1;
	}
	for (i = 0; i < n; i++)
		out[i] = keep[i].a;
	return (int)n;
}
