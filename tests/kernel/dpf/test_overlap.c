/*
 * The overlap rule (docs/dpf.md, "Overlap rule"): every case it names,
 * then a soundness property over random filters: whenever the rule lets
 * two owners in, no packet is accepted by both filters.
 */
#include "dpf_test.h"
#include "dpf_gen.h"

/* A filter from a list of (flags, offset, width, mask, cmp, value). */
struct at {
	uint8_t op, flags, width, cmp, shift;
	uint32_t off, mask, value;
};
#define C(fl, off, w, m, cmp, v) { DPF_OP_CMP, fl, w, cmp, 0, off, m, v }
#define S(fl, off, w, m, sh, v) { DPF_OP_SHIFT, fl, w, 0, sh, off, m, v }
#define PATH { 0xff, 0, 0, 0, 0, 0, 0, 0 }
#define END { 0, 0, 0, 0, 0, 0, 0, 0 }

static void mk(struct dpf_filter *f, const struct at *a)
{
	struct fb fb;
	struct dpf_builder *b = fb_init(&fb);

	for (; a->op; a++) {
		if (a->op == 0xff)
			dpf_build_path(b);
		else if (a->op == DPF_OP_CMP)
			dpf_build_cmp(b, a->flags, a->off, a->width, a->mask,
				      a->cmp, a->value);
		else
			dpf_build_shift(b, a->flags, a->off, a->width, a->mask,
					a->shift, a->value);
	}
	fb_filter(&fb, f);
}

#define IPV4 C(0, ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x0800)
#define TCP C(0, IP_PROTO, DPF_W8, 0xff, DPF_EQ, 6)
#define UDP C(0, IP_PROTO, DPF_W8, 0xff, DPF_EQ, 17)
#define IHL S(0, IP_IHL, DPF_W8, 0xf, 2, 14)
#define DPORT(cmp, v) C(DPF_F_REL, 2, DPF_W16, 0xffff, cmp, v)

/* Install a under owner 1 (id 1), then try b under owner 2 (id 2). */
static int pair(struct fx *fx, const struct at *a, const struct at *b,
		struct dpf_error *err)
{
	struct dpf_filter fa, fb;
	int rc;

	mk(&fa, a);
	mk(&fb, b);
	assert_int_equal(dpf_trie_insert(fx->t, &fa, 1, 1, 0, NULL), 0);
	rc = dpf_trie_insert(fx->t, &fb, 2, 2, 0, err);
	if (rc == DPF_E_OVERLAP) {
		assert_int_equal(err->other_id, 1);
		assert_non_null(strstr(err->msg, "filter 1 (owner 1)"));
	}
	/* The rule is symmetric: the other order gives the same answer. */
	assert_int_equal(dpf_trie_delete(fx->t, 1), 0);
	if (rc == 0)
		assert_int_equal(dpf_trie_delete(fx->t, 2), 0);
	assert_int_equal(dpf_trie_insert(fx->t, &fb, 2, 2, 0, NULL), 0);
	assert_int_equal(dpf_trie_insert(fx->t, &fa, 1, 1, 0, NULL) == 0,
			 rc == 0);
	dpf_trie_delete(fx->t, 1);
	dpf_trie_delete(fx->t, 2);
	return rc;
}

#define ALLOWED(a, b) assert_int_equal(pair(fx, a, b, &err), 0)
#define REFUSED(a, b) assert_int_equal(pair(fx, a, b, &err), DPF_E_OVERLAP)

static void test_identical(void **state)
{
	struct fx *fx = *state;
	struct dpf_error err;
	const struct at f[] = { IPV4, TCP, END };
	struct dpf_filter x;

	REFUSED(f, f);
	assert_int_equal(err.path, 0);
	assert_int_equal(err.code, DPF_E_OVERLAP);
	/* Same owner: allowed. */
	mk(&x, f);
	assert_int_equal(dpf_trie_insert(fx->t, &x, 1, 7, 0, NULL), 0);
	assert_int_equal(dpf_trie_insert(fx->t, &x, 2, 7, 0, NULL), 0);
	assert_int_equal(dpf_trie_insert(fx->t, &x, 3, 8, 0, &err),
			 DPF_E_OVERLAP);
	/* The capability lifts the rule. */
	assert_int_equal(dpf_trie_insert(fx->t, &x, 3, 8, DPF_INS_OVERLAP_OK,
					 NULL), 0);
}

