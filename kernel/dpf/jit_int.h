/*
 * Internals of the DPF JIT, shared by its files:
 *   jit.c        the driver: passes until the layout converges, the image,
 *                W^X, the public dpf_jit_* calls;
 *   jit_group.c  the first walk (how to compile each hash group, where its
 *                tables go) and the tables' contents;
 *   jit_cuckoo.c two-choice placement for tables of shared chains;
 *   jit_node.c   translation node by node: node, edge, SMALL group,
 *                prologue and epilogue;
 *   jit_table.c  translation of TABLE groups: probes, shared chains;
 *   jit_atom.c   one atom: bounds check, load, test, move of the base.
 * The emitter they use is jit_emit.h.
 */
#ifndef DPF_JIT_INT_H
#define DPF_JIT_INT_H

#include "jit_emit.h"

/* Register map (all caller-saved: nothing to save, no frame). */
#define R_PKT  RDI  /* packet bytes (argument 1) */
#define R_CAP  RSI  /* caplen (argument 2): only esi is read */
#define R_WIRE RDX  /* wirelen (argument 3), the LEN field: only edx is read */
#define R_BASE R8   /* the current path's base, 32 bits */
#define R_BEST R9   /* best accept key so far (dpf_accept_key), 0 = none */
#define R_X    RCX  /* the field just loaded */
#define R_TMP  RAX  /* bounds arithmetic, hash probe offset */
#define R_TAB  R10  /* hash table, then the matching entry */
#define R_TMP2 R11  /* jump target of a hash group */

#define MAX_PASSES 10            /* sizing passes before giving up */
#define SMALL_GROUP 4            /* up to this many children: SMALL */
#define TABLE_SPARSE 4           /* table capacity >= 4 x its entries, */
#define TABLE_CACHED (512u << 10) /* ... while it is at most this big,  */
#define TABLE_DENSE 2            /* else >= 2 x (jit_group.c)          */
#define JIT_MAX_IMAGE (256u << 20)

/* How a hash group is compiled (details in jit.c). */
enum gkind {
	G_TABLE,   /* inline probes of tables: shared chain and/or jumps */
	G_SMALL,   /* compare-and-branch to each child's code */
};

/* One table in the data part of the image (64-byte aligned). */
struct gtab {
	uint32_t bits;                  /* capacity 1 << bits */
	uint32_t off;                   /* offset within the data part */
	uint8_t esize_log2;             /* entry size */
};

/* What the first walk decided about each hash group, in emission order. */
struct ginfo {
	const struct dpf_group *g;
	const struct dpf_shape *shape;  /* the flat children's chain, or NULL */
	const struct dpf_node **code;   /* TABLE: children with their own code */
	uint32_t ncode;
	uint32_t nflat;                 /* children the shared chain serves */
	uint32_t len;                   /* their accepts' path length */
	uint8_t neq;                    /* EQ atoms in the shared chain, */
	uint8_t eqw[DPF_FLAT_MAX_EQ];   /* and their widths (LEN: 0) */
	uint8_t code_owned;             /* code[] allocated here, free it */
	uint8_t scan;                   /* the group's arrays are incomplete */
	uint8_t kind;
	uint8_t shifts;                 /* the shared chain moves the base */
	struct gtab flat;               /* shape: value -> id, EQ values */
	struct gtab jump;               /* ncode: value -> offset of the code */
	uint32_t *cuckoo;               /* g->flat[i] -> its slot, when
					   two-choice placement worked */
	uint8_t slot0;                  /* two-choice: slot 0 is taken */
	uint32_t lab0;                  /* first code child's label (this pass) */
};

/* One compilation. */
struct jc {
	const struct dpf_trie *t;
	struct jit_buf b;
	struct ginfo *gi;
	uint32_t ngi, cgi, cur;
	uint32_t data_size;
	uint32_t data_start;         /* image offset of the data part */
	uint32_t abs_ok;             /* caplen >= this is known here (bounds
					checks that dominate the code point) */
};

/* jit_cuckoo.c: two-choice placement of n distinct values in a table of
 * 1 << bits slots; (*pos)[i] is the slot of vals[i] (n entries, to
 * free), *slot0 whether slot 0 is taken. 0; 1 if they could not be
 * placed; DPF_E_NOMEM. */
#define JIT_HASH2_MUL 0x85ebca6bu
#define JIT_CUCKOO_EMPTY 0xffffffffu
int jit_cuckoo_place(const struct dpf_env *env, const uint32_t *vals,
		     uint32_t n, uint32_t bits, uint32_t **pos, int *slot0);
/* A value neither of whose slots is slot 0. */
uint32_t jit_cuckoo_filler(uint32_t bits);

/* jit_group.c */
int jit_classify(struct jc *c, const struct dpf_node *n);
int jit_fill_tables(struct jc *c, uint8_t *image);
void jit_free_groups(struct jc *c);

/* Is group child k one of the children served by the shared chain? */
static inline int jit_flat_kid(const struct ginfo *gi, const struct dpf_node *k)
{
	if (!gi->shape)
		return 0;
	if (!gi->scan)
		return k->gmem == DPF_GM_FLAT;
	return k->sum && k->sum->shape == gi->shape;
}

/* Flat entry layout: {u32 value, u32 id (linear probing; 0 = empty) or
 * ~id (two-choice), EQ values packed}; each EQ value takes its field's
 * width (LEN: 4 bytes), in the chain's order. */
#define FLAT_ID 4
#define FLAT_EQ 8
static inline uint32_t jit_eq_bytes(const struct dpf_atom *a)
{
	return a->width == DPF_W_LEN ? 4 : a->width;
}

/*
 * The form a field is compared in. Numeric: the big-endian bytes turned
 * into a number (bswap/rol), as ranges and shifts need. Raw: the bytes as
 * a little-endian load leaves them. Equality, inequality and bit tests
 * hold of the raw form exactly when they hold of the numeric one with
 * the constants' bytes swapped the same way, so for those atoms the JIT
 * skips the swap, and tables hold raw values.
 */
static inline int jit_raw_form(const struct dpf_atom *a)
{
	return a->op == DPF_OP_CMP && a->width != DPF_W_LEN &&
	       (a->cmp == DPF_EQ || a->cmp == DPF_NE || a->cmp == DPF_SET);
}

/* A constant (value or mask) of a raw-form atom of this width. */
static inline uint32_t jit_raw(uint8_t width, uint32_t v)
{
	if (width == DPF_W16)
		return (v & 0xff) << 8 | (v >> 8 & 0xff);
	if (width == DPF_W32)
		return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
	return v;
}

/* jit_node.c: one pass over the trie into c->b; a node's code */
int jit_run_pass(struct jc *c);
void emit_node(struct jc *c, const struct dpf_node *n);

/* jit_atom.c: one atom's code; fail is the label a failed test jumps to */
void emit_bounds(struct jc *c, int rel, uint32_t end, uint32_t fail);
void emit_load(struct jit_buf *b, const struct dpf_atom *a);
void emit_field(struct jc *c, const struct dpf_atom *a, uint32_t fail);
void emit_test(struct jit_buf *b, const struct dpf_atom *a, uint32_t fail);
void emit_eq(struct jit_buf *b, const struct dpf_atom *a, uint32_t value,
	     int ne, uint32_t fail);
void emit_move(struct jit_buf *b, const struct dpf_atom *a);

/* jit_table.c: a TABLE group; the end of a chain's furthest field */
void emit_table(struct jc *c, struct ginfo *gi, uint32_t done);
uint32_t chain_end(const struct dpf_shape *s, uint32_t i, int rel);

#endif /* DPF_JIT_INT_H */
