/*
 * dpf-replay: run pcap-filter expressions, translated to DPF, over a
 * capture file, the way the kernel's demux would run them.
 *
 *   dpf-replay --count -r FILE 'EXPR'     the number of matching packets
 *                                         (as libpcap's pcap_offline_filter)
 *   dpf-replay -r FILE -f FILTERS.txt     one filter per line, each under its
 *                                         own owner; per-line counts and the
 *                                         unmatched count; overlap refusals
 *   dpf-replay --count -r FILE -F EXPRS   batch: each line alone, one count
 *                                         (or "error: ...") per line
 *   --engine jit|interp                   JIT by default
 *   -w OUT.pcap                           write the matching packets
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demux.h"
#include "lines.h"
#include "pktfile.h"

struct opts {
	const char *file, *filters, *batch, *out, *expr;
	int count, engine;
};

static void usage(FILE *fp)
{
	fprintf(fp,
"usage: dpf-replay [--count] [--engine jit|interp] [-w OUT.pcap] -r FILE EXPR\n"
"       dpf-replay [--engine jit|interp] [-w OUT.pcap] -r FILE -f FILTERS.txt\n"
"       dpf-replay --count [--engine jit|interp] -r FILE -F EXPRS.txt\n"
"\n"
"Runs pcap-filter expressions, compiled by libpcap and translated to DPF,\n"
"over a pcap or pcapng capture (Ethernet only).\n"
"  -r FILE           the capture to read\n"
"  EXPR              one expression: prints \"M of N packets matched\"\n"
"  --count           print only the number of matching packets\n"
"  -f FILTERS.txt    one expression per line (blank lines and # comments\n"
"                    skipped), each installed under its own owner; prints\n"
"                    each line's count, refusals (with the conflicting line)\n"
"                    and the number of unmatched packets\n"
"  -F EXPRS.txt      with --count: each line on its own, one count or\n"
"                    \"error: REASON\" per line (for agreement tests)\n"
"  --engine E        jit (default) or interp\n"
"  -w OUT.pcap       write the packets that some filter matched\n"
"  -h, --help        this text\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "count", no_argument, NULL, 'c' },
		{ "engine", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "r:f:F:w:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->count = 1; break;
		case 'r': o->file = optarg; break;
		case 'f': o->filters = optarg; break;
		case 'F': o->batch = optarg; break;
		case 'w': o->out = optarg; break;
		case 'e':
			o->engine = demux_engine_parse(optarg);
			if (o->engine < 0) {
				fprintf(stderr, "dpf-replay: unknown engine "
					"'%s' (jit or interp)\n", optarg);
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
	}
	if (optind < argc)
		o->expr = argv[optind++];
	if (!o->file || optind < argc ||
	    !!o->expr + !!o->filters + !!o->batch != 1 ||
	    (o->batch && (!o->count || o->out))) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* Run d over every packet: per-id counts (ids < nids), matches to dump. */
static size_t run_all(const struct demux *d, const struct pktfile *pf,
		      size_t *per_id, uint32_t nids, pcap_dumper_t *dump)
{
	size_t i, matched = 0;

	for (i = 0; i < pf->n; i++) {
		const struct pkt *k = &pf->pkts[i];
		uint32_t id = demux_run(d, k->data, k->caplen, k->wirelen);

		if (id == DPF_NO_MATCH)
			continue;
		matched++;
		if (per_id && id < nids)
			per_id[id]++;
		if (dump)
			pcap_dump((u_char *)dump, &k->hdr, k->data);
	}
	return matched;
}

static pcap_dumper_t *open_dump(const char *path, const struct pktfile *pf)
{
	pcap_t *p = pcap_open_dead(pf->linktype, pf->snaplen);
	pcap_dumper_t *d = p ? pcap_dump_open(p, path) : NULL;

	if (!d)
		fprintf(stderr, "dpf-replay: %s: %s\n", path,
			p ? pcap_geterr(p) : "pcap_open_dead failed");
	/* The dumper keeps what it needs; the handle may go. */
	if (p)
		pcap_close(p);
	return d;
}

