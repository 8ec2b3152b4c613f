/*
 * Internals shared by the DPF library's files (not for users: see dpf.h).
 *
 * The merged trie. Every path of every installed filter is a walk from the
 * root, one node per atom: a node stands for "the atoms on the way here all
 * held", and carries the base that its path computed. Children hang from a
 * node in two ways:
 *   - generic edges: any atom other than a CMP/EQ; the child node stores the
 *     atom (struct dpf_node.atom) and is found by comparing atoms;
 *   - hash groups: all CMP/EQ children that test the same field (same op,
 *     width, flags, offset and mask) share one struct dpf_group, which maps
 *     the compared value to the child. A packet has one value in that field,
 *     so at most one child of a group can match: O(1) in the number of
 *     siblings, which is what per-connection demux needs.
 * A node where some path ends carries an accept record per (filter, path).
 */
#ifndef DPF_INT_H
#define DPF_INT_H

#include <stdarg.h>
#include "dpf.h"
#include "dpf_env.h"

/* ---- Errors (err.c) ---- */
int dpf_fail(struct dpf_error *err, int code, int path, int atom,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void dpf_ok(struct dpf_error *err);

/* ---- Atom rules (verify.c), shared by dpf_verify and dpf_trie_insert ---- */
int dpf_check_filter(const struct dpf_filter *f, struct dpf_error *err);

/* Largest value (field & mask) can take, as a width mask: 0xff, ... */
static inline uint32_t dpf_width_mask(uint8_t width)
{
	return width == DPF_W8 ? 0xffu : width == DPF_W16 ? 0xffffu : 0xffffffffu;
}

static inline int dpf_atom_is_eq(const struct dpf_atom *a)
{
	return a->op == DPF_OP_CMP && a->cmp == DPF_EQ;
}

/* Atoms that test the same field the same way (all but the value). */
static inline int dpf_same_field(const struct dpf_atom *a,
				 const struct dpf_atom *b)
{
	return a->op == b->op && a->width == b->width && a->cmp == b->cmp &&
	       a->flags == b->flags && a->shift == b->shift &&
	       a->offset == b->offset && a->mask == b->mask;
}

static inline int dpf_same_atom(const struct dpf_atom *a,
				const struct dpf_atom *b)
{
	return dpf_same_field(a, b) && a->value == b->value;
}

/* ---- u32 -> pointer hash map (map.c): open addressing, linear probing ---- */
struct dpf_slot {
	uint32_t key;
	uint32_t used;
	void *val;
};

struct dpf_map {
	struct dpf_slot *slots;
	uint32_t bits;  /* capacity 1 << bits, 0 when slots is NULL */
	uint32_t n;
};

/* Fibonacci hashing: the top bits of v * 2^32/phi. The JIT emits the same
 * function for its probes (jit.c), so keep the two in step. */
#define DPF_HASH_MUL 0x9e3779b1u
static inline uint32_t dpf_hash_idx(uint32_t v, uint32_t bits)
{
	return (uint32_t)(v * DPF_HASH_MUL) >> (32 - bits);
}

struct dpf_slot *dpf_map_find(const struct dpf_map *m, uint32_t key);
void *dpf_map_get(const struct dpf_map *m, uint32_t key);
int dpf_map_put(const struct dpf_env *env, struct dpf_map *m, uint32_t key,
		void *val); /* key must be absent; 0 or DPF_E_NOMEM */
void *dpf_map_del(const struct dpf_env *env, struct dpf_map *m, uint32_t key);
/* Move key's value to nkey (absent); the value, or NULL if key is absent
 * or nkey present. Never allocates. */
void *dpf_map_rekey(struct dpf_map *m, uint32_t key, uint32_t nkey);

/* dpf_map_get for the packet path (the interpreter): inline. */
static inline void *dpf_map_lookup(const struct dpf_map *m, uint32_t key)
{
	uint32_t mask, i;

	if (!m->slots)
		return NULL;
	mask = (1u << m->bits) - 1;
	for (i = dpf_hash_idx(key, m->bits); m->slots[i].used;
	     i = (i + 1) & mask)
		if (m->slots[i].key == key)
			return m->slots[i].val;
	return NULL;
}
void dpf_map_free(const struct dpf_env *env, struct dpf_map *m);
static inline uint32_t dpf_map_cap(const struct dpf_map *m)
{
	return m->slots ? 1u << m->bits : 0;
}

/* ---- The trie (trie.c) ---- */
struct dpf_accept {
	uint32_t id;
	uint32_t owner;
	uint32_t len;   /* atoms in the accepting path: the match priority */
};

struct dpf_group;
struct dpf_sum;

struct dpf_node {
	struct dpf_node *parent;
	struct dpf_group *in_group;   /* the group this node hangs from, or NULL */
	struct dpf_atom atom;         /* the atom leading here (root: unused) */
	struct dpf_sum *sum;          /* group children only: chain.c */
	uint32_t gidx;                /* index in in_group->flat or ->other */
	uint32_t gmem;                /* DPF_GM_*: which of the two, if any */
	struct dpf_node **edges;      /* generic children */
	struct dpf_group **groups;
	struct dpf_accept *acc;
	uint32_t nedges, cedges;
	uint32_t ngroups, cgroups;
	uint32_t nacc, cacc;
};

struct dpf_group {
	struct dpf_node *parent;
	struct dpf_atom key;          /* the common CMP/EQ atom, value 0 */
	struct dpf_map kids;          /* value -> struct dpf_node * */
	/* chain.c: every child is in one of two dense arrays: flat, the
	 * children whose chain has the shape flat_shape, as the JIT's table
	 * wants them, or other, the rest. So the JIT compiles a group of
	 * thousands without visiting the children that share the shape. If
	 * an allocation failed, a child may be in neither (nflat + nother <
	 * kids.n) and the JIT then looks at every child. */
	const struct dpf_shape *flat_shape;
	struct dpf_flat *flat;
	struct dpf_node **other;
	uint32_t nflat, cflat;
	uint32_t nother, cother;
};

#define DPF_GM_NONE 0
#define DPF_GM_FLAT 1
#define DPF_GM_OTHER 2

/* What a filter id owns: one leaf (accepting node) per path. */
struct dpf_rec {
	uint32_t id;
	uint32_t owner;
	uint32_t npaths;
	struct dpf_node *leaf[];
};

struct dpf_trie {
	struct dpf_env env;
	struct dpf_node root;
	struct dpf_map filters;       /* id -> struct dpf_rec * */
	struct dpf_map shapes;        /* hash -> struct dpf_shape * (chain.c) */
	struct dpf_atom scratch[DPF_MAX_ATOMS_PER_PATH]; /* a path, reordered */
	uint32_t nnodes;
};

static inline void *dpf_alloc(const struct dpf_env *env, size_t size)
{
	return env->alloc(env->ctx, size);
}

static inline void dpf_free(const struct dpf_env *env, void *p, size_t size)
{
	if (p)
		env->free(env->ctx, p, size);
}

/* Priority key of an accept: more atoms first, then the lower id. A larger
 * key wins; 0 means "nothing accepted yet". Both engines use it. */
static inline uint64_t dpf_accept_key(uint32_t len, uint32_t id)
{
	return ((uint64_t)len << 32) | (uint32_t)~id;
}

static inline uint32_t dpf_key_id(uint64_t key)
{
	return key ? ~(uint32_t)key : DPF_NO_MATCH;
}

/* The best accept key of a node (0 if it has none). */
uint64_t dpf_node_best(const struct dpf_node *n);

/* ---- Chain summaries (chain.c), for the JIT's shared-chain tables ---- */
#define DPF_FLAT_MAX_EQ 12

/* A chain's atoms, with the values of EQ atoms zeroed; interned. */
struct dpf_shape {
	struct dpf_shape *next;       /* another shape with the same hash */
	uint32_t hash;
	uint32_t refs;
	uint32_t natoms;
	uint8_t neq;                  /* EQ atoms among them */
	uint8_t shifts;               /* any SHIFT or ADVANCE among them */
	struct dpf_atom atoms[];
};

/* The chain below a group child: its shape, EQ values, best accept. */
struct dpf_sum {
	struct dpf_shape *shape;
	uint64_t key;
	uint32_t eq[DPF_FLAT_MAX_EQ];
};

/* One child of a group in the group's dense array of shared chains. */
struct dpf_flat {
	uint32_t value;               /* the child's value in the group */
	uint32_t pad;
	uint64_t key;                 /* its chain's best accept key */
	uint32_t eq[DPF_FLAT_MAX_EQ]; /* its chain's EQ values */
	struct dpf_node *node;
};

const struct dpf_node *dpf_only_kid(const struct dpf_group *g);
const struct dpf_node *dpf_chain_next(const struct dpf_node *n);
void dpf_chain_update_up(struct dpf_trie *t, struct dpf_node *n);
void dpf_chain_release(struct dpf_trie *t, struct dpf_node *n);
/* The accepts of leaf changed id only (dpf_trie_rekey): refresh keys. */
void dpf_chain_rekey_up(struct dpf_trie *t, struct dpf_node *leaf);

/* ---- Overlap rule (overlap.c) ---- */
int dpf_overlap_check(const struct dpf_trie *t, const struct dpf_filter *f,
		      uint32_t owner, struct dpf_error *err);

/* ---- Packet access, shared by the interpreter and the overlap code ---- */
static inline const struct dpf_atom *dpf_path_atoms(const struct dpf_filter *f,
						    uint32_t path)
{
	const struct dpf_atom *a = f->atoms;

	for (uint32_t p = 0; p < path; p++)
		a += f->natoms[p];
	return a;
}

#endif /* DPF_INT_H */
