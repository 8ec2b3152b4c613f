/*
 * Translation of the trie into x86-64, node by node: a node (its accept,
 * then its edges and groups), a generic edge, a SMALL group, and the
 * prologue and epilogue; TABLE groups are jit_table.c's, single atoms
 * jit_atom.c's. Each function emits straight-line code that falls through
 * to its end; a failed test jumps forward to the end of its edge or group.
 */
#include "jit_int.h"

/* best = max(best, key) */
static void emit_accept(struct jit_buf *b, uint64_t key)
{
	x64_mov_ri64(b, R_TMP, key);          /* mov rax, key         */
	x64_cmp_rr64(b, R_TMP, R_BEST);       /* cmp rax, r9          */
	x64_cmov64(b, CC_A, R_BEST, R_TMP);   /* cmova r9, rax        */
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

/* end, or the end of g's key if that is absolute and further */
static uint32_t key_end(const struct dpf_group *g, uint32_t end)
{
	const struct dpf_atom *k = &g->key;

	if (k->width == DPF_W_LEN || (k->flags & DPF_F_REL))
		return end;
	return k->offset + k->width > end ? k->offset + k->width : end;
}

/*
 * The furthest absolute field a packet must have captured to be accepted
 * anywhere below the single-child SMALL group g: its key, and along the
 * run of nodes below that do nothing but lead to one more group (no
 * accept, no edge), those groups' keys; and if the run ends at a TABLE
 * of shared chains only, the chain's fields. One bounds check for all of
 * them is exact: every accept below needs them all. 0 if none.
 */
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
		x64_alu_ri32(b, ALU_CMP, R_X,   /* cmp ecx, v (raw form) */
			     jit_raw(k->atom.width, k->atom.value));
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

void emit_node(struct jc *c, const struct dpf_node *n)
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

/* eax = the id of the best key, DPF_NO_MATCH if it is below 2^32: no
 * accept, or only the failed ones of shared chains (emit_shared_chain).
 * Real keys have a path length of at least 1 in their high half. */
static void emit_epilogue(struct jit_buf *b)
{
	x64_mov_rr32(b, RAX, R_BEST);     /* mov eax, r9d                  */
	x64_not32(b, RAX);                /* not eax: the id               */
	x64_mov_rr64(b, RCX, R_BEST);     /* mov rcx, r9                   */
	x64_shift_ri64(b, SH_SHR, RCX, 32); /* shr rcx, 32 (ZF: no length) */
	x64_cmov32(b, CC_E, RAX, RCX);    /* cmove eax, ecx (0)            */
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

	if (!b->err && b->pos > JIT_MAX_IMAGE)
		b->err = DPF_E_JIT;
	return b->err;
}