static int commit(struct demux *d)
{
	struct dpf_error err;

	if (demux_commit(d, &err) < 0) {
		fprintf(stderr, "dpf-replay: JIT failed: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int one_expr(const struct opts *o, const struct pktfile *pf,
		    pcap_dumper_t *dump)
{
	struct demux d;
	char msg[300];
	size_t matched = 0;
	int r;

	if (demux_init(&d, o->engine) < 0) {
		fprintf(stderr, "dpf-replay: out of memory\n");
		return -1;
	}
	r = demux_insert_expr(&d, o->expr, 1, 1, msg, sizeof(msg), NULL);
	if (r < 0) {
		fprintf(stderr, "dpf-replay: '%s': %s\n", o->expr, msg);
		demux_free(&d);
		return -1;
	}
	if (r == 0) { /* r == 1: matches nothing, count stays 0 */
		if (commit(&d) < 0) {
			demux_free(&d);
			return -1;
		}
		matched = run_all(&d, pf, NULL, 0, dump);
	}
	if (o->count)
		printf("%zu\n", matched);
	else
		printf("%zu of %zu packets matched\n", matched, pf->n);
	demux_free(&d);
	return 0;
}

/* -F: every line in a demux point of its own. */
static int batch(const struct opts *o, const struct pktfile *pf)
{
	struct lines ls;
	struct demux d;
	char msg[300];
	size_t i;
	int r;

	if (lines_read(o->batch, &ls, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "dpf-replay: %s\n", msg);
		return -1;
	}
	for (i = 0; i < ls.n; i++) {
		if (demux_init(&d, o->engine) < 0)
			return -1;
		r = demux_insert_expr(&d, ls.text[i], 1, 1, msg, sizeof(msg),
				      NULL);
		if (r < 0)
			printf("error: %s\n", msg);
		else if (r == 1)
			printf("0\n");
		else if (commit(&d) < 0)
			printf("error: JIT failed\n");
		else
			printf("%zu\n", run_all(&d, pf, NULL, 0, NULL));
		demux_free(&d);
	}
	lines_free(&ls);
	return 0;
}

/* -f: all lines in one demux point, owner = id = index + 1. */
static int filter_file(const struct opts *o, const struct pktfile *pf,
		       pcap_dumper_t *dump)
{
	struct lines ls;
	struct demux d;
	char msg[300];
	size_t *per_id, i, matched;
	char *installed;
	uint32_t other, id;
	int r, bad = 0;

	if (lines_read(o->filters, &ls, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "dpf-replay: %s\n", msg);
		return -1;
	}
	per_id = calloc(ls.n + 1, sizeof(*per_id));
	installed = calloc(ls.n + 1, 1);
	if (!per_id || !installed || demux_init(&d, o->engine) < 0) {
		fprintf(stderr, "dpf-replay: out of memory\n");
		return -1;
	}
	for (i = 0; i < ls.n; i++) {
		id = (uint32_t)i + 1;
		r = demux_insert_expr(&d, ls.text[i], id, id, msg, sizeof(msg),
				      &other);
		installed[i] = r == 0;
		if (r < 0 && other) {
			printf("line %u: refused: overlaps line %u (%s): %s\n",
			       ls.lineno[i], ls.lineno[other - 1],
			       ls.text[other - 1], msg);
			bad = 1;
		} else if (r < 0) {
			printf("line %u: error: %s\n", ls.lineno[i], msg);
			bad = 1;
		} else if (r == 1) {
			printf("line %u: matches no packet at all: not "
			       "installed\n", ls.lineno[i]);
		}
	}
	if (commit(&d) < 0)
		return -1;
	matched = run_all(&d, pf, per_id, (uint32_t)ls.n + 1, dump);
	for (i = 0; i < ls.n; i++)
		if (o->count)
			printf("%zu\n", per_id[i + 1]);
		else if (installed[i])
			printf("line %u: %zu\t%s\n", ls.lineno[i],
			       per_id[i + 1], ls.text[i]);
		else
			printf("line %u: -\t%s (not installed)\n",
			       ls.lineno[i], ls.text[i]);
	printf("unmatched: %zu\n", pf->n - matched);
	demux_free(&d);
	free(per_id);
	free(installed);
	lines_free(&ls);
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct pktfile pf;
	pcap_dumper_t *dump = NULL;
	char err[512];
	int r;

	if (parse(argc, argv, &o) < 0)
		return 2;
	if (pktfile_load(o.file, &pf, err, sizeof(err)) < 0) {
		fprintf(stderr, "dpf-replay: %s\n", err);
		return 1;
	}
	if (o.out && !(dump = open_dump(o.out, &pf)))
		return 1;
	if (o.expr)
		r = one_expr(&o, &pf, dump);
	else if (o.filters)
		r = filter_file(&o, &pf, dump);
	else
		r = batch(&o, &pf);
	if (dump)
		pcap_dump_close(dump);
	if (pf.warning[0]) {
		fprintf(stderr, "dpf-replay: warning: %s\n", pf.warning);
		r = -1;
	}
	pktfile_free(&pf);
	return r < 0 ? 1 : 0;
}
