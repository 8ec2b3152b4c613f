/*
 * libFuzzer target: random pcap-filter expressions over random packets,
 * DPF against libpcap.
 *
 * The input drives a small grammar of the filter language (protocols,
 * hosts, nets, ports and ranges, lengths, proto[off:size] with masks and
 * comparisons, tcpflags, VLAN, MPLS, not/and/or) and then builds a packet:
 * one of a few templates (IPv4 with or without options, IPv6, VLAN, ARP)
 * overwritten with input bytes, cut to a random captured length. For every
 * expression libpcap compiles:
 *   - the translator either succeeds or fails with a "cannot express" or
 *     "too complex" message (never a crash, never another failure);
 *   - a translated filter, verified and inserted into a trie, gives the
 *     packet the same verdict under the interpreter and the JIT as
 *     libpcap's bpf_filter does.
 * A disagreement aborts with the expression and the packet.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf2dpf.h"
#include "demux.h"

struct in {
	const uint8_t *p;
	size_t n;
};

static unsigned take(struct in *in, unsigned range)
{
	unsigned v;

	if (!in->n)
		return 0;
	v = *in->p++;
	in->n--;
	return range ? v % range : v;
}

static unsigned take16(struct in *in)
{
	return take(in, 0) << 8 | take(in, 0);
}

static const char *const protos[] = {
	"ip", "ip6", "tcp", "udp", "icmp", "icmp6", "arp", "sctp", "igmp",
	"vlan", "mpls", "rarp", "ether broadcast", "ether multicast",
	"ip multicast", "ip6 multicast", "pppoes",
};
static const char *const ops[] = { "=", "!=", "<", "<=", ">", ">=" };
static const char *const hosts[] = {
	"10.0.0.1", "10.0.0.2", "192.168.1.10", "2001:db8::1", "fe80::1",
};
static const char *const nets[] = {
	"10.0.0.0/8", "192.168.0.0/16", "2001:db8::/32", "10.1.0.0/16",
};
static const char *const dirs[] = { "", "src ", "dst " };
static const char *const bases[] = {
	"ether", "ip", "ip6", "tcp", "udp", "icmp", "arp",
};
static const char *const flags[] = {
	"tcp-fin", "tcp-syn", "tcp-rst", "tcp-push", "tcp-ack", "tcp-urg",
};

static void term(struct in *in, char *s, size_t len)
{
	static const unsigned sizes[] = { 1, 2, 4 };
	unsigned a, b;

	switch (take(in, 10)) {
	case 0: snprintf(s, len, "%s", protos[take(in, 17)]); break;
	case 1: snprintf(s, len, "%shost %s", dirs[take(in, 3)],
			 hosts[take(in, 5)]); break;
	case 2: snprintf(s, len, "%snet %s", dirs[take(in, 3)],
			 nets[take(in, 4)]); break;
	case 3: snprintf(s, len, "%s%sport %u", take(in, 2) ? "tcp " : "",
			 dirs[take(in, 3)], take16(in) % 2048); break;
	case 4:
		a = take16(in) % 2048, b = a + take(in, 0);
		snprintf(s, len, "%sportrange %u-%u", dirs[take(in, 3)], a, b);
		break;
	case 5: snprintf(s, len, "len %s %u", ops[take(in, 6)],
			 take16(in) % 300); break;
	case 6: snprintf(s, len, "%s %u", take(in, 2) ? "less" : "greater",
			 take16(in) % 300); break;
	case 7:
		a = sizes[take(in, 3)];
		snprintf(s, len, "%s[%u:%u] & 0x%x %s 0x%x",
			 bases[take(in, 7)], take(in, 64), a,
			 take16(in) << 16 | take16(in), ops[take(in, 6)],
			 take16(in));
		break;
	case 8: snprintf(s, len, "tcp[tcpflags] & %s %s 0",
			 flags[take(in, 6)], take(in, 2) ? "!=" : "="); break;
	default: snprintf(s, len, "vlan %u", take(in, 0) % 64); break;
	}
}

static void expr(struct in *in, char *s, size_t len, int depth)
{
	char l[512], r[512];

	switch (depth > 3 ? 0 : take(in, 5)) {
	case 0:
	case 1:
		term(in, s, len);
		break;
	case 2:
		expr(in, l, sizeof(l), depth + 1);
		snprintf(s, len, "not (%s)", l);
		break;
	default:
		expr(in, l, sizeof(l), depth + 1);
		expr(in, r, sizeof(r), depth + 1);
		snprintf(s, len, "(%s) %s (%s)", l, take(in, 2) ? "or" : "and",
			 r);
		break;
	}
}

/* A packet from a template, patched with input bytes, cut short. */
static uint32_t packet(struct in *in, uint8_t *pkt, uint32_t *wirelen)
{
	static const uint8_t v4[] = { 0x08, 0x00, 0x45, 0, 0, 60, 0, 0, 0, 0,
				      64, 6 };
	static const uint8_t v6[] = { 0x86, 0xdd, 0x60, 0, 0, 0, 0, 20, 6, 64 };
	static const uint8_t vlan[] = { 0x81, 0x00, 0x00, 0x0a, 0x08, 0x00,
					0x46, 0, 0, 60, 0, 0, 0, 0, 64, 17 };
	static const uint8_t arp[] = { 0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1 };
	unsigned i, patches, len = 40 + take(in, 160);

	memset(pkt, 0, 256);
	switch (take(in, 4)) {
	case 0: memcpy(pkt + 12, v4, sizeof(v4)); break;
	case 1: memcpy(pkt + 12, v6, sizeof(v6)); break;
	case 2: memcpy(pkt + 12, vlan, sizeof(vlan)); break;
	default: memcpy(pkt + 12, arp, sizeof(arp)); break;
	}
	patches = take(in, 24);
	for (i = 0; i < patches; i++)
		pkt[take(in, 0) % len] = (uint8_t)take(in, 0);
	*wirelen = len + take(in, 4) * 100;
	return take(in, 4) ? len : take(in, 0) % (len + 1); /* caplen */
}

