/*
 * The code of one atom: the bounds check of its field, the load (raw or
 * numeric form, see jit_int.h), the test, the move of the base; shared by
 * edges, SMALL groups (jit_node.c) and shared chains (jit_table.c).
 */
#include "jit_int.h"

/* Jump to fail unless the bytes [off, end) are captured, off relative
 * to the base with rel. 32-bit arithmetic: base + end < 2^25 (the
 * verifier's bound), and only esi, never rsi, is read. An absolute check
 * that one before it on every way here implies is left out. */
void emit_bounds(struct jc *c, int rel, uint32_t end, uint32_t fail)
{
	struct jit_buf *b = &c->b;

	if (!rel && end <= c->abs_ok)
		return;
	if (rel) {
		x64_lea(b, 0, R_X, R_BASE, -1, (int32_t)end); /* lea ecx, [r8+end] */
		x64_cmp_rr32(b, R_X, R_CAP);            /* cmp ecx, esi      */
		x64_jcc(b, CC_A, fail);                 /* ja fail           */
	} else {
		x64_alu_ri32(b, ALU_CMP, R_CAP, end);   /* cmp esi, end      */
		x64_jcc(b, CC_B, fail);                 /* jb fail           */
		c->abs_ok = end;  /* for the code this check dominates */
	}
}

/* R_X = (field of a) & mask, in a's form (jit_raw_form); its bytes must
 * be known to be captured. */
void emit_load(struct jit_buf *b, const struct dpf_atom *a)
{
	int raw = jit_raw_form(a);
	int index = (a->flags & DPF_F_REL) ? R_BASE : -1;

	if (a->width == DPF_W_LEN)
		x64_mov_rr32(b, R_X, R_WIRE);               /* mov ecx, edx */
	else if (raw)                       /* ecx = [rdi(+r8)+off], raw */
		x64_load_le(b, a->width, R_X, R_PKT, index, (int32_t)a->offset);
	else                                /* ecx = [rdi(+r8)+off], numeric */
		x64_load_be(b, a->width, R_X, R_PKT, index, (int32_t)a->offset);
	if (a->mask != dpf_width_mask(a->width))     /* and ecx, mask */
		x64_alu_ri32(b, ALU_AND, R_X,
			     raw ? jit_raw(a->width, a->mask) : a->mask);
}

/* R_X = the field of a, or jump to fail if it is not captured. */
void emit_field(struct jc *c, const struct dpf_atom *a,
		       uint32_t fail)
{
	if (a->width != DPF_W_LEN)
		emit_bounds(c, a->flags & DPF_F_REL, a->offset + a->width, fail);
	emit_load(&c->b, a);
}

/* Jump to fail unless (R_X <cmp> value), R_X in a's form. */
void emit_test(struct jit_buf *b, const struct dpf_atom *a,
		      uint32_t fail)
{
	static const uint8_t negate[] = {
		[DPF_EQ] = CC_NE, [DPF_NE] = CC_E, [DPF_LT] = CC_AE,
		[DPF_LE] = CC_A, [DPF_GT] = CC_BE, [DPF_GE] = CC_B,
	};
	uint32_t v = jit_raw_form(a) ? jit_raw(a->width, a->value) : a->value;

	if (a->cmp == DPF_SET) {
		x64_test_rr(b, 0, R_X, R_X);            /* test ecx, ecx     */
		x64_jcc(b, CC_E, fail);                 /* jz fail           */
		return;
	}
	x64_alu_ri32(b, ALU_CMP, R_X, v);               /* cmp ecx, value    */
	x64_jcc(b, (enum x86_cc)negate[a->cmp], fail);
}

/* Jump to fail unless the field of a (captured) equals value, with one
 * compare: a whole field in memory against the immediate; a masked one
 * loaded, where the and already sets ZF for value 0. With ne, jump to
 * fail if it does equal. */
void emit_eq(struct jit_buf *b, const struct dpf_atom *a,
		    uint32_t value, int ne, uint32_t fail)
{
	int whole = a->mask == dpf_width_mask(a->width);

	if (a->width != DPF_W_LEN && whole) {
		/* cmp byte/word/dword [rdi(+r8)+off], value (raw form) */
		x64_cmp_mi(b, a->width, R_PKT,
			   (a->flags & DPF_F_REL) ? R_BASE : -1,
			   (int32_t)a->offset, jit_raw(a->width, value));
	} else {
		emit_load(b, a);
		if (whole || value)                 /* cmp ecx, value */
			x64_alu_ri32(b, ALU_CMP, R_X,
				     jit_raw(a->width, value));
	}
	x64_jcc(b, ne ? CC_E : CC_NE, fail);
}

/* The new base of a SHIFT (its masked field in R_X) or ADVANCE atom. */
void emit_move(struct jit_buf *b, const struct dpf_atom *a)
{
	int rel = a->flags & DPF_F_REL;

	if (a->op == DPF_OP_SHIFT) {
		if (a->shift)
			x64_shift_ri32(b, SH_SHL, R_X, a->shift); /* shl ecx, s */
		if (rel)        /* lea r8d, [r8 + rcx + value] */
			x64_lea(b, 0, R_BASE, R_BASE, R_X, (int32_t)a->value);
		else            /* lea r8d, [rcx + value] */
			x64_lea(b, 0, R_BASE, R_X, -1, (int32_t)a->value);
	} else if (rel) {       /* lea r8d, [r8 + value] */
		x64_lea(b, 0, R_BASE, R_BASE, -1, (int32_t)a->value);
	} else {
		x64_mov_ri32(b, R_BASE, a->value);      /* mov r8d, value    */
	}
}
