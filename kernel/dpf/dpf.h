/*
 * DPF: dynamic packet filters — the public interface.
 *
 * A libOS hands the kernel filter bytecode (format below, documented in
 * docs/dpf.md). The kernel verifies it (dpf_verify), merges it with every other
 * filter on the same demux point into one trie (dpf_trie_insert), and runs the
 * trie on each packet, either interpreted (dpf_interp) or JIT-compiled to
 * x86-64 (dpf_jit_*). Lookup returns the owning filter id.
 *
 * The same sources build freestanding (kernel) and on the host (tests, fuzzers,
 * dpf-replay, dpf-bench). Platform services (memory, executable pages) come
 * through struct dpf_env (dpf_env.h); nothing here calls libc or the kernel.
 */
#ifndef DPF_H
#define DPF_H

#include <stddef.h>
#include <stdint.h>

/* ---- Bytecode, version 1 (all fields little-endian) ------------------------
 *
 *   struct dpf_prog_hdr
 *   repeat npaths times:
 *     struct dpf_path_hdr
 *     struct dpf_atom[natoms]
 *
 * A filter accepts a packet if any one of its paths accepts it (disjunction);
 * a path accepts if every atom holds, in order (conjunction). Packet fields
 * are read big-endian (network order), as in BPF.
 *
 * Each path carries a base offset, initially 0. An atom with DPF_F_REL reads
 * at base + offset, otherwise at offset. A read that does not lie wholly
 * inside the captured bytes makes the path fail ("no match"), as in BPF.
 */
#define DPF_MAGIC    0x31465044u /* "DPF1" */
#define DPF_VERSION  1

#define DPF_MAX_PATHS          64     /* paths per filter */
#define DPF_MAX_ATOMS_PER_PATH 64
#define DPF_MAX_ATOMS          512    /* atoms per filter, all paths */
#define DPF_MAX_OFFSET         65535  /* largest atom offset */
#define DPF_MAX_SHIFT          7      /* largest shift-atom scale */
#define DPF_MAX_BASE           (1u << 24) /* bound on any path's base */
/* The largest well-formed program: every limit reached at once. Anything
 * longer is refused before it is parsed. */
#define DPF_MAX_PROG_LEN (16 + DPF_MAX_PATHS * 4 + DPF_MAX_ATOMS * 20)

enum dpf_op {
	DPF_OP_CMP = 1,     /* (field & mask) <cmp> value                      */
	DPF_OP_SHIFT = 2,   /* base = anchor + ((field & mask) << shift) + value */
	DPF_OP_ADVANCE = 3, /* base = anchor + value                            */
};
/* where anchor = (flags & DPF_F_REL) ? base : 0, and the SHIFT field is read
 * at anchor + offset. So BPF's "ldx 4*([14]&0xf)" is SHIFT{abs, off 14,
 * width 1, mask 0xf, shift 2} and "ld [x+k]" is CMP{REL, off k}.
 *
 * Field rules the verifier enforces (docs/dpf.md has the full list):
 *  - CMP: width LEN, 8, 16 or 32; mask non-zero and within the width (LEN
 *    counts as 32 bits); flags only DPF_F_REL (not with LEN); offset 0 for
 *    LEN; shift 0. EQ/NE: value has no bit outside mask. LT/LE/GT/GE: value
 *    <= mask (the largest masked field). SET: value 0.
 *  - SHIFT: width 8, 16 or 32 (not LEN); mask as for CMP; cmp 0; shift
 *    0..DPF_MAX_SHIFT; value is any constant, but the largest base the path
 *    could reach, anchor_max + (mask << shift) + value, must stay
 *    <= DPF_MAX_BASE. So base + offset + 4 never overflows 32 bits.
 *  - ADVANCE: width, cmp, shift, offset and mask 0; flags only DPF_F_REL;
 *    the same DPF_MAX_BASE bound on anchor_max + value.
 *  - Every reserved byte is 0.
 * A path may end with a SHIFT or ADVANCE atom (it then acts like its prefix).
 */

enum dpf_width {
	DPF_W_LEN = 0,  /* CMP only: the packet's wire length (offset must be 0) */
	DPF_W8 = 1,
	DPF_W16 = 2,
	DPF_W32 = 4,
};

