/*
 * bpf2dpf: show what a pcap-filter expression becomes in DPF.
 *
 *   bpf2dpf [-d] 'EXPR'     the DPF atoms, path by path
 *                           (-d: also libpcap's BPF, as tcpdump -d shows it)
 */
#include <stdio.h>
#include <string.h>
#include <pcap/pcap.h>

#include "bpf2dpf.h"

static int usage(void)
{
	fprintf(stderr, "usage: bpf2dpf [-d] 'pcap-filter expression'\n"
		"  prints the DPF paths and atoms the expression translates to;\n"
		"  -d also prints the classic BPF that libpcap compiles it to\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct dpf_filter f;
	struct b2d_error err;
	struct bpf_program prog;
	int dump = 0, i = 1;
	unsigned k;

	if (argc > 1 && !strcmp(argv[1], "-d"))
		dump = 1, i++;
	if (argc != i + 1 || !strcmp(argv[i], "-h") ||
	    !strcmp(argv[i], "--help"))
		return usage();
	if (dump) {
		if (b2d_pcap_compile(argv[i], &prog, &err) < 0) {
			fprintf(stderr, "bpf2dpf: %s\n", err.msg);
			return 1;
		}
		for (k = 0; k < prog.bf_len; k++)
			printf("%s\n", bpf_image(&prog.bf_insns[k], (int)k));
		pcap_freecode(&prog);
	}
	if (b2d_compile(argv[i], &f, &err) < 0) {
		fprintf(stderr, "bpf2dpf: %s\n", err.msg);
		return 1;
	}
	b2d_print(stdout, &f);
	return 0;
}
