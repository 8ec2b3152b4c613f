/*
 * The BPF -> DPF translator (tools/bpf2dpf): for each construct of the
 * pcap-filter language, the exact atoms it becomes (compared in bpf2dpf's
 * text form); hand-written BPF for what libpcap rarely emits (dead loads,
 * constant indexes, loops, `ret a`); every refusal and limit with its
 * message; the mask-fitting helpers; and the bytecode round trip through
 * dpf_verify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bpf2dpf.h"

static struct dpf_filter f;

static char *text_of(const struct dpf_filter *flt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	b2d_print(fp, flt);
	fclose(fp);
	return buf;
}

static void same_text(const char *what, const char *want)
{
	char *got = text_of(&f);

	if (strcmp(got, want))
		fail_msg("%s:\n--- want\n%s--- got\n%s", what, want, got);
	free(got);
}

/* expr must translate to exactly `want`. */
static void expect(const char *expr, const char *want)
{
	struct b2d_error err;

	if (b2d_compile(expr, &f, &err) < 0)
		fail_msg("'%s': %s", expr, err.msg);
	same_text(expr, want);
}

/* expr must be refused with a message containing `part`. */
static void refused(const char *expr, const char *part)
{
	struct b2d_error err;

	if (b2d_compile(expr, &f, &err) == 0)
		fail_msg("'%s' translated; expected \"%s\"", expr, part);
	if (!strstr(err.msg, part))
		fail_msg("'%s': message \"%s\" lacks \"%s\"", expr, err.msg,
			 part);
}

static void raw(const struct bpf_insn *insns, unsigned n, const char *want)
{
	struct b2d_error err;

	if (b2d_translate(insns, n, &f, &err) < 0)
		fail_msg("raw program: %s", err.msg);
	same_text("raw program", want);
}

static void raw_refused(const struct bpf_insn *insns, unsigned n,
			const char *part, int insn)
{
	struct b2d_error err;

	assert_int_equal(b2d_translate(insns, n, &f, &err), -1);
	if (!strstr(err.msg, part))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, part);
	assert_int_equal(err.insn, insn);
	assert_int_equal(f.npaths, 0);
}

static void test_protocols(void **state)
{
	(void)state;
	expect("ip", "path 1:\n  [12:2] == 0x800\n");
	expect("arp", "path 1:\n  [12:2] == 0x806\n");
	expect("ip proto 47",
	       "path 1:\n  [12:2] == 0x800\n  [23:1] == 0x2f\n");
	expect("icmp6",
	       "path 1:\n  [12:2] == 0x86dd\n  [20:1] == 0x3a\n"
	       "path 2:\n  [12:2] == 0x86dd\n  [20:1] == 0x2c\n"
	       "  [54:1] == 0x3a\n");
	expect("not ip", "path 1:\n  [12:2] != 0x800\n");
	expect("ether proto 0x88b5", "path 1:\n  [12:2] == 0x88b5\n");
}

static void test_hosts_and_nets(void **state)
{
	(void)state;
	expect("ip src host 10.0.0.1",
	       "path 1:\n  [12:2] == 0x800\n  [26:4] == 0xa000001\n");
	expect("ip dst net 10.0.0.0/8",
	       "path 1:\n  [12:2] == 0x800\n  [30:4] & 0xff000000 == "
	       "0xa000000\n");
	expect("ether src 00:11:22:33:44:55",
	       "path 1:\n  [8:4] == 0x22334455\n  [6:2] == 0x11\n");
	expect("ip6 dst host 2001:db8::1",
	       "path 1:\n  [12:2] == 0x86dd\n  [38:4] == 0x20010db8\n"
	       "  [42:4] == 0x0\n  [46:4] == 0x0\n  [50:4] == 0x1\n");
	expect("ip multicast",
	       "path 1:\n  [12:2] == 0x800\n  [30:1] >= 0xe0\n");
}

/* The IPv4 header length becomes one SHIFT atom, shared by both ports;
 * the fragment test is an EQ 0 under the offset mask (jset false). */
