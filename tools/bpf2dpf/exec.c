/*
 * The symbolic walk over a classic BPF program (see bpf2dpf.h for the
 * model). Paths are explored depth first with an explicit stack of states;
 * a conditional jump that the path's atoms do not decide splits the state.
 * Every instruction either updates the symbolic registers (loads: load.c,
 * arithmetic: alu.c), or is refused with the reason it has no DPF
 * equivalent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2d_int.h"

/* "(015) add      x" -> "add x" */
static void insn_text(const struct bpf_insn *in, unsigned pc, char *buf,
		      size_t len)
{
	const char *s = bpf_image(in, (int)pc);
	size_t n = 0;
	int space = 0;

	if (*s == '(')
		s = strchr(s, ')') ? strchr(s, ')') + 1 : s;
	for (; *s && n + 1 < len; s++) {
		if (*s == ' ' || *s == '\t') {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < len)
			buf[n++] = ' ';
		space = 0;
		buf[n++] = *s;
	}
	buf[n] = 0;
}

int b2d_refuse(struct b2d_ctx *c, unsigned pc, const char *why)
	       {
	       char text[64];

	insn_text(&c->insns[pc], pc, text, sizeof(text));
	c->err->insn = (int)pc;
	snprintf(c->err->msg, sizeof(c->err->msg),
		 "cannot express: BPF insn %u '%s' (%s)", pc, text, why);
	return B2D_ERR;
}

int b2d_too_big(struct b2d_ctx *c, unsigned pc, const char *why)
		{
		c->err->insn = (int)pc;
	snprintf(c->err->msg, sizeof(c->err->msg),
		 "too complex: at BPF insn %u: %s", pc, why);
	return B2D_ERR;
}

static void set_const(struct b2d_sym *s, uint32_t k)
{
	memset(s, 0, sizeof(*s));
	s->kind = SYM_CONST;
	s->k = k;
}

static int do_alu(struct b2d_ctx *c, struct b2d_state *st,
		  const struct bpf_insn *in)
{
	struct b2d_sym src;
	const char *why = NULL;
	int r;

	if (BPF_SRC(in->code) == BPF_X)
		src = st->x;
	else
		set_const(&src, in->k);
	r = b2d_alu(&st->a, &src, BPF_OP(in->code), &why);
	if (r < 0)
		/* no reason: a division by zero, BPF rejects the packet */
		return why ? b2d_refuse(c, st->pc, why) : B2D_END;
					return B2D_GO;
}

static int push(struct b2d_ctx *c, struct b2d_state *st)
{
	struct b2d_state **ns;

	if (c->sp == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		ns = realloc(c->stack, c->cap * sizeof(*ns));
		if (!ns)
			return -1;
		c->stack = ns;
	}
	c->stack[c->sp++] = st;
	return 0;
}

static int target(struct b2d_ctx *c, struct b2d_state *st, uint64_t t)
{
	if (t >= c->n)
		return b2d_refuse(c, st->pc, "jump past the last instruction");
	st->pc = (unsigned)t;
	return B2D_GO;
}

/* Split: the jump-false path continues later from a copy. */
static int split(struct b2d_ctx *c, struct b2d_state *st,
		 const struct bpf_insn *in, const struct b2d_pred *pt,
		 const struct b2d_pred *pf)
{
	struct b2d_state *other = malloc(sizeof(*other));
	const char *why;

	if (!other || push(c, other) < 0) {
		free(other);
		return b2d_too_big(c, st->pc, "out of memory");
	}
	*other = *st;
	if (b2d_path_pred(other, pf, st->a.event, &why) < 0 ||
	    b2d_path_pred(st, pt, st->a.event, &why) < 0)
		return b2d_too_big(c, st->pc, why);
	if (target(c, other, (uint64_t)st->pc + 1 + in->jf) != B2D_GO)
		return B2D_ERR;
	return target(c, st, (uint64_t)st->pc + 1 + in->jt);
}

