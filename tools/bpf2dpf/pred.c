/*
 * Predicates on one packet field, in canonical form.
 *
 * A BPF jump tests A = (field & mask) >> rsh against k. We rewrite the test
 * on x = field & mask itself (mask has no bits below rsh), and bring it to
 * one of EQ, NE, GE, LE, SET with a value whose bits lie within the mask:
 * x only has bits of the mask, so "x > v" is "x >= the next value above v
 * made of mask bits", and so on. Tests that hold or fail for every x are
 * answered at once (B2D_TRUE / B2D_FALSE) and never become atoms; the rest
 * are canonical, which lets b2d_pred_decide compare them with the atoms
 * already on a path.
 */
#include "b2d_int.h"

uint32_t b2d_width_mask(uint8_t width)
{
	switch (width) {
	case DPF_W8: return 0xff;
	case DPF_W16: return 0xffff;
	default: return 0xffffffffu; /* DPF_W32, DPF_W_LEN */
	}
}

int b2d_field_eq(const struct b2d_field *x, const struct b2d_field *y)
{
	return x->anchor == y->anchor && x->width == y->width &&
	       x->off == y->off;
}

static int top_bit(uint32_t v)
{
	return 31 - __builtin_clz(v);
}

uint32_t b2d_next_fit(uint32_t v, uint32_t m, int *none)
{
	uint32_t bad = v & ~m, above, cand;
	int b, p;

	*none = 0;
	if (!bad)
		return v;
	/* Any y >= v made of mask bits must exceed v at a mask bit p above
	 * the highest bit b of v outside the mask, where v has a 0. */
	b = top_bit(bad);
	above = b == 31 ? 0 : ~((2u << b) - 1);
	cand = m & ~v & above;
	if (!cand) {
		*none = 1;
		return 0;
	}
	p = __builtin_ctz(cand);
	return (v & ~(uint32_t)((2ull << p) - 1)) | (1u << p);
}

uint32_t b2d_prev_fit(uint32_t v, uint32_t m)
{
	uint32_t bad = v & ~m;
	int b;

	if (!bad)
		return v;
	/* Keep v above its highest bad bit b, clear b, fill every mask bit
	 * below it. */
	b = top_bit(bad);
	return (v & ~(uint32_t)((2ull << b) - 1)) | (m & ((1u << b) - 1));
}

/* Canonicalize an ordered test "x op v" with op in GT, GE, LT, LE. */
static int canon_order(struct b2d_pred *p, uint8_t op, uint32_t v)
{
	int none;
	uint32_t m = p->mask;

	if (op == DPF_GT) {
		if (v == 0xffffffffu)
			return B2D_FALSE;
		op = DPF_GE, v++;
	} else if (op == DPF_LT) {
		if (v == 0)
			return B2D_FALSE;
		op = DPF_LE, v--;
	}
	if (op == DPF_GE) {
		v = b2d_next_fit(v, m, &none);
		if (none)
			return B2D_FALSE;
		if (v == 0)
			return B2D_TRUE;
		/* x <= m always, so x >= m says x == m: a hashable EQ. */
		p->op = v == m ? DPF_EQ : DPF_GE;
	} else {
		v = b2d_prev_fit(v, m);
		if (v == m)
			return B2D_TRUE;
		p->op = v == 0 ? DPF_EQ : DPF_LE;
	}
	p->value = v;
	return B2D_UNKNOWN;
}

