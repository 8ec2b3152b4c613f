/*
 * dpf-bench: demultiplexing throughput of DPF against its peers.
 *
 *   dpf-bench [--csv] [-r FILE] [-n PACKETS] [--filters 1,16,...]
 *             [--engines dpf-jit,...] [--repeat R] [--budget B]
 *
 * For each filter count N, every engine classifies the same packets held in
 * memory against the same N per-connection filters; the table gives the
 * median over R runs of the time per packet (monotonic clock). Engines
 * that run filters one after another (libpcap, dpdk-jit) cost O(N) per
 * packet, so for large N they run on an evenly spaced subsample of about
 * B / N packets (at least 2000): the "packets" column says how many. Every
 * engine's verdicts are checked against libpcap's on the packets both ran,
 * and the DPF engines and the hand classifier against each other on all
 * packets. Then: the time to insert one filter into a trie of 4096, JIT
 * recompilation included.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "bpf2dpf.h"
#include "demux.h"

#define MAX_NS 16

/* Engines in table order; DPDK runs out of process (dpdk.c). */
enum { E_JIT, E_INTERP, E_PCAP, E_DPDK, E_HAND, N_ENGINES };

struct opts {
	const char *file;
	size_t npkts;
	size_t ns[MAX_NS];
	int nns;
	int csv;
	int repeat;
	double budget;
	int use[N_ENGINES];
};

static const char *const engine_names[N_ENGINES] = {
	"dpf-jit", "dpf-interp", "libpcap", "dpdk-jit", "hand",
};
static struct engine *const inproc[N_ENGINES] = {
	&engine_dpf_jit, &engine_dpf_interp, &engine_libpcap, NULL,
	&engine_hand,
};

static struct workload w;
static struct bpf_program *progs;
static int failures;

double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void usage(FILE *fp)
{
	fprintf(fp,
"usage: dpf-bench [--csv] [-r FILE] [-n PACKETS] [--filters N,N,...]\n"
"                 [--engines E,E,...] [--repeat R] [--budget B]\n"
"Demux throughput of N per-connection filters\n"
"  ('tcp and dst host A and src host B and dst port P and src port Q').\n"
"  --csv          CSV: engine,filters,packets,ns_per_packet,mpps\n"
"  -r FILE        the packets of a capture (repeated up to -n), with\n"
"                 filters for its TCP connections; default: a synthesized\n"
"                 mix (TCP, UDP, ICMP, ARP, IPv6, IPv4 with options)\n"
"  -n PACKETS     packets held in memory (default 1000000)\n"
"  --filters      filter counts (default 1,16,256,4096,65536; max %d)\n"
"  --engines      dpf-jit,dpf-interp,libpcap,dpdk-jit,hand (default all)\n"
"  --repeat R     runs per measurement, the median is kept (default 5)\n"
"  --budget B     filter executions per run for the engines that run\n"
"                 filters in turn (default 2e7): they run ~B/N packets\n",
		BENCH_MAX_CONNS);
}