static int const_jump(unsigned op, uint32_t a, uint32_t k)
{
	switch (op) {
	case BPF_JEQ: return a == k;
	case BPF_JGT: return a > k;
	case BPF_JGE: return a >= k;
	default:      return (a & k) != 0; /* BPF_JSET */
	}
}

static int do_jump(struct b2d_ctx *c, struct b2d_state *st,
		   const struct bpf_insn *in)
{
	unsigned op = BPF_OP(in->code);
	struct b2d_pred pt, pf;
	uint32_t k = in->k;
	int rt, rf, taken;

	if (op == BPF_JA) {
		if ((int32_t)in->k < 0)
			return b2d_refuse(c, st->pc, "backward jump: a loop, as "
					  "'protochain' compiles to");
		return target(c, st, (uint64_t)st->pc + 1 + in->k);
	}
	if (op != BPF_JEQ && op != BPF_JGT && op != BPF_JGE && op != BPF_JSET)
		return b2d_refuse(c, st->pc, "invalid jump");
	if (BPF_SRC(in->code) == BPF_X) {
		if (st->x.kind == SYM_CONST) {
			k = st->x.k;
		} else if (!memcmp(&st->x, &st->a, sizeof(st->a)) &&
			   op != BPF_JSET) {
			taken = op != BPF_JGT; /* A == X */
			goto decided;
		} else {
			return b2d_refuse(c, st->pc, "jump on X: compares two "
					  "packet values");
		}
	}
	if (st->a.kind == SYM_CONST) {
		taken = const_jump(op, st->a.k, k);
		goto decided;
	}
	if (st->a.kind != SYM_FIELD)
		return b2d_refuse(c, st->pc, "comparison on a computed header "
				  "offset");
	rt = b2d_pred_make(&st->a, op, k, 0, &pt);
	rf = b2d_pred_make(&st->a, op, k, 1, &pf);
	if (rt == B2D_UNKNOWN)
		rt = b2d_pred_decide(st, &pt);
	if (rf == B2D_UNKNOWN)
		rf = b2d_pred_decide(st, &pf);
	if (rt == B2D_UNKNOWN && rf == B2D_UNKNOWN)
		return split(c, st, in, &pt, &pf);
	if (rt == B2D_FALSE && rf == B2D_FALSE)
		return B2D_END; /* the path was already contradictory */
	taken = rt == B2D_TRUE || rf == B2D_FALSE;
decided:
	return target(c, st, (uint64_t)st->pc + 1 + (taken ? in->jt : in->jf));
}

/* Is a path with these atoms already in f? */
static int same_path(const struct dpf_filter *f, const struct dpf_atom *a,
		     unsigned n)
{
	unsigned i, at = 0;

	for (i = 0; i < f->npaths; at += f->natoms[i], i++)
		if (f->natoms[i] == n &&
		    !memcmp(&f->atoms[at], a, n * sizeof(*a)))
			return 1;
	return 0;
}

static int accept_path(struct b2d_ctx *c, struct b2d_state *st)
{
	struct dpf_atom tmp[DPF_MAX_ATOMS_PER_PATH];
	const char *why;
	int n = b2d_path_finish(st, tmp, DPF_MAX_ATOMS_PER_PATH, &why);

	if (n < 0)
		return b2d_too_big(c, st->pc, why);
	if (n == 0) {
		c->accept_all = 1;
		return B2D_END;
	}
	if (same_path(c->out, tmp, (unsigned)n))
		return B2D_END;
	if (c->out->npaths == DPF_MAX_PATHS)
		return b2d_too_big(c, st->pc, "the expression expands to more "
				   "than DPF_MAX_PATHS (64) accepting paths");
	if (c->total + (unsigned)n > DPF_MAX_ATOMS)
		return b2d_too_big(c, st->pc, "the expression needs more than "
				   "DPF_MAX_ATOMS (512) atoms");
	memcpy(&c->out->atoms[c->total], tmp, (size_t)n * sizeof(tmp[0]));
	c->out->natoms[c->out->npaths++] = (uint16_t)n;
	c->total += (unsigned)n;
	return B2D_END;
}