int b2d_pred_make(const struct b2d_sym *a, unsigned jop, uint32_t k,
		  int negate, struct b2d_pred *p)
{
	uint64_t kk = (uint64_t)k << a->rsh;
	uint8_t op;

	p->f = a->f;
	p->mask = a->mask;
	p->value = 0;
	if (jop == BPF_JSET) {
		/* (x >> rsh) & k  ==  x & (k << rsh), shifted out bits are 0 */
		p->mask = a->mask & (uint32_t)kk;
		if (!p->mask)
			return negate ? B2D_TRUE : B2D_FALSE;
		p->op = negate ? DPF_EQ : DPF_SET;
		return B2D_UNKNOWN;
	}
	/* x = A << rsh exactly, so A op k is x op (k << rsh) for EQ, GT, GE
	 * (x is a multiple of 1 << rsh); a k that overflows is above every
	 * A. */
	if (kk > 0xffffffffu)
		return negate ? B2D_TRUE : B2D_FALSE;
	switch (jop) {
	case BPF_JEQ: op = negate ? DPF_NE : DPF_EQ; break;
	case BPF_JGT: op = negate ? DPF_LE : DPF_GT; break;
	default:      op = negate ? DPF_LT : DPF_GE; break; /* BPF_JGE */
	}
	if (op == DPF_EQ || op == DPF_NE) {
		if (kk & ~(uint64_t)p->mask)
			return op == DPF_EQ ? B2D_FALSE : B2D_TRUE;
		p->op = op;
		p->value = (uint32_t)kk;
		return B2D_UNKNOWN;
	}
	return canon_order(p, op, (uint32_t)kk);
}

static int eval(const struct b2d_pred *p, uint32_t x)
{
	x &= p->mask;
	switch (p->op) {
	case DPF_EQ: return x == p->value;
	case DPF_NE: return x != p->value;
	case DPF_GE: return x >= p->value;
	case DPF_LE: return x <= p->value;
	default:     return x != 0; /* DPF_SET */
	}
}

/* What the atoms on the path already say about p: B2D_TRUE (implied),
 * B2D_FALSE (contradicted) or B2D_UNKNOWN. Uses two facts: an EQ atom on a
 * superset mask fixes x; atoms on the same mask bound x to [lo, hi] minus
 * the NE values. */
int b2d_pred_decide(const struct b2d_state *st, const struct b2d_pred *p)
{
	uint32_t lo = 0, hi = p->mask, v = p->value;
	int ne_hit = 0, r;
	unsigned i;

	for (i = 0; i < st->natoms; i++) {
		const struct b2d_patom *q = &st->atoms[i];
		uint32_t qm = q->a.mask, qv = q->a.value;

		if (q->check || q->a.op != DPF_OP_CMP ||
		    !b2d_field_eq(&q->f, &p->f))
			continue;
		if (q->a.cmp == DPF_EQ && !(p->mask & ~qm))
			return eval(p, qv) ? B2D_TRUE : B2D_FALSE;
		if (p->op == DPF_EQ && !(qm & ~p->mask)) {
			struct b2d_pred qp = { q->f, qm, q->a.cmp, qv };

			/* p fixes x & qm: an atom it contradicts */
			if (!eval(&qp, v))
				return B2D_FALSE;
		}
		if (qm != p->mask)
			continue;
		switch (q->a.cmp) {
		case DPF_GE: lo = qv > lo ? qv : lo; break;
		case DPF_LE: hi = qv < hi ? qv : hi; break;
		case DPF_SET: lo = lo ? lo : 1; break;
		case DPF_NE:
			if (qv == 0 && !lo)
				lo = 1;
			if ((p->op == DPF_EQ || p->op == DPF_NE) && qv == v)
				ne_hit = 1;
			if (p->op == DPF_SET && qv == 0)
				ne_hit = 1;
			break;
		}
	}
	switch (p->op) {
	case DPF_EQ:
		if (ne_hit || v < lo || v > hi)
			return B2D_FALSE;
		return lo == hi ? B2D_TRUE : B2D_UNKNOWN;
	case DPF_NE:
		if (ne_hit || v < lo || v > hi)
			return B2D_TRUE;
		return lo == hi ? B2D_FALSE : B2D_UNKNOWN;
	case DPF_GE:
		r = lo >= v ? B2D_TRUE : hi < v ? B2D_FALSE : B2D_UNKNOWN;
		return r;
	case DPF_LE:
		return hi <= v ? B2D_TRUE : lo > v ? B2D_FALSE : B2D_UNKNOWN;
	default: /* DPF_SET: x != 0 */
		if (ne_hit || lo >= 1)
			return B2D_TRUE;
		return hi == 0 ? B2D_FALSE : B2D_UNKNOWN;
	}
}