/* A more specific filter under another owner's prefix steals from it,
 * and a broader one over another owner's filter would too. */
static void test_prefix(void **state)
{
	struct fx *fx = *state;
	struct dpf_error err;
	const struct at tcp[] = { IPV4, TCP, END };
	const struct at tcp80[] = { IPV4, TCP, IHL, DPORT(DPF_EQ, 80), END };
	const struct at ip[] = { IPV4, END };

	REFUSED(tcp, tcp80);
	REFUSED(tcp80, tcp);
	REFUSED(ip, tcp80);
}

static void test_ports_and_hosts(void **state)
{
	struct fx *fx = *state;
	struct dpf_error err;
	const struct at p80[] = { IPV4, TCP, IHL, DPORT(DPF_EQ, 80), END };
	const struct at p443[] = { IPV4, TCP, IHL, DPORT(DPF_EQ, 443), END };
	const struct at udp80[] = { IPV4, UDP, IHL, DPORT(DPF_EQ, 80), END };
	const struct at h1[] = { IPV4, C(0, IP_DST, DPF_W32, 0xffffffff,
					 DPF_EQ, 0x0a000001), END };
	const struct at h2[] = { IPV4, C(0, IP_DST, DPF_W32, 0xffffffff,
					 DPF_EQ, 0x0a000002), END };

	ALLOWED(p80, p443);
	ALLOWED(p80, udp80);     /* contradiction before the shift */
	ALLOWED(h1, h2);
	REFUSED(h1, p80);        /* different fields: both can hold */
}

/* Thousands of connections, each its own owner. */
static void test_per_connection_tuples(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;
	struct dpf_error err;

	for (uint32_t i = 0; i < 2000; i++) {
		conn_filter(&f, 0x0a000001, 0x0b000000 + i % 40, 80,
			    (uint16_t)(1024 + i / 40));
		assert_int_equal(dpf_trie_insert(fx->t, &f, i + 1, 1000 + i, 0,
						 &err), 0);
	}
	/* The same 4-tuple again, for someone else: refused. */
	conn_filter(&f, 0x0a000001, 0x0b000007, 80, 1024 + 3);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 9999, 5, 0, &err),
			 DPF_E_OVERLAP);
	assert_int_equal(err.other_id, 3 * 40 + 7 + 1);
}

static void test_ranges(void **state)
{
	struct fx *fx = *state;
	struct dpf_error err;
	const struct at r1[] = { IPV4, TCP, IHL, DPORT(DPF_GE, 1000),
				 DPORT(DPF_LE, 2000), END };
	const struct at r2[] = { IPV4, TCP, IHL, DPORT(DPF_GE, 3000),
				 DPORT(DPF_LE, 4000), END };
	const struct at r3[] = { IPV4, TCP, IHL, DPORT(DPF_GT, 1500),
				 DPORT(DPF_LT, 2500), END };
	const struct at p80[] = { IPV4, TCP, IHL, DPORT(DPF_EQ, 80), END };
	const struct at hi[] = { IPV4, TCP, IHL, DPORT(DPF_GT, 1023), END };
	const struct at lo[] = { IPV4, TCP, IHL, DPORT(DPF_LT, 100), END };
	const struct at le80[] = { IPV4, TCP, IHL, DPORT(DPF_LE, 80), END };
	const struct at gt80[] = { IPV4, TCP, IHL, DPORT(DPF_GT, 80), END };

	ALLOWED(r1, r2);
	REFUSED(r1, r3);
	ALLOWED(p80, hi);
	REFUSED(p80, lo);
	ALLOWED(le80, gt80);     /* adjacent, not overlapping */
	ALLOWED(r1, p80);
}