static int do_ret(struct b2d_ctx *c, struct b2d_state *st,
		  const struct bpf_insn *in)
{
	uint32_t k = in->k;

	if (BPF_RVAL(in->code) == BPF_A) {
		if (st->a.kind != SYM_CONST)
			return b2d_refuse(c, st->pc,
					  "'ret a' returns a packet value");
		k = st->a.k;
	} else if (BPF_RVAL(in->code) != BPF_K) {
		return b2d_refuse(c, st->pc, "invalid return");
	}
	return k ? accept_path(c, st) : B2D_END;
}

static int step(struct b2d_ctx *c, struct b2d_state *st)
{
	const struct bpf_insn *in = &c->insns[st->pc];
	int r = B2D_GO;

	switch (BPF_CLASS(in->code)) {
	case BPF_LD:
	case BPF_LDX:
		r = b2d_load(c, st, in);
		break;
	case BPF_ST:
	case BPF_STX:
		if (in->k >= BPF_MEMWORDS)
			return b2d_refuse(c, st->pc,
					  "scratch index out of range");
		st->mem[in->k] = BPF_CLASS(in->code) == BPF_ST ? st->a : st->x;
		break;
	case BPF_ALU:
		r = do_alu(c, st, in);
		break;
	case BPF_JMP:
		return do_jump(c, st, in);
	case BPF_RET:
		return do_ret(c, st, in);
	case BPF_MISC:
		if (BPF_MISCOP(in->code) == BPF_TAX)
			st->x = st->a;
		else
			st->a = st->x;
		break;
	}
	if (r == B2D_GO)
		st->pc++;
	return r;
}

static int run(struct b2d_ctx *c, struct b2d_state *st)
{
	int r;

	do {
		if (++c->steps > B2D_MAX_STEPS)
			return b2d_too_big(c, st->pc, "path explosion: more than "
					   "B2D_MAX_STEPS (200000) BPF steps");
		if (st->pc >= c->n)
			return b2d_refuse(c, c->n - 1, "runs past the last "
					  "instruction");
		r = step(c, st);
	} while (r == B2D_GO && !c->accept_all);
	return r;
}

int b2d_translate(const struct bpf_insn *insns, unsigned n,
		  struct dpf_filter *out, struct b2d_error *err)
{
	struct b2d_ctx c = { .insns = insns, .n = n, .out = out, .err = err };
	struct b2d_state *st;
	int r = B2D_END;

	err->insn = -1;
	err->msg[0] = 0;
	memset(out, 0, sizeof(*out));
	if (n == 0 || n > B2D_MAX_INSNS) {
		snprintf(err->msg, sizeof(err->msg),
			 "bad program: %u instructions", n);
		return -1;
	}
	st = calloc(1, sizeof(*st));
	if (!st || push(&c, st) < 0) {
		free(st);
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -1;
	}
	st->cur_base = B2D_NO_ANCHOR;
	while (c.sp && r != B2D_ERR && !c.accept_all) {
		st = c.stack[--c.sp];
		r = run(&c, st);
		free(st);
	}
	while (c.sp)
		free(c.stack[--c.sp]);
	free(c.stack);
	if (r == B2D_ERR) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	if (c.accept_all) { /* one always-true atom: len <= 0xffffffff */
		memset(out, 0, sizeof(*out));
		out->npaths = 1;
		out->natoms[0] = 1;
		out->atoms[0].op = DPF_OP_CMP;
		out->atoms[0].width = DPF_W_LEN;
		out->atoms[0].cmp = DPF_LE;
		out->atoms[0].mask = 0xffffffffu;
		out->atoms[0].value = 0xffffffffu;
	}
	return 0;
}