static void test_ports(void **state)
{
	(void)state;
	expect("ip and tcp port 80",
	       "path 1:\n  [12:2] == 0x800\n  [23:1] == 0x6\n"
	       "  [20:2] & 0x1fff == 0x0\n  base = ([14:1] & 0xf) << 2\n"
	       "  [base+14:2] == 0x50\n"
	       "path 2:\n  [12:2] == 0x800\n  [23:1] == 0x6\n"
	       "  [20:2] & 0x1fff == 0x0\n  base = ([14:1] & 0xf) << 2\n"
	       "  [base+14:2] != 0x50\n  [base+16:2] == 0x50\n");
	expect("ip6 and udp dst port 53",
	       "path 1:\n  [12:2] == 0x86dd\n  [20:1] == 0x11\n"
	       "  [56:2] == 0x35\n");
}

/* jge/jgt and their false branches; weaker bounds are dropped. */
static void test_portrange(void **state)
{
	(void)state;
	expect("ip and tcp dst portrange 1000-2000",
	       "path 1:\n  [12:2] == 0x800\n  [23:1] == 0x6\n"
	       "  [20:2] & 0x1fff == 0x0\n  base = ([14:1] & 0xf) << 2\n"
	       "  [base+16:2] >= 0x3e8\n  [base+16:2] <= 0x7d0\n");
}

static void test_lengths(void **state)
{
	(void)state;
	expect("less 100", "path 1:\n  len <= 0x64\n");
	expect("greater 100", "path 1:\n  len >= 0x64\n");
	expect("len > 100", "path 1:\n  len >= 0x65\n");
	expect("len = 60", "path 1:\n  len == 0x3c\n");
	expect("len & 1 = 1", "path 1:\n  len & 0x1 == 0x1\n");
	expect("len != 60", "path 1:\n  len != 0x3c\n");
}

/* and #k folds into the mask, rsh into mask and value. */
static void test_fields_and_masks(void **state)
{
	(void)state;
	expect("ip[0] >> 4 = 4",
	       "path 1:\n  [12:2] == 0x800\n  [14:1] & 0xf0 == 0x40\n");
	expect("ip[0] & 0xf > 5",
	       "path 1:\n  [12:2] == 0x800\n  [14:1] & 0xf >= 0x6\n");
	expect("ether[0] & 1 != 0", "path 1:\n  [0:1] & 0x1 != 0\n");
	expect("ip[6] & 0x20 != 0",
	       "path 1:\n  [12:2] == 0x800\n  [20:1] & 0x20 != 0\n");
	expect("tcp[12] >> 4 > 5",
	       "path 1:\n  [12:2] == 0x800\n  [23:1] == 0x6\n"
	       "  [20:2] & 0x1fff == 0x0\n  base = ([14:1] & 0xf) << 2\n"
	       "  [base+26:1] & 0xf0 >= 0x60\n");
	/* > 0x1234 under mask 0xf0f0: the next value made of mask bits */
	expect("ether[0:2] & 0xf0f0 > 0x1234",
	       "path 1:\n  [0:2] & 0xf0f0 >= 0x2000\n");
}

static void test_tcpflags(void **state)
{
	(void)state;
	expect("tcp[tcpflags] & tcp-syn != 0",
	       "path 1:\n  [12:2] == 0x800\n  [23:1] == 0x6\n"
	       "  [20:2] & 0x1fff == 0x0\n  base = ([14:1] & 0xf) << 2\n"
	       "  [base+27:1] & 0x2 != 0\n");
	expect("tcp[tcpflags] & tcp-syn = 0",
	       "path 1:\n  [12:2] == 0x800\n  [23:1] == 0x6\n"
	       "  [20:2] & 0x1fff == 0x0\n  base = ([14:1] & 0xf) << 2\n"
	       "  [base+27:1] & 0x2 == 0x0\n");
}

static void test_vlan(void **state)
{
	(void)state;
	expect("vlan 10 and ip",
	       "path 1:\n  [12:2] == 0x8100\n  [14:2] & 0xfff == 0xa\n"
	       "  [16:2] == 0x800\n"
	       "path 2:\n  [12:2] == 0x88a8\n  [14:2] & 0xfff == 0xa\n"
	       "  [16:2] == 0x800\n"
	       "path 3:\n  [12:2] == 0x9100\n  [14:2] & 0xfff == 0xa\n"
	       "  [16:2] == 0x800\n");
}