static void test_eq_ne(void **state)
{
	struct fx *fx = *state;
	struct dpf_error err;
	const struct at eq5[] = { C(0, 30, DPF_W8, 0xff, DPF_EQ, 5), END };
	const struct at ne5[] = { C(0, 30, DPF_W8, 0xff, DPF_NE, 5), END };
	const struct at ne6[] = { C(0, 30, DPF_W8, 0xff, DPF_NE, 6), END };
	const struct at ge5le5[] = { C(0, 30, DPF_W8, 0xff, DPF_GE, 5),
				     C(0, 30, DPF_W8, 0xff, DPF_LE, 5), END };

	ALLOWED(eq5, ne5);
	REFUSED(eq5, ne6);
	REFUSED(ne5, ne6);
	/* Disjoint, but only three atoms together show it; the rule compares
	 * pairs, so it stays on the safe side (documented). */
	REFUSED(ne5, ge5le5);
}

/* EQ on different masks of one field: disjoint iff the common bits
 * differ. SET against an EQ that clears those bits. */
static void test_masks(void **state)
{
	struct fx *fx = *state;
	struct dpf_error err;
	const struct at hi1[] = { C(0, 47, DPF_W8, 0xf0, DPF_EQ, 0x10), END };
	const struct at lo2[] = { C(0, 47, DPF_W8, 0x0f, DPF_EQ, 0x02), END };
	const struct at b45[] = { C(0, 47, DPF_W8, 0x30, DPF_EQ, 0x20), END };
	const struct at syn[] = { C(0, 47, DPF_W8, 0x02, DPF_SET, 0), END };
	const struct at nosyn[] = { C(0, 47, DPF_W8, 0x12, DPF_EQ, 0x10), END };
	const struct at ack[] = { C(0, 47, DPF_W8, 0x10, DPF_EQ, 0x10), END };

	REFUSED(hi1, lo2);
	ALLOWED(hi1, b45);
	ALLOWED(syn, nosyn);
	REFUSED(syn, ack);
}

/* Fields after shifts: comparable only after identical shifts. */
static void test_shifts(void **state)
{
	struct fx *fx = *state;
	struct dpf_error err;
	const struct at a[] = { IPV4, TCP, IHL, DPORT(DPF_EQ, 80), END };
	const struct at other_shift[] = { IPV4, TCP,
		S(0, IP_IHL, DPF_W8, 0xf, 2, 18), DPORT(DPF_EQ, 443), END };
	const struct at rel_shift[] = { IPV4, TCP,
		S(DPF_F_REL, IP_IHL, DPF_W8, 0xf, 2, 14), DPORT(DPF_EQ, 443),
		END };
	const struct at udp_other[] = { IPV4, UDP,
		S(0, IP_IHL, DPF_W8, 0xf, 2, 18), DPORT(DPF_EQ, 80), END };
#define IHL_REL S(DPF_F_REL, IP_IHL, DPF_W8, 0xf, 2, 0)
	const struct at two[] = { IPV4, TCP, IHL, IHL_REL, DPORT(DPF_EQ, 443),
				  END };
	const struct at two80[] = { IPV4, TCP, IHL, IHL_REL, DPORT(DPF_EQ, 80),
				    END };
	const struct at again[] = { IPV4, TCP, IHL_REL, IHL, DPORT(DPF_EQ, 443),
				    END };
	const struct at abs20[] = { C(0, 20, DPF_W8, 0xff, DPF_EQ, 1), END };
	const struct at rel20[] = { C(DPF_F_REL, 20, DPF_W8, 0xff, DPF_EQ, 2),
				    END };

	REFUSED(a, other_shift);     /* not comparable: assume overlap */
	ALLOWED(a, rel_shift);       /* a first REL shift anchors at 0 too */
	ALLOWED(a, udp_other);       /* contradiction before the shift */
	REFUSED(a, two);             /* different shift sequences */
	ALLOWED(two, two80);
	ALLOWED(a, again);           /* an absolute shift forgets the past */
	ALLOWED(abs20, rel20);       /* REL with no shift is absolute */
}

