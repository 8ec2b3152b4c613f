/*
 * Internals of the DPF JIT, shared by its three files:
 *   jit.c        the driver: passes until the layout converges, the image,
 *                W^X, the public dpf_jit_* calls;
 *   jit_group.c  the first walk (how to compile each hash group, where its
 *                table goes) and the tables' contents;
 *   jit_node.c   translation, split by what is compiled: node, edge, the
 *                three kinds of group, prologue and epilogue.
 * The emitter they use is jit_emit.h.
 */
#ifndef DPF_JIT_INT_H
#define DPF_JIT_INT_H

#include "jit_emit.h"

/* Register map (all caller-saved: nothing to save, no frame). */
#define R_PKT  RDI  /* packet bytes (argument 1) */
#define R_CAP  RSI  /* caplen (argument 2), zero-extended to 64 bits */
#define R_WIRE RDX  /* wirelen (argument 3), zero-extended: the LEN field */
#define R_BASE R8   /* the current path's base, 32 bits */
#define R_BEST R9   /* best accept key so far (dpf_accept_key), 0 = none */
#define R_X    RCX  /* the field just loaded */
#define R_TMP  RAX  /* bounds arithmetic, hash probe offset */
#define R_TAB  R10  /* hash table, then the matching entry */
#define R_TMP2 R11  /* jump target of a hash group */

#define MAX_PASSES 10            /* sizing passes before giving up */
#define SMALL_GROUP 4            /* up to this many children: SMALL */
#define JIT_MAX_IMAGE (256u << 20)

/* How a hash group is compiled (details in jit.c). */
enum gkind {
	G_TABLE,   /* inline probe of a table; shared chain and/or jumps */
	G_SMALL,   /* compare-and-branch to each child's code */
};

/* What the first walk decided about each hash group, in emission order. */
struct ginfo {
	const struct dpf_group *g;
	const struct dpf_shape *shape;  /* the flat children's chain, or NULL */
	const struct dpf_node **code;   /* TABLE: children with their own code */
	uint32_t ncode;
	uint8_t code_owned;             /* code[] allocated here, free it */
	uint8_t scan;                   /* the group's arrays are incomplete */
	uint8_t kind;
	uint8_t esize_log2;
	uint8_t neq;
	uint8_t shifts;                 /* the shared chain moves the base */
	uint32_t bits;                  /* table capacity 1 << bits */
	uint32_t data_off;              /* table offset within the data part */
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
};

/* jit_group.c */
int jit_classify(struct jc *c, const struct dpf_node *n);
void jit_fill_tables(struct jc *c, uint8_t *image);
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

/* jit_node.c: one pass over the trie into c->b */
int jit_run_pass(struct jc *c);

#endif /* DPF_JIT_INT_H */