/* Fixed encapsulations move every later offset by a constant. */
static void test_mpls_pppoe(void **state)
{
	(void)state;
	expect("mpls 16", "path 1:\n  [12:2] == 0x8847\n"
	       "  [14:4] & 0xfffff000 == 0x10000\n");
	expect("pppoes 3 and ip", "path 1:\n  [12:2] == 0x8864\n"
	       "  [14:4] & 0xffff == 0x3\n  [20:2] == 0x21\n");
}

/* Negation: the false branches, each still failing on short packets. */
static void test_not(void **state)
{
	(void)state;
	expect("ip and not udp",
	       "path 1:\n  [12:2] == 0x800\n  [23:1] != 0x11\n");
	expect("not (ip or ip6)",
	       "path 1:\n  [12:2] != 0x800\n  [12:2] != 0x86dd\n");
}

static void test_everything_and_nothing(void **state)
{
	static const struct bpf_insn never[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};

	(void)state;
	expect("", "path 1:\n  len <= 0xffffffff\n");
	raw(never, 2, "(no path accepts: matches nothing)\n");
}

/* A load whose value is never tested still fails short packets. */
static void test_dead_load_keeps_bounds(void **state)
{
	static const struct bpf_insn prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 100),
		BPF_STMT(BPF_LD | BPF_IMM, 7),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};

	(void)state;
	raw(prog, 3, "path 1:\n  [100:4] <= 0xffffffff\n");
}

/* ldx #k folds into absolute offsets; msh is one SHIFT however often. */
static void test_index_registers(void **state)
{
	static const struct bpf_insn konst[] = {
		BPF_STMT(BPF_LDX | BPF_IMM, 14),
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 6, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	static const struct bpf_insn twice[] = {
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 14),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 80, 0, 4),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 16),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 1023, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	/* X saved in scratch memory and offset by a constant */
	static const struct bpf_insn scratch[] = {
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14),
		BPF_STMT(BPF_MISC | BPF_TXA, 0),
		BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 8),
		BPF_STMT(BPF_ST, 3),
		BPF_STMT(BPF_LDX | BPF_MEM, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 14),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};

	(void)state;
	raw(konst, 5, "path 1:\n  [23:1] == 0x6\n");
	raw(twice, 8, "path 1:\n  base = ([14:1] & 0xf) << 2\n"
	    "  [base+14:2] == 0x50\n  [base+16:2] >= 0x400\n");
	raw(scratch, 9, "path 1:\n  base = ([14:1] & 0xf) << 2 + 8\n"
	    "  [base+14:1] & 0x80 != 0\n");
}

/* A jump the path already decides is not split. */
static void test_decided_jumps(void **state)
{
	static const struct bpf_insn prog[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x800, 0, 4),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x86dd, 2, 0), /* never */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x600, 0, 1),  /* always */
		BPF_STMT(BPF_RET | BPF_K, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};

	(void)state;
	raw(prog, 7, "path 1:\n  [12:2] == 0x800\n");
	/* and libpcap's own redundant tests */
	expect("ip and ip and not ip6", "path 1:\n  [12:2] == 0x800\n");
}

static void test_refusals(void **state)
{
	(void)state;
	refused("ip6 protochain 6",
		"cannot express: BPF insn 14 'mul #8' (arithmetic on a "
		"computed header offset)");
	refused("ip[2:2] - 20 > 0", "'sub #20' (arithmetic on a packet field)");
	refused("geneve", "'add x' (arithmetic on two packet fields)");
	refused("ether[0] + ether[1] = 2", "(arithmetic on two packet fields)");
	refused("ether[70000] = 1", "offset beyond DPF_MAX_OFFSET");
	refused("ip and tcp and udp", "bad expression:");
	refused("port 1 or port 2 or port 3 or port 4 or port 5 or port 6 or "
		"port 7 or port 8 or port 9",
		"more than DPF_MAX_PATHS (64) accepting paths");
	refused("nonsense ((", "bad expression:");
}

static void test_raw_refusals(void **state)
{
	static const struct bpf_insn ret_a[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	static const struct bpf_insn loop[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)-2),
	};
	static const struct bpf_insn off_end[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 5, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	static const struct bpf_insn jump_x[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 1),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	static const struct bpf_insn falls_off[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
	};
	static const struct bpf_insn or_field[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 1),
		BPF_STMT(BPF_RET | BPF_K, 1),
	};

	(void)state;
	raw_refused(ret_a, 2, "BPF insn 1 'ret' ('ret a' returns a packet "
		    "value)", 1);
	raw_refused(loop, 2, "backward jump", 1);
	raw_refused(off_end, 3, "jump past the last instruction", 1);
	raw_refused(jump_x, 6, "jump on X", 3);
	raw_refused(falls_off, 1, "runs past the last instruction", 0);
	raw_refused(or_field, 3, "'or #0x1' (arithmetic on a packet field)",
		    1);
}

