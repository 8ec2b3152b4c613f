/*
 * The code of a TABLE group (see jit.c): the field, the probe of the flat
 * table, the shared chain against the entry found, and the jump table of
 * the children with code of their own. A group of shared chains only,
 * with a two-choice table (jit_cuckoo.c), has no branch on the table's
 * contents at all (emit_flat).
 */
#include "jit_int.h"

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
uint32_t chain_end(const struct dpf_shape *s, uint32_t i, int rel)
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
 * With branch set, a differing EQ value jumps to done; the entry holds
 * the id. Without (a two-choice table, jit_cuckoo.c), the chain runs the
 * same instructions whether the entry matches or not: the entry holds
 * ~id, the key's low half, and r11 its high half, len << 32, which a
 * differing value clears (cmov from rax, which is 0 on entry and nothing
 * here writes: bounds checks use rcx). A key below 2^32 then loses to
 * every real one (a path has at least one atom) and means no match.
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
	if (branch) {
		/* mov eax, [r10+4]; not eax: the key's low half, ~id */
		x64_load_rm32(b, R_TMP, R_TAB, -1, FLAT_ID);
		x64_not32(b, R_TMP);
		/* mov rcx, len << 32; add rax, rcx: the key */
		x64_mov_ri64(b, R_X, (uint64_t)gi->len << 32);
		x64_add_rr64(b, R_TMP, R_X);
	} else {
		/* mov eax, [r10+4] (~id); add rax, r11: the key, or below
		 * 2^32 (no match: see emit_epilogue) if a test failed */
		x64_load_rm32(b, R_TMP, R_TAB, -1, FLAT_ID);
		x64_add_rr64(b, R_TMP, R_TMP2);
	}
	x64_cmp_rr64(b, R_TMP, R_BEST);          /* cmp rax, r9           */
	x64_cmov64(b, CC_A, R_BEST, R_TMP);      /* cmova r9, rax         */
}

/*
 * A TABLE group of shared chains only, with a two-choice table
 * (jit_cuckoo.c): the value is in one of its two candidate slots or
 * absent. A cmov keeps the first candidate if it holds the value, else
 * takes the second; that entry's id, or 0 if it holds another value (or
 * none), feeds the chain (emit_shared_chain, branch 0). No loop and no
 * branch on the table's contents: a miss costs what a hit costs.
 */
static void emit_flat(struct jc *c, const struct ginfo *gi, uint32_t done)
{
	struct jit_buf *b = &c->b;
	const struct dpf_atom *key = &gi->g->key;
	const struct gtab *t = &gi->flat;
	uint32_t end = chain_end(gi->shape, 0, 0);

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
	x64_lea_rip(b, R_TAB, c->data_start + t->off); /* lea r10, [rip+table] */
	/* eax, r11d = the offsets of the two candidates:
	 * imul, shr 32-bits, shl log2(entry size), with each multiplier */
	x64_imul_ri32(b, R_TMP, R_X, DPF_HASH_MUL);   /* imul eax, ecx, K1   */
	x64_shift_ri32(b, SH_SHR, R_TMP, (uint8_t)(32 - t->bits));
	x64_shift_ri32(b, SH_SHL, R_TMP, t->esize_log2);
	x64_imul_ri32(b, R_TMP2, R_X, JIT_HASH2_MUL); /* imul r11d, ecx, K2  */
	x64_shift_ri32(b, SH_SHR, R_TMP2, (uint8_t)(32 - t->bits));
	x64_shift_ri32(b, SH_SHL, R_TMP2, t->esize_log2);
	x64_cmp_rm(b, DPF_W32, R_X, R_TAB, R_TMP, 0); /* cmp ecx, [r10+rax] */
	x64_cmov64(b, CC_NE, R_TMP, R_TMP2);     /* cmovne rax, r11       */
	x64_lea(b, 1, R_TAB, R_TAB, R_TMP, 0);   /* lea r10, [r10+rax]    */
	/* mov r11, len << 32: the key's high half while all tests hold */
	x64_mov_ri64(b, R_TMP2, (uint64_t)gi->len << 32);
	x64_xor_rr32(b, R_TMP, R_TMP);           /* xor eax, eax: a zero  */
	x64_cmp_rm(b, DPF_W32, R_X, R_TAB, -1, 0); /* cmp ecx, [r10]      */
	x64_cmov64(b, CC_NE, R_TMP2, R_TMP);     /* cmovne r11, rax: other value */
	emit_shared_chain(c, gi, done, 0, 1);
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
void emit_table(struct jc *c, struct ginfo *gi, uint32_t done)
{
	struct jit_buf *b = &c->b;
	uint32_t own, abs_ok;

	if (gi->cuckoo) {
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
