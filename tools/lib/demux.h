/*
 * One DPF demux point on the host: a trie plus, for the JIT engine, its
 * compiled image, with pcap-filter expressions going in the way a libOS's
 * filters reach the kernel: translate (bpf2dpf), encode as bytecode,
 * dpf_verify, dpf_trie_insert. Shared by dpf-replay, dpf-bench and the
 * expression fuzzer.
 */
#ifndef DEMUX_H
#define DEMUX_H

#include <stdint.h>

#include "dpf/dpf.h"

enum demux_engine { DEMUX_JIT, DEMUX_INTERP };

struct demux {
	struct dpf_trie *trie;
	struct dpf_jit *jit;   /* DEMUX_JIT, after demux_commit */
	dpf_jit_fn fn;
	int engine;
	int stale;             /* inserted/deleted since the last commit */
};

/* "jit" / "interp" -> engine, or -1. */
int demux_engine_parse(const char *name);

int demux_init(struct demux *d, int engine);
void demux_free(struct demux *d);

/* Translate expr and install it as (id, owner). Returns 0; 1 if the
 * expression matches no packet at all (nothing is installed: DPF bytecode
 * has no "never" filter); or -1 with msg set: a bad or untranslatable
 * expression, a verifier refusal, an overlap (with *other_id set), ... */
int demux_insert_expr(struct demux *d, const char *expr, uint32_t id,
		      uint32_t owner, char *msg, size_t msglen,
		      uint32_t *other_id);

/* Install an already translated filter through bytecode + dpf_verify. */
int demux_insert_filter(struct demux *d, const struct dpf_filter *f,
			uint32_t id, uint32_t owner, struct dpf_error *err);

/* Recompile the JIT image if the trie changed (no-op for the
 * interpreter). 0, or -1 with err set. */
int demux_commit(struct demux *d, struct dpf_error *err);

/* The owning filter id, or DPF_NO_MATCH. demux_commit first. */
static inline uint32_t demux_run(const struct demux *d, const uint8_t *pkt,
				 uint32_t caplen, uint32_t wirelen)
{
	if (d->engine == DEMUX_JIT)
		return d->fn(pkt, caplen, wirelen);
	return dpf_interp(d->trie, pkt, caplen, wirelen);
}

#endif /* DEMUX_H */
