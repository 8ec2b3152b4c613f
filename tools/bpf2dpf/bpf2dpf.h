/*
 * bpf2dpf: translate classic BPF (as produced by libpcap's pcap_compile for
 * Ethernet) into DPF filters. Host-only; used by dpf-replay, dpf-bench, the
 * translator tests and the expression fuzzer.
 *
 * The translator executes the BPF program symbolically. Along every path of
 * the (acyclic) control-flow graph it tracks what A, X and the scratch
 * memory hold: a constant, a packet field "(P[off:width] & mask) >> rsh"
 * read at an absolute offset or relative to a header offset, the wire
 * length, or a header offset ("((P[off] & mask) << shift) + value", what
 * `ldx 4*([k]&0xf)` computes). Each conditional jump on a field adds one
 * compare atom to each side (jeq -> EQ / NE, jgt -> GT / LE, jset -> SET /
 * EQ 0 under the mask ...); an indirect load `ld [x+k]` becomes a SHIFT atom
 * that sets the path's base, then relative compare atoms. Every path that
 * reaches a non-zero `ret` is one DPF path (a conjunction); the filter is
 * their disjunction. Jumps whose outcome the atoms already on the path
 * decide are not split, so contradictory paths are never produced.
 *
 * Out-of-bounds loads: BPF rejects the packet at the load; a DPF atom that
 * reads outside the packet fails its path. A load whose value is never
 * compared still gets an always-true atom at its offset, so that it keeps
 * failing the path on short packets exactly as the BPF load would.
 */
#ifndef BPF2DPF_H
#define BPF2DPF_H

#include <stddef.h>
#include <stdio.h>
#include <pcap/pcap.h>

#include "dpf/dpf.h" /* -Ikernel */

#define B2D_MAX_STEPS 200000 /* BPF instructions explored over all paths */
#define B2D_MAX_INSNS 4096   /* longest program accepted (BPF_MAXINSNS) */

struct b2d_error {
	int insn;      /* BPF instruction at fault, or -1 */
	char msg[256]; /* "cannot express: BPF insn 12 'add x' (...)" */
};

/* Translate n BPF instructions into *out. Returns 0 on success; out->npaths
 * is 0 when no path accepts (the filter matches nothing, which DPF bytecode
 * cannot say: callers treat it as "never matches"). Returns -1 with *err
 * filled when the program cannot be expressed in DPF or exceeds a limit. */
int b2d_translate(const struct bpf_insn *insns, unsigned n,
		  struct dpf_filter *out, struct b2d_error *err);

/* pcap_compile(expr) on a dead DLT_EN10MB handle (snaplen 262144, optimized,
 * unknown netmask), then b2d_translate. A bad expression is reported as
 * "bad expression: <libpcap's message>". */
int b2d_compile(const char *expr, struct dpf_filter *out,
		struct b2d_error *err);

/* Compile expr to classic BPF only (for reference runs with bpf_filter).
 * Returns 0, or -1 with err->msg set. Free with pcap_freecode. */
int b2d_pcap_compile(const char *expr, struct bpf_program *prog,
		     struct b2d_error *err);

/* Encode a translated filter (npaths >= 1) as DPF bytecode through the
 * dpf_build_* calls. Returns the length, or 0 if buf is too small. */
size_t b2d_encode(const struct dpf_filter *f, void *buf, size_t cap);

/* Largest bytecode b2d_encode can produce. */
#define B2D_MAX_BYTECODE (sizeof(struct dpf_prog_hdr) + \
	DPF_MAX_PATHS * sizeof(struct dpf_path_hdr) + \
	DPF_MAX_ATOMS * sizeof(struct dpf_atom))

/* Text form, one atom a line (print.c). */
void b2d_print(FILE *fp, const struct dpf_filter *f);
void b2d_print_atom(FILE *fp, const struct dpf_atom *a);

/* Pure helpers, exposed for the unit tests. For a field whose value x only
 * has bits of mask m: the smallest y >= v with y's bits within m (returns 0
 * and sets *none when there is none), and the largest y <= v likewise. */
uint32_t b2d_next_fit(uint32_t v, uint32_t m, int *none);
uint32_t b2d_prev_fit(uint32_t v, uint32_t m);

#endif /* BPF2DPF_H */
