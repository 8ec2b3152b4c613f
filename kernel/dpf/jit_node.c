/*
 * Translation of the trie into x86-64, split by what is being compiled: a
 * node (its accept, then its edges and groups), a generic edge, and hash
 * groups (TABLE: probe, shared chain, per-child code; SMALL; see jit.c). Each function
 * emits straight-line code that falls through to its end; a failed test
 * jumps forward to the end of its own edge or group.
 */
#include "jit_int.h"

/* ---- Translation, split by what is being compiled ---- */

static void emit_node(struct jc *c, const struct dpf_node *n);

/* best = max(best, key) */
static void emit_accept(struct jit_buf *b, uint64_t key)
{
	x64_mov_ri64(b, R_TMP, key);          /* mov rax, key         */
	x64_cmp_rr64(b, R_TMP, R_BEST);       /* cmp rax, r9          */
	x64_cmov64(b, CC_A, R_BEST, R_TMP);   /* cmova r9, rax        */
}

/* R_X = (field of a) & mask, or jump to fail if it is not captured. */
static void emit_field(struct jit_buf *b, const struct dpf_atom *a,
		       uint32_t fail)
{
	int32_t end = (int32_t)(a->offset + a->width);

	if (a->width == DPF_W_LEN) {
		x64_mov_rr32(b, R_X, R_WIRE);                 /* mov ecx, edx */
	} else if (a->flags & DPF_F_REL) {
		x64_lea(b, 1, R_TMP, R_BASE, -1, end);  /* lea rax, [r8+end] */
		x64_cmp_rr64(b, R_TMP, R_CAP);          /* cmp rax, rsi      */
		x64_jcc(b, CC_A, fail);                 /* ja fail           */
		x64_load_be(b, a->width, R_X, R_PKT, R_BASE,
			     (int32_t)a->offset);    /* ecx = [rdi+r8+off] */
	} else {
		x64_alu_ri32(b, ALU_CMP, R_CAP, (uint32_t)end); /* cmp esi, end */
		x64_jcc(b, CC_B, fail);                 /* jb fail           */
		x64_load_be(b, a->width, R_X, R_PKT, -1,
			     (int32_t)a->offset);    /* ecx = [rdi+off]    */
	}
	if (a->mask != dpf_width_mask(a->width))
		x64_alu_ri32(b, ALU_AND, R_X, a->mask);  /* and ecx, mask   */
}

/* Jump to fail unless (R_X <cmp> value). */
static void emit_test(struct jit_buf *b, const struct dpf_atom *a,
		      uint32_t fail)
{
	static const uint8_t negate[] = {
		[DPF_EQ] = CC_NE, [DPF_NE] = CC_E, [DPF_LT] = CC_AE,
		[DPF_LE] = CC_A, [DPF_GT] = CC_BE, [DPF_GE] = CC_B,
	};

	if (a->cmp == DPF_SET) {
		x64_test_rr(b, 0, R_X, R_X);            /* test ecx, ecx     */
		x64_jcc(b, CC_E, fail);                 /* jz fail           */
		return;
	}
	x64_alu_ri32(b, ALU_CMP, R_X, a->value);        /* cmp ecx, value    */
	x64_jcc(b, (enum x86_cc)negate[a->cmp], fail);
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
	uint32_t fail = x64_label_new(b, 1);

	if (a->op != DPF_OP_ADVANCE)
		emit_field(b, a, fail);
	if (a->op == DPF_OP_CMP) {
		emit_test(b, a, fail);
		emit_node(c, child);
	} else {
		x64_push(b, R_BASE);                    /* push r8           */
		emit_move(b, a);
		emit_node(c, child);
		x64_pop(b, R_BASE);                     /* pop r8            */
	}
	x64_label_bind(b, fail);
}

/* Find R_X in the group's table: on a hit R_TAB + R_TMP is the entry. */
static void emit_probe(struct jc *c, const struct ginfo *gi, uint32_t miss)
{
	struct jit_buf *b = &c->b;
	uint32_t esize = 1u << gi->esize_log2;
	uint32_t loop = x64_label_new(b, 2), found = loop + 1;

	x64_lea_rip(b, R_TAB, c->data_start + gi->data_off); /* lea r10, [rip+table] */
	x64_imul_ri32(b, R_TMP, R_X, DPF_HASH_MUL);  /* imul eax, ecx, K    */
	x64_shift_ri32(b, SH_SHR, R_TMP, (uint8_t)(32 - gi->bits)); /* shr eax, 32-bits */
	x64_shift_ri32(b, SH_SHL, R_TMP, gi->esize_log2); /* shl eax, log2 esize */
	x64_label_bind(b, loop);
	x64_cmp_mi32(b, R_TAB, R_TMP, 4, 0);     /* cmp dword [r10+rax+4], 0 */
	x64_jcc(b, CC_E, miss);                  /* je miss (empty slot)  */
	x64_cmp_rm32(b, R_X, R_TAB, R_TMP, 0);   /* cmp ecx, [r10+rax]    */
	x64_jcc(b, CC_E, found);                 /* je found              */
	x64_alu_ri32(b, ALU_ADD, R_TMP, esize);  /* add eax, esize        */
	x64_alu_ri32(b, ALU_AND, R_TMP,
		      ((1u << gi->bits) - 1) << gi->esize_log2); /* and eax, wrap */
	x64_jmp(b, loop);                        /* jmp loop              */
	x64_label_bind(b, found);
}

/* The shared chain of a TABLE group, against the values of the entry at
 * r10; a failed test jumps to done. */