enum dpf_cmp {
	DPF_EQ = 1, DPF_NE, DPF_LT, DPF_LE, DPF_GT, DPF_GE, /* unsigned */
	DPF_SET,    /* (field & mask) != 0; value must be 0 */
};

#define DPF_F_REL 0x01 /* offset is relative to the path's base */

struct dpf_prog_hdr {
	uint32_t magic;    /* DPF_MAGIC */
	uint16_t version;  /* DPF_VERSION */
	uint16_t npaths;   /* 1..DPF_MAX_PATHS */
	uint32_t flags;    /* none defined: must be 0 */
	uint32_t reserved; /* must be 0 */
};

struct dpf_path_hdr {
	uint16_t natoms;   /* 1..DPF_MAX_ATOMS_PER_PATH */
	uint16_t reserved; /* must be 0 */
};

struct dpf_atom {
	uint8_t op;        /* enum dpf_op */
	uint8_t width;     /* enum dpf_width */
	uint8_t cmp;       /* enum dpf_cmp (CMP), else 0 */
	uint8_t flags;     /* DPF_F_* */
	uint8_t shift;     /* SHIFT: 0..DPF_MAX_SHIFT, else 0 */
	uint8_t reserved[3];
	uint32_t offset;   /* 0..DPF_MAX_OFFSET */
	uint32_t mask;     /* must fit the width; 0 is refused */
	uint32_t value;    /* must fit the mask (CMP), see enum dpf_op */
};

_Static_assert(sizeof(struct dpf_prog_hdr) == 16, "dpf_prog_hdr layout");
_Static_assert(sizeof(struct dpf_path_hdr) == 4, "dpf_path_hdr layout");
_Static_assert(sizeof(struct dpf_atom) == 20, "dpf_atom layout");

#define DPF_NO_MATCH 0u /* lookup result when no filter accepts; ids are >= 1 */

/* Match semantics, identical in both engines: among all (filter, path)
 * pairs whose path accepts the packet, the path with the most atoms wins;
 * ties go to the lowest filter id. Several filters can accept one packet
 * only if they share an owner or were inserted with DPF_INS_OVERLAP_OK. */

/* ---- Errors ------------------------------------------------------------- */

enum dpf_errcode {
	DPF_OK = 0,
	DPF_E_FORMAT = -1,   /* malformed bytecode (verifier) */
	DPF_E_LIMIT = -2,    /* a documented limit exceeded */
	DPF_E_OVERLAP = -3,  /* insert would take another owner's packets */
	DPF_E_EXISTS = -4,   /* filter id already installed */
	DPF_E_NOENT = -5,    /* no such filter id */
	DPF_E_NOMEM = -6,
	DPF_E_JIT = -7,      /* code buffer too small / emitter failure */
	DPF_E_INVAL = -8,    /* bad argument: id 0, unknown insert flag, ... */
};

/* Where and why an operation failed: "path 0, atom 7: offset 70000 beyond
 * the 65535-byte limit". path/atom are -1 when not applicable. */
struct dpf_error {
	int code;       /* enum dpf_errcode */
	int path;
	int atom;
	uint32_t other_id; /* DPF_E_OVERLAP: the existing filter that conflicts */
	char msg[160];
};

/* A static description of a dpf_errcode ("malformed bytecode", ...). */
const char *dpf_strerror(int code);

/* ---- Verified filters ---------------------------------------------------- */

/* A verified filter: the decoded, checked form of one bytecode program. */
struct dpf_filter {
	uint16_t npaths;
	uint16_t natoms[DPF_MAX_PATHS];
	struct dpf_atom atoms[DPF_MAX_ATOMS]; /* paths stored back to back */
};

/* Decode and check bytecode. Returns 0 and fills *out, or a negative
 * dpf_errcode with *err saying which path/atom and why. Never reads outside
 * [prog, prog+len). */
int dpf_verify(const void *prog, size_t len, struct dpf_filter *out,
	       struct dpf_error *err);

/* ---- Building bytecode (libOS side, translators, tests) ------------------ */

struct dpf_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	size_t path_hdr;   /* offset of the open path's header */
	int npaths;
	int failed;        /* sticky: a call overflowed buf or a limit */
};

void dpf_build_init(struct dpf_builder *b, void *buf, size_t cap);
void dpf_build_path(struct dpf_builder *b); /* starts a new path */
void dpf_build_cmp(struct dpf_builder *b, uint8_t flags, uint32_t offset,
		   uint8_t width, uint32_t mask, uint8_t cmp, uint32_t value);
