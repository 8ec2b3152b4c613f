/*
 * Translation of the trie into x86-64, split by what is being compiled: a
 * node (its accept, then its edges and groups), a generic edge, and hash
 * groups (TABLE: probe, shared chain, children's own code; SMALL; see
 * jit.c). Each function emits straight-line code that falls through to
 * its end; a failed test jumps forward to the end of its edge or group.
 */
#include "jit_int.h"

static void emit_node(struct jc *c, const struct dpf_node *n);

/* best = max(best, key) */
static void emit_accept(struct jit_buf *b, uint64_t key)
{
	x64_mov_ri64(b, R_TMP, key);          /* mov rax, key         */
	x64_cmp_rr64(b, R_TMP, R_BEST);       /* cmp rax, r9          */
	x64_cmov64(b, CC_A, R_BEST, R_TMP);   /* cmova r9, rax        */
}

/* Jump to fail unless the bytes [off, end) are captured, off relative
 * to the base with rel. 32-bit arithmetic: base + end < 2^25 (the
 * verifier's bound), and only esi, never rsi, is read. An absolute check
 * that one before it on every way here implies is left out. */
static void emit_bounds(struct jc *c, int rel, uint32_t end, uint32_t fail)
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
static void emit_load(struct jit_buf *b, const struct dpf_atom *a)
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
static void emit_field(struct jc *c, const struct dpf_atom *a,
		       uint32_t fail)
{
	if (a->width != DPF_W_LEN)
		emit_bounds(c, a->flags & DPF_F_REL, a->offset + a->width, fail);
	emit_load(&c->b, a);
}