static uint32_t dpf_verdict(const struct dpf_filter *f, int engine,
			    const uint8_t *pkt, uint32_t caplen,
			    uint32_t wirelen, const char *e)
{
	struct dpf_error err;
	struct demux d;
	uint32_t v;

	if (demux_init(&d, engine) < 0)
		abort();
	if (demux_insert_filter(&d, f, 7, 1, &err) < 0 ||
	    demux_commit(&d, &err) < 0) {
		fprintf(stderr, "'%s': DPF refused its translation: %s\n", e,
			err.msg);
		abort();
	}
	v = demux_run(&d, pkt, caplen, wirelen);
	demux_free(&d);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dpf_filter f;
	static uint8_t pkt[256];
	struct in in = { data, size };
	struct bpf_program prog;
	struct b2d_error err;
	char e[1024];
	uint32_t caplen, wirelen, want, jit, interp;

	expr(&in, e, sizeof(e), 0);
	caplen = packet(&in, pkt, &wirelen);
	if (b2d_pcap_compile(e, &prog, &err) < 0)
		return 0; /* libpcap refuses it too: nothing to compare */
	want = bpf_filter(prog.bf_insns, pkt, wirelen, caplen) != 0;
	if (b2d_translate(prog.bf_insns, prog.bf_len, &f, &err) < 0) {
		if (strncmp(err.msg, "cannot express: ", 16) &&
		    strncmp(err.msg, "too complex: ", 13)) {
			fprintf(stderr, "'%s': unclean failure: %s\n", e,
				err.msg);
			abort();
		}
		pcap_freecode(&prog);
		return 0;
	}
	pcap_freecode(&prog);
	if (f.npaths == 0) {
		jit = interp = 0;
	} else {
		jit = dpf_verdict(&f, DEMUX_JIT, pkt, caplen, wirelen, e) != 0;
		interp = dpf_verdict(&f, DEMUX_INTERP, pkt, caplen, wirelen,
				     e) != 0;
	}
	if (jit != want || interp != want) {
		fprintf(stderr, "'%s': libpcap %u, DPF jit %u interp %u "
			"(caplen %u, wirelen %u)\n", e, want, jit, interp,
			caplen, wirelen);
		abort();
	}
	return 0;
}