static void emit_shared_chain(struct jc *c, const struct ginfo *gi,
			      uint32_t done)
{
	struct jit_buf *b = &c->b;
	int32_t eq = 16;

	for (uint32_t i = 0; i < gi->shape->natoms; i++) {
		const struct dpf_atom *a = &gi->shape->atoms[i];

		if (a->op != DPF_OP_ADVANCE)
			emit_field(b, a, done);
		if (dpf_atom_is_eq(a)) {
			x64_cmp_rm32(b, R_X, R_TAB, -1, eq); /* cmp ecx, [r10+eq] */
			x64_jcc(b, CC_NE, done);
			eq += 4;
		} else if (a->op == DPF_OP_CMP) {
			emit_test(b, a, done);
		} else {
			emit_move(b, a);
		}
	}
	x64_load_rm64(b, R_TMP, R_TAB, -1, 8);   /* mov rax, [r10+8] (key) */
	x64_cmp_rr64(b, R_TMP, R_BEST);          /* cmp rax, r9           */
	x64_cmov64(b, CC_A, R_BEST, R_TMP);      /* cmova r9, rax         */
}

/* The children with code of their own: the entry holds the offset of
 * that code in the image (r10 + rax is the entry). */
static void emit_code_kids(struct jc *c, struct ginfo *gi, uint32_t done)
{
	struct jit_buf *b = &c->b;

	x64_load_rm32(b, R_TMP, R_TAB, R_TMP, 4); /* mov eax, [r10+rax+4]  */
	x64_lea_rip(b, R_TMP2, 0);                /* lea r11, [rip+image]  */
	x64_add_rr64(b, R_TMP, R_TMP2);           /* add rax, r11          */
	x64_jmp_reg(b, R_TMP);                    /* jmp rax               */
	gi->lab0 = x64_label_new(b, gi->ncode);
	for (uint32_t i = 0; i < gi->ncode; i++) {
		x64_label_bind(b, gi->lab0 + i);
		emit_node(c, gi->code[i]);
		if (i + 1 < gi->ncode)            /* the last falls through */
			x64_jmp(b, done);         /* jmp done              */
	}
}

/* TABLE: one probe; an entry is either served by the shared chain
 * (its second word is 1) or names the code of its child. */
static void emit_table(struct jc *c, struct ginfo *gi, uint32_t done)
{
	struct jit_buf *b = &c->b;

	emit_field(b, &gi->g->key, done);
	emit_probe(c, gi, done);
	if (gi->shape) {
		uint32_t own = gi->ncode ? x64_label_new(b, 1) : done;

		if (gi->ncode) {
			x64_cmp_mi32(b, R_TAB, R_TMP, 4, 1); /* cmp dword [r10+rax+4], 1 */
			x64_jcc(b, CC_NE, own);             /* jne own code  */
		}
		x64_lea(b, 1, R_TAB, R_TAB, R_TMP, 0);    /* lea r10, [r10+rax] */
		emit_shared_chain(c, gi, done);
		if (!gi->ncode)
			return;
		x64_jmp(b, done);                         /* jmp done      */
		x64_label_bind(b, own);
	}
	emit_code_kids(c, gi, done);
}

/* SMALL: compare and branch to each child; the last one falls through
 * to the end of the group. */
static void emit_small(struct jc *c, const struct dpf_group *g, uint32_t done)
{
	struct jit_buf *b = &c->b;
	uint32_t left = g->kids.n;

	emit_field(b, &g->key, done);
	for (uint32_t s = 0; s < dpf_map_cap(&g->kids); s++) {
		const struct dpf_node *k = g->kids.slots[s].val;
		uint32_t next;

		if (!g->kids.slots[s].used)
			continue;
		next = --left ? x64_label_new(b, 1) : done;
		x64_alu_ri32(b, ALU_CMP, R_X, k->atom.value); /* cmp ecx, v */
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
	uint32_t done = x64_label_new(b, 1);
	int save = gi->kind == G_TABLE && gi->shape && gi->shifts;

	if (save)                             /* the shared chain moves it */
		x64_push(b, R_BASE);              /* push r8               */
	if (gi->kind == G_TABLE)
		emit_table(c, gi, done);
	else
		emit_small(c, gi->g, done);
	x64_label_bind(b, done);
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

static void emit_prologue(struct jit_buf *b)
{
	x64_mov_rr32(b, R_CAP, R_CAP);    /* mov esi, esi (upper half is   */
	x64_mov_rr32(b, R_WIRE, R_WIRE);  /* mov edx, edx  undefined, SysV) */
	x64_xor_rr32(b, R_BASE, R_BASE);  /* xor r8d, r8d                  */
	x64_xor_rr32(b, R_BEST, R_BEST);  /* xor r9d, r9d                  */
}

/* eax = best ? ~(uint32_t)best : DPF_NO_MATCH (see dpf_key_id) */
static void emit_epilogue(struct jit_buf *b)
{
	x64_mov_rr32(b, RAX, R_BEST);     /* mov eax, r9d                  */
	x64_not32(b, RAX);                /* not eax                       */
	x64_xor_rr32(b, RCX, RCX);        /* xor ecx, ecx                  */
	x64_test_rr(b, 1, R_BEST, R_BEST); /* test r9, r9                  */
	x64_cmov64(b, CC_E, RAX, RCX);    /* cmove rax, rcx                */
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
	if (b->lab_cur)
		dpf_memset(b->lab_cur, 0xff, b->clab * sizeof(uint32_t));
	emit_prologue(b);
	emit_node(c, &c->t->root);
	emit_epilogue(b);
	if (!b->err && b->pos > JIT_MAX_IMAGE)
		b->err = DPF_E_JIT;
	return b->err;
}