static void test_len(void **state)
{
	struct fx *fx = *state;
	struct dpf_error err;
	const struct at small[] = { C(0, 0, DPF_W_LEN, 0xffffffff, DPF_LT, 100),
				    END };
	const struct at big[] = { C(0, 0, DPF_W_LEN, 0xffffffff, DPF_GT, 200),
				  END };
	const struct at mid[] = { C(0, 0, DPF_W_LEN, 0xffffffff, DPF_GT, 50),
				  END };

	ALLOWED(small, big);
	REFUSED(small, mid);
}

/* Different widths at one offset are not compared (conservative). */
static void test_widths_not_compared(void **state)
{
	struct fx *fx = *state;
	struct dpf_error err;
	const struct at w16[] = { IPV4, END };
	const struct at w8[] = { C(0, ETH_TYPE, DPF_W8, 0xff, DPF_EQ, 0x86),
				 END };

	REFUSED(w16, w8);
}

/* A multi-path filter is refused if any path overlaps; err says which. */
static void test_multipath(void **state)
{
	struct fx *fx = *state;
	struct dpf_error err;
	const struct at p80[] = { IPV4, TCP, IHL, DPORT(DPF_EQ, 80), END };
	const struct at two[] = { IPV4, TCP, IHL, DPORT(DPF_EQ, 443), PATH,
				  IPV4, TCP, IHL, DPORT(DPF_EQ, 80), END };

	REFUSED(p80, two);
	assert_int_equal(err.path, 1);
}

/* Removing the conflicting filter lifts the refusal. */
static void test_after_delete(void **state)
{
	struct fx *fx = *state;
	const struct at f[] = { IPV4, TCP, END };
	struct dpf_filter x;

	mk(&x, f);
	assert_int_equal(dpf_trie_insert(fx->t, &x, 1, 1, 0, NULL), 0);
	assert_int_equal(dpf_trie_insert(fx->t, &x, 2, 2, 0, NULL),
			 DPF_E_OVERLAP);
	assert_int_equal(dpf_trie_delete(fx->t, 1), 0);
	assert_int_equal(dpf_trie_insert(fx->t, &x, 2, 2, 0, NULL), 0);
}

/* Never a false "disjoint": random pairs the rule admits never accept
 * the same packet. */
static void test_soundness(void **state)
{
	struct fx *fx = *state;
	uint64_t s = 0x1234567;
	int admitted = 0;

	for (int round = 0; round < 3000; round++) {
		struct gen g;
		struct dpf_filter a, b;
		struct dpf_trie *ta, *tb;
		uint8_t pkt[64];

		gen_init(&g, &s);
		gen_filter(&g, &s, &a);
		gen_filter(&g, &s, &b);
		assert_int_equal(dpf_trie_insert(fx->t, &a, 1, 1, 0, NULL), 0);
		if (dpf_trie_insert(fx->t, &b, 2, 2, 0, NULL) == 0) {
			admitted++;
			ta = dpf_trie_create(&fx->h.env);
			tb = dpf_trie_create(&fx->h.env);
			assert_int_equal(dpf_trie_insert(ta, &a, 1, 1, 0, NULL), 0);
			assert_int_equal(dpf_trie_insert(tb, &b, 2, 2, 0, NULL), 0);
			for (int i = 0; i < 300; i++) {
				uint32_t len = rnd(&s) % 65;

				memcpy(pkt, g.ref[rnd(&s) % 4], 64);
				if (i % 2)
					pkt[rnd(&s) % 64] ^= (uint8_t)rnd(&s);
				if (dpf_interp(ta, pkt, len, len + i % 3) &&
				    dpf_interp(tb, pkt, len, len + i % 3))
					fail_msg("round %d: admitted filters "
						 "share a packet", round);
			}
			dpf_trie_destroy(ta);
			dpf_trie_destroy(tb);
			dpf_trie_delete(fx->t, 2);
		}
		dpf_trie_delete(fx->t, 1);
	}
	assert_true(admitted > 100);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_identical),
		T(test_prefix),
		T(test_ports_and_hosts),
		T(test_per_connection_tuples),
		T(test_ranges),
		T(test_eq_ne),
		T(test_masks),
		T(test_shifts),
		T(test_len),
		T(test_widths_not_compared),
		T(test_multipath),
		T(test_after_delete),
		T(test_soundness),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
