/*
 * pcap-count: the reference the DPF agreement tests compare against. It
 * counts the packets of a capture that libpcap itself accepts for an
 * expression: pcap_compile on the same dead Ethernet handle dpf-replay
 * uses, then pcap_offline_filter (libpcap's BPF interpreter) per packet.
 *
 *   pcap-count -r FILE 'EXPR'        the count
 *   pcap-count -r FILE -F EXPRS.txt  one count, or "error: ...", per line
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bpf2dpf.h"
#include "lines.h"
#include "pktfile.h"

static void usage(FILE *fp)
{
	fprintf(fp, "usage: pcap-count -r FILE 'EXPR'\n"
		"       pcap-count -r FILE -F EXPRS.txt\n"
		"Counts the packets libpcap's own filter (pcap_offline_filter)\n"
		"accepts; -F takes one expression per line and prints one count\n"
		"(or \"error: REASON\") per line.\n");
}

static int count(const char *expr, const struct pktfile *pf)
{
	struct bpf_program prog;
	struct b2d_error err;
	size_t i, n = 0;

	if (b2d_pcap_compile(expr, &prog, &err) < 0) {
		printf("error: %s\n", err.msg);
		return -1;
	}
	for (i = 0; i < pf->n; i++)
		if (pcap_offline_filter(&prog, &pf->pkts[i].hdr,
					pf->pkts[i].data))
			n++;
	pcap_freecode(&prog);
	printf("%zu\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	const char *file = NULL, *batch = NULL;
	struct pktfile pf;
	struct lines ls;
	char err[512];
	size_t i;
	int c, rc = 0;

	while ((c = getopt(argc, argv, "r:F:h")) != -1) {
		switch (c) {
		case 'r': file = optarg; break;
		case 'F': batch = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!file || (batch ? optind != argc : optind != argc - 1)) {
		usage(stderr);
		return 2;
	}
	if (pktfile_load(file, &pf, err, sizeof(err)) < 0) {
		fprintf(stderr, "pcap-count: %s\n", err);
		return 1;
	}
	if (!batch) {
		rc = count(argv[optind], &pf) < 0;
	} else if (lines_read(batch, &ls, err, sizeof(err)) < 0) {
		fprintf(stderr, "pcap-count: %s\n", err);
		return 1;
	} else {
		for (i = 0; i < ls.n; i++)
			count(ls.text[i], &pf);
		lines_free(&ls);
	}
	if (pf.warning[0]) {
		fprintf(stderr, "pcap-count: warning: %s\n", pf.warning);
		rc = 1;
	}
	pktfile_free(&pf);
	return rc;
}