void dpf_build_shift(struct dpf_builder *b, uint8_t flags, uint32_t offset,
		     uint8_t width, uint32_t mask, uint8_t shift, uint32_t value);
void dpf_build_advance(struct dpf_builder *b, uint8_t flags, uint32_t value);
/* Returns the program length, or 0 if any call failed. */
size_t dpf_build_finish(struct dpf_builder *b);

/* ---- The merged trie ----------------------------------------------------- */

struct dpf_env;   /* dpf_env.h: allocation and executable-memory hooks */
struct dpf_trie;

#define DPF_INS_OVERLAP_OK 0x1 /* caller holds the overlap capability */

/* env is copied; its hooks must stay valid for the trie's lifetime and
 * for every image compiled from it. A trie is not locked: serialize
 * insert/delete against lookups (or use JIT images, see below). */
struct dpf_trie *dpf_trie_create(const struct dpf_env *env);
void dpf_trie_destroy(struct dpf_trie *t);

/* Insert a verified filter under (id, owner). Refuses with DPF_E_OVERLAP if
 * the filter could accept a packet that a filter of another owner accepts,
 * unless DPF_INS_OVERLAP_OK (see docs/dpf.md for the exact rule). */
int dpf_trie_insert(struct dpf_trie *t, const struct dpf_filter *f,
		    uint32_t id, uint32_t owner, uint32_t flags,
		    struct dpf_error *err);
/* Remove filter id; the trie then behaves exactly as before its insert.
 * 0, or DPF_E_NOENT. Never fails for lack of memory. */
int dpf_trie_delete(struct dpf_trie *t, uint32_t id);
/* Give installed filter id the id nid (not installed) and the owner
 * nowner, in place: the trie then behaves as if the filter had been
 * inserted under (nid, nowner), except that the overlap rule is not
 * checked again. 0, DPF_E_NOENT, DPF_E_EXISTS or DPF_E_INVAL (nid 0).
 * Never fails for lack of memory (the kernel hands a shared filter from
 * a departing member to another with it). */
int dpf_trie_rekey(struct dpf_trie *t, uint32_t id, uint32_t nid,
		   uint32_t nowner);
/* Number of filters installed. */
size_t dpf_trie_count(const struct dpf_trie *t);

/* The interpreter: the id of the accepting filter, or DPF_NO_MATCH. caplen
 * bytes of pkt are readable; wirelen is the length on the wire (DPF_W_LEN). */
uint32_t dpf_interp(const struct dpf_trie *t, const uint8_t *pkt,
		    uint32_t caplen, uint32_t wirelen);

/* ---- The JIT -------------------------------------------------------------- */

typedef uint32_t (*dpf_jit_fn)(const uint8_t *pkt, uint32_t caplen,
			       uint32_t wirelen);

struct dpf_jit;
/* Compile the whole trie into native code (W^X through the env hooks).
 * Returns NULL and fills *err on failure. Recompile after insert/delete.
 * The image does not refer to the trie: an old image keeps giving the old
 * verdicts until it is freed, so a caller can compile, switch, then free.
 * The function it returns reads no packet byte outside pkt[0..caplen), uses
 * at most 8 * DPF_MAX_ATOMS_PER_PATH + 8 bytes of stack, nothing below rsp,
 * and no SSE/x87 register, so the kernel may call it directly. */
struct dpf_jit *dpf_jit_compile(const struct dpf_trie *t, struct dpf_error *err);
dpf_jit_fn dpf_jit_entry(const struct dpf_jit *j);
size_t dpf_jit_size(const struct dpf_jit *j);
void dpf_jit_free(struct dpf_jit *j);

/* What a compilation produced (tests, dpf-bench, debugging). */
struct dpf_jit_stats {
	size_t image_size;     /* code + int3 padding + tables */
	size_t code_size;
	uint32_t passes;       /* sizing passes until the layout converged */
	uint32_t flat_groups;  /* table groups with a shared chain */
	uint32_t small_groups; /* compare-and-branch groups */
	uint32_t hash_groups;  /* table groups with children's own code */
	uint32_t two_choice;   /* flat groups with a two-choice table */
};
void dpf_jit_get_stats(const struct dpf_jit *j, struct dpf_jit_stats *out);

#endif /* DPF_H */
