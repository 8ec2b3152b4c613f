/*
 * The libpcap side of the translator: compile a pcap-filter expression for
 * Ethernet, and encode a translated filter as DPF bytecode.
 */
#include <stdio.h>
#include <pcap/pcap.h>

#include "bpf2dpf.h"

/* The snap length only sets the value of `ret` on accept (and the largest
 * `len` libpcap assumes); 262144 is libpcap's default. */
#define B2D_SNAPLEN 262144

int b2d_pcap_compile(const char *expr, struct bpf_program *prog,
		     struct b2d_error *err)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, B2D_SNAPLEN);
	int r;

	err->insn = -1;
	if (!p) {
		snprintf(err->msg, sizeof(err->msg), "pcap_open_dead failed");
		return -1;
	}
	r = pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN);
	if (r < 0)
		snprintf(err->msg, sizeof(err->msg), "bad expression: %s",
			 pcap_geterr(p));
	pcap_close(p);
	return r < 0 ? -1 : 0;
}

int b2d_compile(const char *expr, struct dpf_filter *out,
		struct b2d_error *err)
{
	struct bpf_program prog;
	int r;

	if (b2d_pcap_compile(expr, &prog, err) < 0)
		return -1;
	r = b2d_translate(prog.bf_insns, prog.bf_len, out, err);
	pcap_freecode(&prog);
	return r;
}

size_t b2d_encode(const struct dpf_filter *f, void *buf, size_t cap)
{
	struct dpf_builder b;
	const struct dpf_atom *a = f->atoms;
	unsigned p, i;

	dpf_build_init(&b, buf, cap);
	for (p = 0; p < f->npaths; p++) {
		dpf_build_path(&b);
		for (i = 0; i < f->natoms[p]; i++, a++) {
			switch (a->op) {
			case DPF_OP_CMP:
				dpf_build_cmp(&b, a->flags, a->offset, a->width,
					      a->mask, a->cmp, a->value);
				break;
			case DPF_OP_SHIFT:
				dpf_build_shift(&b, a->flags, a->offset,
						a->width, a->mask, a->shift,
						a->value);
				break;
			default:
				dpf_build_advance(&b, a->flags, a->value);
				break;
			}
		}
	}
	return dpf_build_finish(&b);
}