static int parse_list(char *s, struct opts *o, int engines)
{
	char *tok, *save = NULL;
	int i;

	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (engines) {
			for (i = 0; i < N_ENGINES; i++)
				if (!strcmp(tok, engine_names[i]))
					break;
			if (i == N_ENGINES)
				return -1;
			o->use[i] = 1;
			continue;
		}
		if (o->nns == MAX_NS)
			return -1;
		o->ns[o->nns] = strtoul(tok, NULL, 10);
		if (!o->ns[o->nns] || o->ns[o->nns] > BENCH_MAX_CONNS)
			return -1;
		o->nns++;
	}
	return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "csv", no_argument, NULL, 'c' },
		{ "filters", required_argument, NULL, 'F' },
		{ "engines", required_argument, NULL, 'E' },
		{ "repeat", required_argument, NULL, 'R' },
		{ "budget", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const size_t def_ns[] = { 1, 16, 256, 4096, 65536 };
	int c, any = 0, i;

	memset(o, 0, sizeof(*o));
	o->npkts = 1000000;
	o->repeat = 5;
	o->budget = 2e7;
	while ((c = getopt_long(argc, argv, "r:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->csv = 1; break;
		case 'r': o->file = optarg; break;
		case 'n': o->npkts = strtoul(optarg, NULL, 10); break;
		case 'R': o->repeat = atoi(optarg); break;
		case 'B': o->budget = strtod(optarg, NULL); break;
		case 'F':
			if (parse_list(optarg, o, 0) < 0)
				return -1;
			break;
		case 'E':
			if (parse_list(optarg, o, 1) < 0)
				return -1;
			any = 1;
			break;
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
	}
	if (optind != argc || !o->npkts || o->repeat < 1 || o->budget < 1)
		return -1;
	if (!o->nns)
		for (o->nns = 0; o->nns < 5; o->nns++)
			o->ns[o->nns] = def_ns[o->nns];
	if (!any)
		for (i = 0; i < N_ENGINES; i++)
			o->use[i] = 1;
	return 0;
}

static void row(const struct opts *o, const char *engine, size_t n,
		size_t pkts, double ns, const char *check)
{
	if (o->csv)
		printf("%s,%zu,%zu,%.3f,%.3f\n", engine, n, pkts, ns, 1e3 / ns);
	else
		printf("%-11s %8zu %9zu %9.2f %9.2f  %s\n", engine, n, pkts, ns,
		       1e3 / ns, check);
	fflush(stdout);
}

static void note(const struct opts *o, const char *fmt, const char *s)
{
	fprintf(o->csv ? stderr : stdout, "%s", o->csv ? "# " : "");
	fprintf(o->csv ? stderr : stdout, fmt, s);
	fprintf(o->csv ? stderr : stdout, "\n");
}

/* Mismatches of got[] (packets first + i*stride) against want[] (packets
 * wfirst + j*wstride), on the packets both ran. */
static size_t mismatches(const uint32_t *got, size_t stride, size_t count,
			 const uint32_t *want, size_t wstride, size_t wcount)
{
	size_t j, bad = 0;

	for (j = 0; j < wcount; j++) {
		size_t at = j * wstride;

		if (at % stride || at / stride >= count)
			continue;
		bad += got[at / stride] != want[j];
	}
	return bad;
}

struct ref {
	uint32_t *sub;   /* libpcap verdicts on the subsample */
	size_t sstride, scount;
	uint32_t *full;  /* the first full-run engine's verdicts */
	const char *full_name;
};

static void check_text(char *buf, size_t len, size_t vs_pcap,
		       size_t vs_full, const char *full_name)
{
	if (!vs_pcap && !vs_full)
		snprintf(buf, len, "ok");
	else
		snprintf(buf, len, "MISMATCH: %zu vs libpcap, %zu vs %s",
			 vs_pcap, vs_full, full_name ? full_name : "-");
}

static void measure(const struct opts *o, struct engine *e, size_t n,
		    struct ref *rf, uint32_t *out)
{
	size_t stride = e->per_filter ? rf->sstride : 1;
	size_t count = e->per_filter ? rf->scount : w.n, vp, vf = 0;
	double t[64], t0;
	char err[300], check[128];
	int r, reps = o->repeat < 64 ? o->repeat : 64;

	if (e->setup(e->self, &w, progs, n, err, sizeof(err)) < 0) {
		fprintf(stderr, "dpf-bench: %s, N=%zu: %s\n", e->name, n, err);
		failures++;
		return;
	}
	for (r = 0; r < reps; r++) {
		t0 = bench_now_ns();
		e->run(e->self, &w, 0, stride, count, out);
		t[r] = (bench_now_ns() - t0) / (double)count;
	}
	vp = mismatches(out, stride, count, rf->sub, rf->sstride, rf->scount);
	if (!e->per_filter) {
		if (!rf->full) {
			rf->full = malloc(w.n * sizeof(*rf->full));
			if (rf->full)
				memcpy(rf->full, out, w.n * sizeof(*out));
			rf->full_name = e->name;
		} else {
			vf = mismatches(out, 1, w.n, rf->full, 1, w.n);
		}
	}
	if (vp || vf)
		failures++;
	check_text(check, sizeof(check), vp, vf, rf->full_name);
	row(o, e->name, n, count, median(t, reps), check);
}

static void measure_dpdk(const struct opts *o, size_t n, struct ref *rf,
			 uint32_t *out)
{
	char err[300], check[128];
	double ns;
	size_t vp;

	if (dpdk_measure(&w, progs, n, 0, rf->sstride, rf->scount, o->repeat,
			 out, &ns, err, sizeof(err)) < 0) {
		fprintf(stderr, "dpf-bench: dpdk-jit, N=%zu: %s\n", n, err);
		return;
	}
	vp = mismatches(out, rf->sstride, rf->scount, rf->sub, rf->sstride,
			rf->scount);
	/* Reported, not fatal: DPDK's bugs are not ours to fail on. */
	check_text(check, sizeof(check), vp, 0, NULL);
	row(o, "dpdk-jit", n, rf->scount, ns, check);
}

static int compile_filters(size_t n)
{
	char expr[200];
	struct b2d_error err;
	size_t i;

	progs = calloc(n, sizeof(*progs));
	if (!progs)
		return -1;
	for (i = 0; i < n; i++) {
		conn_expr(&w.conns[i], expr, sizeof(expr));
		if (b2d_pcap_compile(expr, &progs[i], &err) < 0) {
			fprintf(stderr, "dpf-bench: '%s': %s\n", expr, err.msg);
			return -1;
		}
	}
	return 0;
}

static void run_n(const struct opts *o, size_t n, uint32_t *out)
{
	struct ref rf = { 0 };
	size_t want = (size_t)(o->budget / (double)n);
	int i;

	workload_aim(&w, n);
	rf.scount = want < 2000 ? 2000 : want;
	if (rf.scount > w.n)
		rf.scount = w.n;
	rf.sstride = w.n / rf.scount;
	rf.sub = malloc(rf.scount * sizeof(*rf.sub));
	if (!rf.sub)
		return;
	engine_libpcap.setup(engine_libpcap.self, &w, progs, n, NULL, 0);
	engine_libpcap.run(engine_libpcap.self, &w, 0, rf.sstride, rf.scount,
			   rf.sub);
	for (i = 0; i < N_ENGINES; i++) {
		if (!o->use[i])
			continue;
		if (i == E_DPDK)
			measure_dpdk(o, n, &rf, out);
		else
			measure(o, inproc[i], n, &rf, out);
	}
	free(rf.sub);
	free(rf.full);
}

int main(int argc, char **argv)
{
	struct opts o;
	char err[512];
	size_t maxn = 0, i;
	uint32_t *out;
	int k;

	if (parse(argc, argv, &o) < 0) {
		usage(stderr);
		return 2;
	}
	if (o.file ? workload_pcap(&w, o.file, o.npkts, err, sizeof(err)) :
		     workload_synth(&w, o.npkts)) {
		fprintf(stderr, "dpf-bench: %s\n", o.file ? err :
			"out of memory");
		return 1;
	}
	for (k = 0; k < o.nns; k++)
		maxn = o.ns[k] > maxn ? o.ns[k] : maxn;
	if (o.use[E_DPDK] && !dpdk_available()) {
		note(&o, "dpdk-jit: %s", "not built (no libdpdk): skipped");
		o.use[E_DPDK] = 0;
	}
	out = malloc(w.n * sizeof(*out));
	if (!out || compile_filters(maxn < 4097 ? 4097 : maxn) < 0)
		return 1;
	note(&o, "workload: %s", w.describe);
	note(&o, "%s", "libpcap and dpdk-jit run each filter in turn up to "
	     "the first match, over ~budget/N evenly spaced packets");
	if (o.csv)
		printf("engine,filters,packets,ns_per_packet,mpps\n");
	else
		printf("%-11s %8s %9s %9s %9s  %s\n", "engine", "filters",
		       "packets", "ns/pkt", "Mpps", "check");
	for (k = 0; k < o.nns; k++)
		run_n(&o, o.ns[k], out);
	for (i = 0; i < N_ENGINES; i++)
		if (inproc[i] && o.use[i])
			inproc[i]->teardown(inproc[i]->self);
	if (o.use[E_JIT])
		bench_insert(o.csv, progs);
	free(out);
	workload_free(&w);
	if (failures)
		fprintf(stderr, "dpf-bench: %d measurement(s) failed or "
			"disagreed with libpcap\n", failures);
	return failures ? 1 : 0;
}
