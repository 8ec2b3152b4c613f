/*
 * Arithmetic on symbolic values. Constants fold. A packet field may be
 * masked (`and #k`) or shifted right (`rsh #k`, `div #2^n`) and stays a
 * comparable field; adding a constant, shifting left or multiplying by a
 * power of two turns it into a header offset, usable as X in `ld [x+k]`
 * (DPF SHIFT: ((field & mask) << shift) + value). Anything else would need
 * arithmetic DPF atoms do not have, and is refused with the reason.
 */
#include <string.h>

#include "b2d_int.h"

static int fold(uint32_t *a, uint32_t k, unsigned op)
{
	switch (op) {
	case BPF_ADD: *a += k; break;
	case BPF_SUB: *a -= k; break;
	case BPF_MUL: *a *= k; break;
	case BPF_DIV: if (!k) return -1; *a /= k; break;
	case BPF_MOD: if (!k) return -1; *a %= k; break;
	case BPF_OR:  *a |= k; break;
	case BPF_AND: *a &= k; break;
	case BPF_XOR: *a ^= k; break;
	case BPF_LSH: *a = k < 32 ? *a << k : 0; break;
	case BPF_RSH: *a = k < 32 ? *a >> k : 0; break;
	case BPF_NEG: *a = -*a; break;
	}
	return 0;
}

static int log2_exact(uint32_t k)
{
	return k && !(k & (k - 1)) ? __builtin_ctz(k) : -1;
}

static void make_const(struct b2d_sym *a, uint32_t k)
{
	memset(a, 0, sizeof(*a));
	a->kind = SYM_CONST;
	a->k = k;
}

/* (f & mask) >> rsh, shifted right by k more. */
static void field_rsh(struct b2d_sym *a, uint32_t k)
{
	unsigned total = a->rsh + k;

	if (total >= 32) {
		make_const(a, 0);
		return;
	}
	a->mask &= ~(uint32_t)((1ull << total) - 1);
	a->rsh = (uint8_t)total;
	if (!a->mask)
		make_const(a, 0);
}

/* field op k, or header offset op k. */
static int with_const(struct b2d_sym *a, uint32_t k, unsigned op,
		      const char **why)
{
	int sh = log2_exact(k);
	struct b2d_desc d;

	if (a->kind == SYM_BASE) {
		if (op == BPF_ADD && (uint64_t)a->d.value + k < DPF_MAX_BASE) {
			a->d.value += k;
			return 0;
		}
		if (op == BPF_SUB && a->d.value >= k) {
			a->d.value -= k;
			return 0;
		}
		*why = "arithmetic on a computed header offset";
		return -1;
	}
	if ((op == BPF_ADD || op == BPF_SUB || op == BPF_OR ||
	     op == BPF_XOR || op == BPF_LSH || op == BPF_RSH) && k == 0)
		return 0;
	if (op == BPF_AND) {
		a->mask &= (uint32_t)((uint64_t)k << a->rsh);
		if (!a->mask)
			make_const(a, 0);
		return 0;
	}
	if (op == BPF_RSH || (op == BPF_DIV && sh >= 0)) {
		field_rsh(a, op == BPF_RSH ? k : (uint32_t)sh);
		return 0;
	}
	if (op == BPF_MUL && sh >= 0)
		op = BPF_LSH, k = (uint32_t)sh;
	if ((op == BPF_LSH || op == BPF_ADD) && !a->rsh &&
	    a->f.width != DPF_W_LEN && (op == BPF_ADD || k <= DPF_MAX_SHIFT)) {
		memset(&d, 0, sizeof(d));
		d.f = a->f;
		d.mask = a->mask;
		d.shift = op == BPF_LSH ? (uint8_t)k : 0;
		d.value = op == BPF_ADD ? k : 0;
		memset(a, 0, sizeof(*a));
		a->kind = SYM_BASE;
		a->d = d;
		return 0;
	}
	*why = "arithmetic on a packet field";
	return -1;
}

int b2d_alu(struct b2d_sym *a, const struct b2d_sym *src, unsigned op,
	    const char **why)
{
	struct b2d_sym t;

	*why = NULL;
	if (op == BPF_NEG) {
		if (a->kind == SYM_CONST)
			return fold(&a->k, 0, op);
		*why = "negation of a packet field";
		return -1;
	}
	if (a->kind == SYM_CONST && src->kind == SYM_CONST)
		return fold(&a->k, src->k, op);
	if (src->kind == SYM_CONST)
		return with_const(a, src->k, op, why);
	if (a->kind == SYM_CONST && op == BPF_ADD) { /* k + field: commute */
		t = *src;
		if (with_const(&t, a->k, op, why) < 0)
			return -1;
		*a = t;
		return 0;
	}
	*why = "arithmetic on two packet fields";
	return -1;
}