/* 24 tests that each split every path, all ending in `ret #0`: 2^24 paths
 * to explore, stopped by the step bound with a clear message. */
static void test_path_explosion(void **state)
{
	struct bpf_insn prog[2 * 24 + 1];
	struct b2d_error err;
	unsigned i;

	(void)state;
	for (i = 0; i < 24; i++) {
		prog[2 * i] = (struct bpf_insn)BPF_STMT(BPF_LD | BPF_B | BPF_ABS,
							i);
		prog[2 * i + 1] = (struct bpf_insn)BPF_JUMP(BPF_JMP | BPF_JSET |
							    BPF_K, 1, 0, 0);
	}
	prog[48] = (struct bpf_insn)BPF_STMT(BPF_RET | BPF_K, 0);
	assert_int_equal(b2d_translate(prog, 49, &f, &err), -1);
	if (!strstr(err.msg, "too complex: ") ||
	    !strstr(err.msg, "path explosion"))
		fail_msg("message: %s", err.msg);
}

static void test_fit_helpers(void **state)
{
	int none;

	(void)state;
	assert_int_equal(b2d_next_fit(0x1234, 0xffff, &none), 0x1234);
	assert_int_equal(b2d_next_fit(0x1235, 0xf0f0, &none), 0x2000);
	assert_int_equal(b2d_next_fit(0x1005, 0xf0f0, &none), 0x1010);
	assert_false(none);
	assert_int_equal(b2d_next_fit(0x0001, 0xf0, &none), 0x10);
	b2d_next_fit(0xf1, 0xf0, &none);
	assert_true(none);
	b2d_next_fit(0x80000001u, 0x80000000u, &none);
	assert_true(none);
	assert_int_equal(b2d_prev_fit(0x1235, 0xf0f0), 0x10f0);
	assert_int_equal(b2d_prev_fit(0x0f, 0xf0), 0);
	assert_int_equal(b2d_prev_fit(0xffffffffu, 0xff00), 0xff00);
}

/* Translations encode into bytecode that the verifier accepts and that
 * decodes back to the same atoms. */
static void test_bytecode_round_trip(void **state)
{
	static const char *const exprs[] = {
		"tcp port 80", "vlan and udp", "less 60", "",
		"tcp[tcpflags] & tcp-syn != 0", "ip6 net 2001:db8::/32",
		"portrange 1-1024", "ip[0] >> 4 = 4",
	};
	static uint8_t code[B2D_MAX_BYTECODE];
	static struct dpf_filter back;
	struct b2d_error err;
	struct dpf_error derr;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		assert_int_equal(b2d_compile(exprs[i], &f, &err), 0);
		len = b2d_encode(&f, code, sizeof(code));
		assert_true(len > 0);
		if (dpf_verify(code, len, &back, &derr) < 0)
			fail_msg("'%s': verifier: %s", exprs[i], derr.msg);
		assert_int_equal(back.npaths, f.npaths);
		assert_memory_equal(back.natoms, f.natoms,
				    f.npaths * sizeof(f.natoms[0]));
		assert_memory_equal(back.atoms, f.atoms,
				    (len - sizeof(struct dpf_prog_hdr) -
				     f.npaths * sizeof(struct dpf_path_hdr)));
		assert_int_equal(b2d_encode(&f, code, len - 1), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_hosts_and_nets),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_portrange),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_fields_and_masks),
		cmocka_unit_test(test_tcpflags),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_mpls_pppoe),
		cmocka_unit_test(test_not),
		cmocka_unit_test(test_everything_and_nothing),
		cmocka_unit_test(test_dead_load_keeps_bounds),
		cmocka_unit_test(test_index_registers),
		cmocka_unit_test(test_decided_jumps),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_raw_refusals),
		cmocka_unit_test(test_path_explosion),
		cmocka_unit_test(test_fit_helpers),
		cmocka_unit_test(test_bytecode_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