/* Jump to fail unless (R_X <cmp> value), R_X in a's form. */
static void emit_test(struct jit_buf *b, const struct dpf_atom *a,
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
static void emit_eq(struct jit_buf *b, const struct dpf_atom *a,
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
static void emit_move(struct jit_buf *b, const struct dpf_atom *a)
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

/* A generic edge: test the child's atom, then the child's code. */
static void emit_edge(struct jc *c, const struct dpf_node *child)
{
	struct jit_buf *b = &c->b;
	const struct dpf_atom *a = &child->atom;
	uint32_t fail = x64_label_new(b, 1), abs_ok = c->abs_ok;

	if (a->op == DPF_OP_CMP && a->cmp == DPF_NE && a->width != DPF_W_LEN) {
		emit_bounds(c, a->flags & DPF_F_REL, a->offset + a->width, fail);
		emit_eq(b, a, a->value, 1, fail);
		emit_node(c, child);
	} else if (a->op == DPF_OP_CMP) {
		emit_field(c, a, fail);
		emit_test(b, a, fail);
		emit_node(c, child);
	} else {
		if (a->op == DPF_OP_SHIFT)
			emit_field(c, a, fail);
		x64_push(b, R_BASE);                    /* push r8           */
		emit_move(b, a);
		emit_node(c, child);
		x64_pop(b, R_BASE);                     /* pop r8            */
	}
	x64_label_bind(b, fail);
	c->abs_ok = abs_ok;      /* the checks above do not dominate past fail */
}

/* eax = the offset of R_X's home slot in table t, r10 = the table,
 * r11d = the offset of the slot after it. */
static void emit_hash(struct jc *c, const struct gtab *t)
{
	struct jit_buf *b = &c->b;
	uint32_t wrap = ((1u << t->bits) - 1) << t->esize_log2;

	x64_lea_rip(b, R_TAB, c->data_start + t->off); /* lea r10, [rip+table] */
	x64_imul_ri32(b, R_TMP, R_X, DPF_HASH_MUL);  /* imul eax, ecx, K    */
	/* shr eax, 32-bits; shl eax, log2(entry size): the entry's offset */
	x64_shift_ri32(b, SH_SHR, R_TMP, (uint8_t)(32 - t->bits));
	x64_shift_ri32(b, SH_SHL, R_TMP, t->esize_log2);
	/* lea r11d, [rax+esize]; and r11d, wrap */
	x64_lea(b, 0, R_TMP2, R_TMP, -1, (int32_t)(1u << t->esize_log2));
	x64_alu_ri32(b, ALU_AND, R_TMP2, wrap);
}

/* rax = the slot after it, wrapping */
static void emit_step(struct jit_buf *b, const struct gtab *t)
{
	x64_alu_ri32(b, ALU_ADD, R_TMP, 1u << t->esize_log2); /* add eax, esize */
	x64_alu_ri32(b, ALU_AND, R_TMP,
		      ((1u << t->bits) - 1) << t->esize_log2); /* and eax, wrap */
}

/* Find R_X in table t: on a hit R_TAB + R_TMP is the entry, whose
 * second word is never 0; an empty slot (second word 0) is a miss.
 * Most values are at their home slot or the one after it (linear
 * probing, at most a quarter full): a cmov picks between the two, so the
 * common case has one well-predicted branch whichever slot it is. The
 * tables are built once per image, with no deletions, so a value whose
 * home slot is empty is absent, and stepping on from the second slot
 * meets only other values before an empty slot. */
static void emit_probe(struct jc *c, const struct gtab *t, uint32_t miss)
{
	struct jit_buf *b = &c->b;
	uint32_t loop = x64_label_new(b, 3), next = loop + 1, found = loop + 2;

	emit_hash(c, t);
	x64_cmp_rm(b, DPF_W32, R_X, R_TAB, R_TMP, 0); /* cmp ecx, [r10+rax] */
	x64_cmov64(b, CC_NE, R_TMP, R_TMP2);     /* cmovne rax, r11       */
	x64_label_bind(b, loop);
	x64_cmp_rm(b, DPF_W32, R_X, R_TAB, R_TMP, 0); /* cmp ecx, [r10+rax] */
	x64_jcc(b, CC_NE, next);                 /* jne next              */
	x64_cmp_mi32(b, R_TAB, R_TMP, 4, 0);     /* cmp dword [r10+rax+4], 0 */
	x64_jcc(b, CC_NE, found);                /* jne found (in use)    */
	x64_jmp(b, miss);                        /* jmp miss (value 0, empty) */
	x64_label_bind(b, next);
	x64_cmp_mi32(b, R_TAB, R_TMP, 4, 0);     /* cmp dword [r10+rax+4], 0 */
	x64_jcc(b, CC_E, miss);                  /* je miss (empty slot)  */
	emit_step(b, t);
	x64_jmp(b, loop);                        /* jmp loop              */
	x64_label_bind(b, found);
}

/* The end of the furthest field that atoms i.. of a chain read from the
 * same base as atom i: with rel, up to the next move of the base; without,
 * every absolute field of the chain. 0 if there is none. */
static uint32_t chain_end(const struct dpf_shape *s, uint32_t i, int rel)
{
	uint32_t end = 0;

	for (; i < s->natoms; i++) {
		const struct dpf_atom *a = &s->atoms[i];

		if (a->op != DPF_OP_ADVANCE && a->width != DPF_W_LEN &&
		    !(a->flags & DPF_F_REL) == !rel &&
		    a->offset + a->width > end)
			end = a->offset + a->width;
		if (rel && a->op != DPF_OP_CMP)
			break;                  /* the base moves */
	}
	return end;
}

/* Atoms i.. of a chain that compare as one field: EQ atoms on whole
 * fields, read the same way at consecutive offsets, 2 or 4 bytes in all.
 * Their packed values are consecutive too, in the same byte order, so
 * one raw load and compare serves them all (a TCP port pair). Returns
 * how many (at least 1), *f the fused atom. */
static uint32_t fuse(const struct dpf_shape *s, uint32_t i,
		     struct dpf_atom *f)
{
	uint32_t n = 1, best = 1, w;

	*f = s->atoms[i];
	if (!dpf_atom_is_eq(f) || f->width == DPF_W_LEN ||
	    f->mask != dpf_width_mask(f->width))
		return 1;
	for (w = f->width; i + n < s->natoms; n++) {
		const struct dpf_atom *a = &s->atoms[i + n];

		if (!dpf_atom_is_eq(a) || a->width == DPF_W_LEN ||
		    a->mask != dpf_width_mask(a->width) ||
		    a->flags != f->flags || a->offset != f->offset + w ||
		    w + a->width > 4)
			break;
		w += a->width;
		if (w == 2 || w == 4)
			best = n + 1;
	}
	for (w = 0, n = 0; n < best; n++)
		w += s->atoms[i + n].width;
	f->width = (uint8_t)w;
	f->mask = dpf_width_mask(f->width);
	return best;
}

/*
 * The shared chain of a TABLE group, against the flat entry at r10: EQ
 * atoms compare with the entry's packed values; other atoms test or move
 * the base as anywhere else, and a failed one jumps to done. Then the
 * accept: its path length is the group's, the id is the entry's.
 *
 * The chain accepts only at its end, so it accepts iff every field it
 * reads is captured and every test holds: one bounds check covers all
 * its absolute fields (abs_done: already checked), one each run of
 * relative fields between two moves of the base.
 *
 * With branch set, a differing EQ value jumps to done. Without, the
 * chain runs the same instructions whether the entry matches or not: r11
 * holds the entry's id (0 for an empty slot, a miss), a differing EQ
 * value clears it (cmov from rax, kept 0: bounds checks use rcx), and
 * the accept counts only when it is non-zero.
 * No branch then depends on the table's contents.
 */
static void emit_shared_chain(struct jc *c, const struct ginfo *gi,
			      uint32_t done, int branch, int abs_done)
{
	struct jit_buf *b = &c->b;
	const struct dpf_shape *s = gi->shape;
	int32_t eq = FLAT_EQ;
	uint32_t end = abs_done ? 0 : chain_end(s, 0, 0), n;
	int rel_checked = 0;

	if (end)
		emit_bounds(c, 0, end, done);
	if (!branch)  /* nothing below writes rax before the accept */
		x64_xor_rr32(b, R_TMP, R_TMP);   /* xor eax, eax: a zero  */
	for (uint32_t i = 0; i < s->natoms; i += n) {
		struct dpf_atom a;

		n = fuse(s, i, &a);
		if ((a.flags & DPF_F_REL) && a.op != DPF_OP_ADVANCE &&
		    !rel_checked) {
			emit_bounds(c, 1, chain_end(s, i, 1), done);
			rel_checked = 1;
		}
		if (a.op != DPF_OP_ADVANCE)
			emit_load(b, &a);
		if (dpf_atom_is_eq(&a)) {
			/* cmp cl/cx/ecx, [r10+eq] (the field's width) */
			x64_cmp_rm(b, a.width ? a.width : DPF_W32, R_X, R_TAB,
				   -1, eq);
			if (branch)
				x64_jcc(b, CC_NE, done);  /* jne done */
			else      /* cmovne r11, rax (0) */
				x64_cmov64(b, CC_NE, R_TMP2, R_TMP);
			eq += (int32_t)(a.width ? a.width : 4);
		} else if (a.op == DPF_OP_CMP) {
			emit_test(b, &a, done);
		} else {
			emit_move(b, &a);
			rel_checked = 0;                 /* a new base */
		}
	}
	if (branch)   /* mov r11d, [r10+4] (the id) */
		x64_load_rm32(b, R_TMP2, R_TAB, -1, FLAT_ID);
	x64_mov_rr32(b, R_TMP, R_TMP2);          /* mov eax, r11d         */
	x64_not32(b, R_TMP);                     /* not eax: the key's low half */
	x64_mov_ri64(b, R_X, (uint64_t)gi->len << 32); /* mov rcx, len << 32 */
	x64_add_rr64(b, R_TMP, R_X);             /* add rax, rcx: the key */
	if (!branch) {
		x64_test_rr(b, 0, R_TMP2, R_TMP2);   /* test r11d, r11d       */
		x64_cmov64(b, CC_E, R_TMP, R_TMP2);  /* cmovz rax, r11 (0: none) */
	}
	x64_cmp_rr64(b, R_TMP, R_BEST);          /* cmp rax, r9           */
	x64_cmov64(b, CC_A, R_BEST, R_TMP);      /* cmova r9, rax         */
}

/*
 * A TABLE group whose children all share the chain: no branch on what
 * the table holds, so a miss costs what a hit costs. The candidate slot
 * is the home slot if it holds R_X, else the next one; only when that one
 * holds another value does the probe go on, in a cold block after the
 * function's ret (emit_cold). The candidate, matching or empty, then
 * feeds the chain (emit_shared_chain, branch 0).
 */
static void emit_flat(struct jc *c, struct ginfo *gi, uint32_t done)
{
	struct jit_buf *b = &c->b;
	const struct dpf_atom *key = &gi->g->key;
	uint32_t end = chain_end(gi->shape, 0, 0);

	gi->lab_slow = x64_label_new(b, 2);
	gi->lab_entry = gi->lab_slow + 1;
	/* Every absolute field, the key's too, with one check (see
	 * emit_shared_chain): only the chain's children are here. */
	if (key->width != DPF_W_LEN && !(key->flags & DPF_F_REL) &&
	    key->offset + key->width > end)
		end = key->offset + key->width;
	if (end)
		emit_bounds(c, 0, end, done);
	if (key->flags & DPF_F_REL)
		emit_field(c, key, done);
	else
		emit_load(b, key);
	emit_hash(c, &gi->flat);
	x64_cmp_rm(b, DPF_W32, R_X, R_TAB, R_TMP, 0); /* cmp ecx, [r10+rax] */
	x64_cmov64(b, CC_NE, R_TMP, R_TMP2);     /* cmovne rax, r11       */
	/* r11d = value differs ? -1 : 0, and the slot is in use: go on */
	x64_load_rm32(b, R_TMP2, R_TAB, R_TMP, 0); /* mov r11d, [r10+rax] */
	x64_xor_rr32(b, R_TMP2, R_X);            /* xor r11d, ecx         */
	x64_neg32(b, R_TMP2);                    /* neg r11d (CF = differs) */
	x64_sbb_rr32(b, R_TMP2, R_TMP2);         /* sbb r11d, r11d        */
	x64_and_rm32(b, R_TMP2, R_TAB, R_TMP, 4); /* and r11d, [r10+rax+4] */
	x64_jcc(b, CC_NE, gi->lab_slow);         /* jnz slow              */
	x64_label_bind(b, gi->lab_entry);
	x64_lea(b, 1, R_TAB, R_TAB, R_TMP, 0);   /* lea r10, [r10+rax]    */
	x64_load_rm32(b, R_TMP2, R_TAB, -1, FLAT_ID); /* mov r11d, [r10+4] (id) */
	emit_shared_chain(c, gi, done, 0, 1);
}

/* The cold block of a flat group: step until the value or an empty
 * slot, then back to the chain. */
static void emit_cold(struct jc *c, const struct ginfo *gi)
{
	struct jit_buf *b = &c->b;

	x64_label_bind(b, gi->lab_slow);
	emit_step(b, &gi->flat);
	x64_cmp_rm(b, DPF_W32, R_X, R_TAB, R_TMP, 0); /* cmp ecx, [r10+rax] */
	x64_jcc(b, CC_E, gi->lab_entry);         /* je entry              */
	x64_cmp_mi32(b, R_TAB, R_TMP, 4, 0);     /* cmp dword [r10+rax+4], 0 */
	x64_jcc(b, CC_NE, gi->lab_slow);         /* jne slow              */
	x64_jmp(b, gi->lab_entry);               /* jmp entry (empty: a miss) */
}

/* The children with code of their own: the jump table's entry at
 * r10 + rax holds the offset of that code in the image. */
static void emit_code_kids(struct jc *c, struct ginfo *gi, uint32_t done)
{
	struct jit_buf *b = &c->b;

	emit_probe(c, &gi->jump, done);
	x64_load_rm32(b, R_TMP, R_TAB, R_TMP, 4); /* mov eax, [r10+rax+4]  */
	x64_lea_rip(b, R_TMP2, 0);                /* lea r11, [rip+image]  */
	x64_add_rr64(b, R_TMP, R_TMP2);           /* add rax, r11          */
	x64_jmp_reg(b, R_TMP);                    /* jmp rax               */
	gi->lab0 = x64_label_new(b, gi->ncode);
	for (uint32_t i = 0, abs_ok = c->abs_ok; i < gi->ncode; i++) {
		c->abs_ok = abs_ok;                 /* each child on its own */
		x64_label_bind(b, gi->lab0 + i);
		emit_node(c, gi->code[i]);
		if (i + 1 < gi->ncode)            /* the last falls through */
			x64_jmp(b, done);         /* jmp done              */
	}
}

/* TABLE: the field, then a probe of the flat table (the shared chain);
 * a value not there may be a child with code of its own. */
static void emit_table(struct jc *c, struct ginfo *gi, uint32_t done)
{
	struct jit_buf *b = &c->b;
	uint32_t own, abs_ok;

	if (gi->shape && !gi->ncode) {
		emit_flat(c, gi, done);
		return;
	}
	own = gi->shape && gi->ncode ? x64_label_new(b, 1) : done;
	emit_field(c, &gi->g->key, done);
	abs_ok = c->abs_ok;
	if (gi->shape) {
		emit_probe(c, &gi->flat, own);
		x64_lea(b, 1, R_TAB, R_TAB, R_TMP, 0);    /* lea r10, [r10+rax] */
		emit_shared_chain(c, gi, done, 1, 0);
		if (!gi->ncode)
			return;
		x64_jmp(b, done);                         /* jmp done      */
		x64_label_bind(b, own);
		c->abs_ok = abs_ok;     /* the chain's checks are not on this way */
	}
	emit_code_kids(c, gi, done);
}

/*
 * The furthest absolute field a packet must have captured to be accepted
 * anywhere below the single-child SMALL group g: its key, and along the
 * run of nodes below that do nothing but lead to one more group (no
 * accept, no edge), those groups' keys; and if the run ends at a TABLE
 * of shared chains only, the chain's fields. One bounds check for all of
 * them is exact: every accept below needs them all. 0 if none.
 */
static uint32_t key_end(const struct dpf_group *g, uint32_t end)
{
	const struct dpf_atom *k = &g->key;

	if (k->width == DPF_W_LEN || (k->flags & DPF_F_REL))
		return end;
	return k->offset + k->width > end ? k->offset + k->width : end;
}

static uint32_t run_end(const struct jc *c, const struct dpf_group *g)
{
	uint32_t idx = c->cur, end = key_end(g, 0);
	const struct dpf_node *n;
	const struct ginfo *gi;

	while (g->kids.n == 1) {
		n = dpf_only_kid(g);
		if (n->nacc || n->nedges || n->ngroups != 1 || idx >= c->ngi)
			break;
		g = n->groups[0];
		gi = &c->gi[idx++];       /* emission order: n's group is next */
		if (gi->g != g)
			break;
		end = key_end(g, end);
		if (gi->kind == G_TABLE) {
			if (gi->shape && !gi->ncode &&
			    chain_end(gi->shape, 0, 0) > end)
				end = chain_end(gi->shape, 0, 0);
			break;
		}
	}
	return end;
}

/* SMALL: compare and branch to each child; the last one falls through
 * to the end of the group. */
static void emit_small(struct jc *c, const struct dpf_group *g, uint32_t done)
{
	struct jit_buf *b = &c->b;
	uint32_t left = g->kids.n, abs_ok;

	if (g->kids.n == 1 && g->key.width != DPF_W_LEN) {
		const struct dpf_node *k = dpf_only_kid(g);
		uint32_t end = run_end(c, g);

		if (end)                  /* the whole run's absolute fields */
			emit_bounds(c, 0, end, done);
		if (g->key.flags & DPF_F_REL)
			emit_bounds(c, 1, g->key.offset + g->key.width, done);
		emit_eq(b, &g->key, k->atom.value, 0, done);
		emit_node(c, k);
		return;
	}
	emit_field(c, &g->key, done);
	abs_ok = c->abs_ok;
	for (uint32_t s = 0; s < dpf_map_cap(&g->kids); s++) {
		const struct dpf_node *k = g->kids.slots[s].val;
		uint32_t next;

		if (!g->kids.slots[s].used)
			continue;
		next = --left ? x64_label_new(b, 1) : done;
		c->abs_ok = abs_ok;                 /* each child on its own */
		/* cmp ecx, v (raw form) */
		x64_alu_ri32(b, ALU_CMP, R_X, jit_raw(k->atom.width, k->atom.value));
		x64_jcc(b, CC_NE, next);                      /* jne next   */
		emit_node(c, k);
		if (left) {
			x64_jmp(b, done);                     /* jmp done   */
			x64_label_bind(b, next);
		}
	}
}

static void emit_group(struct jc *c)
{
	struct ginfo *gi = &c->gi[c->cur++];
	struct jit_buf *b = &c->b;
	uint32_t done = x64_label_new(b, 1), abs_ok = c->abs_ok;
	int save = gi->kind == G_TABLE && gi->shape && gi->shifts;

	if (save)                             /* the shared chain moves it */
		x64_push(b, R_BASE);              /* push r8               */
	if (gi->kind == G_TABLE)
		emit_table(c, gi, done);
	else
		emit_small(c, gi->g, done);
	x64_label_bind(b, done);
	c->abs_ok = abs_ok;
	if (save)
		x64_pop(b, R_BASE);               /* pop r8                */
}

static void emit_node(struct jc *c, const struct dpf_node *n)
{
	if (n->nacc)
		emit_accept(&c->b, dpf_node_best(n));
	for (uint32_t i = 0; i < n->nedges; i++)
		emit_edge(c, n->edges[i]);
	for (uint32_t i = 0; i < n->ngroups; i++)
		emit_group(c);
}

/* caplen and wirelen are used as esi and edx only (32-bit operations),
 * so their undefined upper halves (SysV) need no clearing. */
static void emit_prologue(struct jit_buf *b)
{
	x64_xor_rr32(b, R_BASE, R_BASE);  /* xor r8d, r8d                  */
	x64_xor_rr32(b, R_BEST, R_BEST);  /* xor r9d, r9d                  */
}

/* eax = best ? ~(uint32_t)best : DPF_NO_MATCH (see dpf_key_id) */
static void emit_epilogue(struct jit_buf *b)
{
	x64_mov_rr32(b, RAX, R_BEST);     /* mov eax, r9d                  */
	x64_not32(b, RAX);                /* not eax                       */
	x64_test_rr(b, 1, R_BEST, R_BEST); /* test r9, r9                  */
	x64_cmov32(b, CC_E, RAX, R_BEST); /* cmove eax, r9d (0)            */
	x64_ret(b);                       /* ret                           */
}

int jit_run_pass(struct jc *c)
{
	struct jit_buf *b = &c->b;

	b->pos = 0;
	b->nlab = 0;
	b->njmp = 0;
	b->nfix = 0;
	c->cur = 0;
	c->abs_ok = 0;
	if (b->lab_cur)
		dpf_memset(b->lab_cur, 0xff, b->clab * sizeof(uint32_t));
	emit_prologue(b);
	emit_node(c, &c->t->root);
	emit_epilogue(b);
	for (uint32_t i = 0; i < c->ngi; i++)
		if (c->gi[i].kind == G_TABLE && c->gi[i].shape &&
		    !c->gi[i].ncode)
			emit_cold(c, &c->gi[i]);
	if (!b->err && b->pos > JIT_MAX_IMAGE)
		b->err = DPF_E_JIT;
	return b->err;
}
