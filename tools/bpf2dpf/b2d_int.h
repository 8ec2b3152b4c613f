/*
 * bpf2dpf internals: the symbolic values, the per-path state and the
 * canonical predicates shared by exec.c (the BPF walker), path.c (atoms of
 * one path) and pred.c (predicates on one field). Not for users: see
 * bpf2dpf.h.
 */
#ifndef B2D_INT_H
#define B2D_INT_H

#include <stdint.h>

#include "bpf2dpf.h"

#define B2D_NO_ANCHOR (-1)  /* field read at an absolute offset */
#define B2D_WORK_ATOMS 160  /* atoms a path may hold while being explored */
#define B2D_MAX_DESCS 8     /* distinct header offsets per path */

/* Where a packet field is read: absolute, or relative to the base that
 * header-offset descriptor `anchor` of the same path establishes. DPF_W_LEN
 * stands for the wire length (off 0, no anchor). */
struct b2d_field {
	int16_t anchor;
	uint8_t width;
	uint32_t off;
};

/* A header offset: ((field & mask) << shift) + value, a DPF SHIFT. */
struct b2d_desc {
	struct b2d_field f;
	uint32_t mask;
	uint8_t shift;
	uint32_t value;
};

enum b2d_kind {
	SYM_CONST, /* k */
	SYM_FIELD, /* (f & mask) >> rsh, loaded at `event` */
	SYM_BASE,  /* the header offset d */
};

struct b2d_sym {
	uint8_t kind;
	uint8_t rsh;
	uint16_t event;
	uint32_t k;
	uint32_t mask;
	struct b2d_field f;
	struct b2d_desc d;
};

/* A canonical predicate (f & mask) op value, op one of DPF_EQ, DPF_NE,
 * DPF_GE, DPF_LE, DPF_SET (value 0). */
struct b2d_pred {
	struct b2d_field f;
	uint32_t mask;
	uint8_t op;
	uint32_t value;
};

/* One atom of a path under construction. Atoms are kept in the order they
 * were made and sorted by key when the path is finished: the key is the
 * event of the load whose value the atom tests, so an atom on a relative
 * field always lands where the base it was read under is in force. */
struct b2d_patom {
	struct dpf_atom a;
	uint32_t key;       /* event << 16 | sequence */
	uint8_t check;      /* bounds check only (value never tested) */
	struct b2d_field f; /* the field the atom reads */
};

struct b2d_state {
	unsigned pc;
	struct b2d_sym a, x, mem[BPF_MEMWORDS];
	uint16_t next_event;
	uint16_t seq;
	int16_t cur_base; /* descriptor in force, or B2D_NO_ANCHOR (base 0) */
	uint8_t ndesc;
	struct b2d_desc desc[B2D_MAX_DESCS];
	unsigned natoms;
	struct b2d_patom atoms[B2D_WORK_ATOMS];
};

enum { B2D_FALSE = 0, B2D_TRUE = 1, B2D_UNKNOWN = 2 };

/* The walk (exec.c). */
struct b2d_ctx {
	const struct bpf_insn *insns;
	unsigned n;
	unsigned long steps;
	struct dpf_filter *out;
	unsigned total;     /* atoms in out */
	int accept_all;     /* a path with no condition accepts */
	struct b2d_error *err;
	struct b2d_state **stack;
	unsigned sp, cap;
};

/* What a step does to its path: go on, end it, or fail the translation. */
enum { B2D_GO = 0, B2D_END = 1, B2D_ERR = -1 };

/* Fill c->err: "cannot express: BPF insn N 'text' (why)" or "too complex:
 * at BPF insn N: why". Both return B2D_ERR. */
int b2d_refuse(struct b2d_ctx *c, unsigned pc, const char *why);
int b2d_too_big(struct b2d_ctx *c, unsigned pc, const char *why);

/* load.c: BPF_LD / BPF_LDX. */
int b2d_load(struct b2d_ctx *c, struct b2d_state *st,
	     const struct bpf_insn *in);

/* pred.c */
int b2d_pred_make(const struct b2d_sym *a, unsigned jop, uint32_t k,
		  int negate, struct b2d_pred *p);
int b2d_pred_decide(const struct b2d_state *st, const struct b2d_pred *p);
int b2d_field_eq(const struct b2d_field *x, const struct b2d_field *y);
uint32_t b2d_width_mask(uint8_t width);

/* alu.c: A = A op src. Returns 0, or -1 with *why set (cannot express) or
 * *why NULL (division by zero: BPF rejects the packet). */
int b2d_alu(struct b2d_sym *a, const struct b2d_sym *src, unsigned op,
	    const char **why);

/* path.c: each returns 0, or -1 with a reason in *why. */
int b2d_path_check(struct b2d_state *st, const struct b2d_field *f,
		   uint16_t event, const char **why);
int b2d_path_pred(struct b2d_state *st, const struct b2d_pred *p,
		  uint16_t event, const char **why);
int b2d_path_base(struct b2d_state *st, const struct b2d_desc *d,
		  int16_t *anchor, const char **why);
int b2d_path_finish(struct b2d_state *st, struct dpf_atom *out,
		    unsigned cap, const char **why);

#endif /* B2D_INT_H */
