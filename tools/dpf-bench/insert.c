/*
 * The cost of a change to the demux point: one filter inserted into a trie
 * that already holds 4096, bytecode verification and JIT recompilation of
 * the whole trie included (what the kernel does when a libOS installs a
 * filter). The filter is translated beforehand (that is the libOS's work),
 * and deleted again after each trial, untimed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "bpf2dpf.h"
#include "demux.h"

#define BASE_FILTERS 4096
#define TRIALS 21


static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double med(double *v)
{
	qsort(v, TRIALS, sizeof(*v), cmp);
	return v[TRIALS / 2];
}

static int install(struct demux *d, const struct bpf_program *p, uint32_t id)
{
	static struct dpf_filter f;
	struct b2d_error berr;
	struct dpf_error derr;

	if (b2d_translate(p->bf_insns, p->bf_len, &f, &berr) < 0 ||
	    demux_insert_filter(d, &f, id, id, &derr) < 0)
		return -1;
	return 0;
}

void bench_insert(int csv, const struct bpf_program *progs)
{
	static struct dpf_filter f;
	double ins[TRIALS], jit[TRIALS], all[TRIALS], t0, t1, t2;
	struct b2d_error berr;
	struct dpf_error derr;
	struct demux d;
	FILE *fp = csv ? stderr : stdout;
	uint32_t id;
	int i;

	if (demux_init(&d, DEMUX_JIT) < 0)
		return;
	for (id = 1; id <= BASE_FILTERS; id++)
		if (install(&d, &progs[id - 1], id) < 0)
			goto fail;
	if (demux_commit(&d, &derr) < 0 ||
	    b2d_translate(progs[BASE_FILTERS].bf_insns,
			  progs[BASE_FILTERS].bf_len, &f, &berr) < 0)
		goto fail;
	for (i = 0; i < TRIALS; i++) {
		t0 = bench_now_ns();
		if (demux_insert_filter(&d, &f, id, id, &derr) < 0)
			goto fail;
		t1 = bench_now_ns();
		if (demux_commit(&d, &derr) < 0)
			goto fail;
		t2 = bench_now_ns();
		ins[i] = (t1 - t0) / 1e3;
		jit[i] = (t2 - t1) / 1e3;
		all[i] = (t2 - t0) / 1e3;
		dpf_trie_delete(d.trie, id);
		d.stale = 1;
	}
	fprintf(fp, "%sinsert one filter into a %d-filter trie, re-JIT "
		"included: %.1f us (median of %d; verify+insert %.1f us, "
		"JIT %.1f us, image %zu bytes)\n", csv ? "# " : "",
		BASE_FILTERS, med(all), TRIALS, med(ins), med(jit),
		d.jit ? dpf_jit_size(d.jit) : (size_t)0);
	demux_free(&d);
	return;
fail:
	fprintf(stderr, "dpf-bench: insert measurement failed\n");
	demux_free(&d);
}
