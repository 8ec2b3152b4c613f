/*
 * dpf-bench internals: the workload (packets + per-connection filters) and
 * the engines that demultiplex it.
 *
 * Every engine answers the same question for each packet: which installed
 * connection filter (id 1..N) accepts it, or 0. The filters are disjoint
 * (one per TCP 4-tuple), so the answer is unique and every engine's
 * verdicts can be compared with every other's.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <pcap/pcap.h>

#include "pktfile.h"

#define BENCH_MAX_CONNS 65536

/* A TCP connection as the local libOS sees it: packets come from the
 * remote (src) to the local (dst) side. Addresses and ports host order. */
struct conn {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
};

struct workload {
	struct pktfile pf;       /* the distinct packets */
	const struct pkt **seq;  /* the packet sequence run (may repeat pf) */
	size_t n;                /* length of seq */
	struct conn conns[BENCH_MAX_CONNS];
	size_t nconns;
	/* Synthesized mix only: packets that belong to a connection; they are
	 * re-aimed at the first N connections for each filter count. */
	size_t *hit_idx;
	size_t nhits;
	int synthetic;
	char describe[200];
};

/* workload.c */
int workload_synth(struct workload *w, size_t npkts);
int workload_pcap(struct workload *w, const char *path, size_t npkts,
		  char *err, size_t errlen);
void workload_aim(struct workload *w, size_t nfilters);
void conn_expr(const struct conn *c, char *buf, size_t len);
void workload_free(struct workload *w);

/* An engine with the first `n` connection filters installed. */
struct engine {
	const char *name;
	/* 0, or -1 with err set (the engine could not be set up). */
	int (*setup)(void *self, const struct workload *w,
		     const struct bpf_program *progs, size_t n, char *err,
		     size_t errlen);
	/* Verdicts for packets seq[first], seq[first + stride], ... (count
	 * of them) into out[]. */
	void (*run)(void *self, const struct workload *w, size_t first,
		    size_t stride, size_t count, uint32_t *out);
	void (*teardown)(void *self);
	void *self;
	/* Runs each installed filter in turn: cost grows with N, so large N
	 * runs on a subsample of the packets. */
	int per_filter;
};

extern struct engine engine_dpf_jit, engine_dpf_interp, engine_libpcap,
	engine_hand;

/* dpdk.c: DPDK's rte_bpf JIT runs in a child process (see there); it
 * fills ns/packet and the verdicts, or returns -1 with err set. */
int dpdk_available(void);
int dpdk_measure(const struct workload *w, const struct bpf_program *progs,
		 size_t n, size_t first, size_t stride, size_t count,
		 int repeat, uint32_t *verdicts, double *ns_per_pkt,
		 char *err, size_t errlen);

/* main.c */
double bench_now_ns(void);

/* insert.c: prints the insert + re-JIT time (progs: at least 4097). */
void bench_insert(int csv, const struct bpf_program *progs);

#endif /* BENCH_H */
