/*
 * The engines of dpf-bench that run in-process: DPF (JIT and interpreter),
 * and libpcap's bpf_filter run over each installed filter in turn, the way
 * per-socket BPF demultiplexing works (it stops at the first filter that
 * accepts, which favours it: the filters are disjoint).
 *
 * The DPF filters go in the way a libOS's would: the pcap-filter
 * expression's BPF is translated (bpf2dpf), encoded, verified and inserted
 * into one trie, which is then JIT-compiled. Filters are added
 * incrementally as N grows.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bpf2dpf.h"
#include "demux.h"

struct dpf_engine {
	struct demux d;
	int engine;
	int ready;
	size_t installed;
};

static struct dpf_engine jit_self = { .engine = DEMUX_JIT };
static struct dpf_engine interp_self = { .engine = DEMUX_INTERP };

static int dpf_setup(void *self, const struct workload *w,
		     const struct bpf_program *progs, size_t n, char *err,
		     size_t errlen)
{
	static struct dpf_filter f;
	struct dpf_engine *e = self;
	struct b2d_error berr;
	struct dpf_error derr;

	(void)w;
	if (e->ready && e->installed > n) {
		demux_free(&e->d);
		e->ready = 0;
	}
	if (!e->ready) {
		if (demux_init(&e->d, e->engine) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		e->ready = 1;
		e->installed = 0;
	}
	for (; e->installed < n; e->installed++) {
		uint32_t id = (uint32_t)e->installed + 1;

		if (b2d_translate(progs[e->installed].bf_insns,
				  progs[e->installed].bf_len, &f, &berr) < 0) {
			snprintf(err, errlen, "filter %u: %s", id, berr.msg);
			return -1;
		}
		if (demux_insert_filter(&e->d, &f, id, id, &derr) < 0) {
			snprintf(err, errlen, "filter %u: %s", id, derr.msg);
			return -1;
		}
	}
	if (demux_commit(&e->d, &derr) < 0) {
		snprintf(err, errlen, "JIT: %s", derr.msg);
		return -1;
	}
	return 0;
}

static void dpf_run(void *self, const struct workload *w, size_t first,
		    size_t stride, size_t count, uint32_t *out)
{
	const struct demux *d = &((struct dpf_engine *)self)->d;
	const dpf_jit_fn fn = d->fn;
	size_t i, at = first;

	if (d->engine == DEMUX_JIT) { /* the native code, called directly */
		for (i = 0; i < count; i++, at += stride) {
			const struct pkt *k = w->seq[at];

			out[i] = fn(k->data, k->caplen, k->wirelen);
		}
		return;
	}
	for (i = 0; i < count; i++, at += stride) {
		const struct pkt *k = w->seq[at];

		out[i] = dpf_interp(d->trie, k->data, k->caplen, k->wirelen);
	}
}

static void dpf_teardown(void *self)
{
	struct dpf_engine *e = self;

	if (e->ready)
		demux_free(&e->d);
	e->ready = 0;
}

struct engine engine_dpf_jit = {
	"dpf-jit", dpf_setup, dpf_run, dpf_teardown, &jit_self, 0,
};
struct engine engine_dpf_interp = {
	"dpf-interp", dpf_setup, dpf_run, dpf_teardown, &interp_self, 0,
};

struct pcap_engine {
	const struct bpf_program *progs;
	size_t n;
};

static struct pcap_engine pcap_self;

static int pcap_setup(void *self, const struct workload *w,
		      const struct bpf_program *progs, size_t n, char *err,
		      size_t errlen)
{
	struct pcap_engine *e = self;

	(void)w, (void)err, (void)errlen;
	e->progs = progs;
	e->n = n;
	return 0;
}

static void pcap_run(void *self, const struct workload *w, size_t first,
		     size_t stride, size_t count, uint32_t *out)
{
	const struct pcap_engine *e = self;
	size_t i, f, at = first;

	for (i = 0; i < count; i++, at += stride) {
		const struct pkt *k = w->seq[at];

		out[i] = 0;
		for (f = 0; f < e->n; f++)
			if (bpf_filter(e->progs[f].bf_insns, k->data,
				       k->wirelen, k->caplen)) {
				out[i] = (uint32_t)f + 1;
				break;
			}
	}
}

static void pcap_teardown(void *self)
{
	(void)self;
}

struct engine engine_libpcap = {
	"libpcap", pcap_setup, pcap_run, pcap_teardown, &pcap_self, 1,
};
