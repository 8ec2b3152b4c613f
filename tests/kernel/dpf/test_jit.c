/*
 * The JIT against the interpreter: both engines must return the same
 * verdict on every packet. Random filter sets (with shared prefixes, so
 * that shared-chain tables, per-child code and SMALL groups all occur),
 * random and truncated packets, shifts that push the base past the end,
 * LEN comparisons; then the per-connection workload the shared chains
 * exist for.
 */
#include "dpf_test.h"
#include "dpf_gen.h"
#include "jit_int.h"   /* the hash functions, for test_two_choice */
#include <time.h>

/* Every packet of a batch, at several capture lengths. */
static void compare_batch(struct gen *g, uint64_t *s, const struct dpf_trie *t,
			  const struct dpf_jit *j, int npkts, int *matched)
{
	uint8_t pkt[64];

	for (int i = 0; i < npkts; i++) {
		uint32_t len = rnd(s) % 65, wire = len + rnd(s) % 3 * 40;

		if (rnd(s) % 2) {
			memcpy(pkt, g->ref[rnd(s) % 4], 64);
			for (int k = rnd(s) % 3; k > 0; k--)
				pkt[rnd(s) % 64] = alphabet[rnd(s) % sizeof(alphabet)];
		} else {
			random_packet(s, pkt, 64);
		}
		for (uint32_t cap = len; cap + 8 > len && cap <= len; cap -= 4) {
			if (both(t, j, pkt, cap, wire) != DPF_NO_MATCH)
				++*matched;
			if (cap < 4)
				break;
		}
	}
}

static struct dpf_jit *compile(const struct dpf_trie *t)
{
	struct dpf_error err;
	struct dpf_jit *j = dpf_jit_compile(t, &err);

	if (!j)
		fail_msg("jit: %s", err.msg);
	return j;
}

static void add_stats(struct dpf_jit_stats *sum, const struct dpf_jit *j)
{
	struct dpf_jit_stats st;

	dpf_jit_get_stats(j, &st);
	sum->flat_groups += st.flat_groups;
	sum->small_groups += st.small_groups;
	sum->hash_groups += st.hash_groups;
	if (st.passes > sum->passes)
		sum->passes = st.passes;
}

static void test_random_agreement(void **state)
{
	struct fx *fx = *state;
	uint64_t s = 0x9e3779b97f4a7c15ull;
	struct dpf_jit_stats sum = { 0 };
	int matched = 0;

	for (int round = 0; round < 60; round++) {
		struct gen g;
		struct dpf_filter f;
		struct dpf_jit *j;
		int n = 1 + rnd(&s) % (round % 5 == 4 ? 300 : 24);

		gen_init(&g, &s);
		for (int i = 1; i <= n; i++) {
			gen_filter(&g, &s, &f);
			assert_int_equal(dpf_trie_insert(fx->t, &f, (uint32_t)i,
							 rnd(&s) % 3,
							 DPF_INS_OVERLAP_OK,
							 NULL), 0);
		}
		j = compile(fx->t);
		add_stats(&sum, j);
		compare_batch(&g, &s, fx->t, j, 300, &matched);
		dpf_jit_free(j);
		/* Delete half, recompile, compare again. */
		for (int i = 1; i <= n; i += 2)
			assert_int_equal(dpf_trie_delete(fx->t, (uint32_t)i), 0);
		j = compile(fx->t);
		compare_batch(&g, &s, fx->t, j, 150, &matched);
		dpf_jit_free(j);
		for (int i = 2; i <= n; i += 2)
			assert_int_equal(dpf_trie_delete(fx->t, (uint32_t)i), 0);
		assert_int_equal(dpf_trie_count(fx->t), 0);
		assert_int_equal(fx->t->nnodes, 0);
	}
	/* The generator must produce matches and every kind of group, or
	 * this test proves little. */
	assert_true(matched > 1000);
	/* Flat tables need more than SMALL_GROUP children: the rounds of
	 * 300 filters make them. */
	assert_true(sum.flat_groups > 20);
	assert_true(sum.small_groups > 50);
	assert_true(sum.hash_groups > 5);
	assert_true(sum.passes >= 2);
	printf("groups compiled: %u flat, %u small, %u hash; %d matches\n",
	       sum.flat_groups, sum.small_groups, sum.hash_groups, matched);
}

static void test_empty_trie(void **state)
{
	struct fx *fx = *state;
	uint8_t pkt[64] = { 0 };
	struct dpf_jit *j = compile(fx->t);

	assert_int_equal(both(fx->t, j, pkt, 64, 64), DPF_NO_MATCH);
	assert_int_equal(both(fx->t, j, NULL, 0, 0), DPF_NO_MATCH);
	assert_true(dpf_jit_size(j) > 0);
	dpf_jit_free(j);
}

/* Each comparison, width, mask and addressing mode on its own, over every
 * value of one byte and every capture length around the field. */
static void test_each_atom_kind(void **state)
{
	struct fx *fx = *state;
	static const uint8_t widths[] = { DPF_W8, DPF_W16, DPF_W32 };

	for (int w = 0; w < 3; w++)
	for (int cmp = DPF_EQ; cmp <= DPF_SET; cmp++)
	for (int rel = 0; rel < 2; rel++) {
		uint32_t wm = dpf_width_mask(widths[w]);
		uint32_t masks[] = { wm, 0x7e & wm, 0x80 };
		for (int m = 0; m < 3; m++) {
			struct fb fb;
			struct dpf_builder *b = fb_init(&fb);
			struct dpf_filter f;
			struct dpf_jit *j;
			uint32_t v = cmp == DPF_SET ? 0 : 0x42 & masks[m];
			uint8_t pkt[16];

			if (rel)
				dpf_build_advance(b, 0, 3);
			dpf_build_cmp(b, rel ? DPF_F_REL : 0, 5, widths[w],
				      masks[m], (uint8_t)cmp, v);
			fb_filter(&fb, &f);
			assert_int_equal(dpf_trie_insert(fx->t, &f, 7, 1, 0,
							 NULL), 0);
			j = compile(fx->t);
			for (int x = 0; x < 256; x++) {
				memset(pkt, x, sizeof(pkt));
				pkt[rel ? 8 : 5] = (uint8_t)(x ^ 0x42);
				for (uint32_t cap = 0; cap <= 16; cap++)
					both(fx->t, j, pkt, cap, 16);
			}
			dpf_jit_free(j);
			assert_int_equal(dpf_trie_delete(fx->t, 7), 0);
		}
	}
}

/* A shift that moves the base past the captured bytes fails the path. */
static void test_shift_past_end(void **state)
{
	struct fx *fx = *state;
	struct fb fb;
	struct dpf_builder *b = fb_init(&fb);
	struct dpf_filter f;
	struct dpf_jit *j;
	uint8_t pkt[64];

	dpf_build_shift(b, 0, 0, DPF_W8, 0xff, 2, 0);  /* base = 4 * pkt[0] */
	dpf_build_cmp(b, DPF_F_REL, 0, DPF_W8, 0xff, DPF_GE, 0);
	fb_filter(&fb, &f);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 3, 1, 0, NULL), 0);
	j = compile(fx->t);
	memset(pkt, 0, sizeof(pkt));
	for (int x = 0; x < 256; x++) {
		pkt[0] = (uint8_t)x;
		assert_int_equal(both(fx->t, j, pkt, 64, 64),
				 4 * x < 64 ? 3u : DPF_NO_MATCH);
	}
	dpf_jit_free(j);
}

/* LEN is the wire length, whatever was captured. */
static void test_len(void **state)
{
	struct fx *fx = *state;
	struct fb fb;
	struct dpf_filter f;
	struct dpf_jit *j;
	uint8_t pkt[4] = { 0 };

	add_cmp(fb_init(&fb), 0, DPF_W_LEN, 0xffffffff, DPF_GT, 100);
	fb_filter(&fb, &f);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 1, 1, 0, NULL), 0);
	j = compile(fx->t);
	assert_int_equal(both(fx->t, j, pkt, 0, 101), 1);
	assert_int_equal(both(fx->t, j, pkt, 4, 100), DPF_NO_MATCH);
	assert_int_equal(both(fx->t, j, pkt, 4, 0xffffffff), 1);
	dpf_jit_free(j);
}

/* Per-connection demux: N filters that differ in addresses and ports. */
static void conn_round(struct fx *fx, uint32_t n, int vary_src)
{
	uint8_t pkt[128];
	struct dpf_filter f;
	struct dpf_jit *j;
	uint32_t len;

	for (uint32_t i = 0; i < n; i++) {
		conn_filter(&f, 0x0a000001, vary_src ? 0x0b000000 + i : 0x0c000001,
			    80, (uint16_t)(1024 + i));
		assert_int_equal(dpf_trie_insert(fx->t, &f, i + 1, i + 1, 0,
						 NULL), 0);
	}
	j = compile(fx->t);
	/* Every connection: in a table of thousands some values sit two or
	 * more slots from home, which the probe handles out of line. */
	for (uint32_t i = 0; i < n; i++) {
		len = make_ip4(pkt, 6, vary_src ? 0x0b000000 + i : 0x0c000001,
			       0x0a000001, (uint16_t)(1024 + i), 80,
			       5 + (int)(i % 3));
		assert_int_equal(both(fx->t, j, pkt, len, len), i + 1);
		pkt[IP_PROTO] = 17;
		assert_int_equal(both(fx->t, j, pkt, len, len), DPF_NO_MATCH);
		pkt[IP_PROTO] = 6;
		put_be(pkt + len - 20, 2, 7);  /* unknown source port */
		assert_int_equal(both(fx->t, j, pkt, len, len), DPF_NO_MATCH);
		assert_int_equal(both(fx->t, j, pkt, len - 19, len),
				 DPF_NO_MATCH);
		/* a source no filter has: a probe that misses */
		put_be(pkt + len - 20, 2, 1024 + i);
		put_be(pkt + IP_SRC, 4, 0x0d000000 + i * 0x9e3779b9u);
		assert_int_equal(both(fx->t, j, pkt, len, len), DPF_NO_MATCH);
	}
	dpf_jit_free(j);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(dpf_trie_delete(fx->t, i + 1), 0);
	assert_int_equal(fx->t->nnodes, 0);
}

static void test_per_connection(void **state)
{
	struct fx *fx = *state;

	conn_round(fx, 1, 0);
	conn_round(fx, 3, 1);
	conn_round(fx, 4096, 0);
	conn_round(fx, 4096, 1);
}

/* Filter k of test_flat_widths: a group on LEN (sorted first: offset 0,
 * width 0), then a chain with EQ atoms of every width and mask (two of
 * them adjacent: compared as one field), a range test and a shift; from
 * k = 56 on, without the range test (another shape: code of their own,
 * reached through the jump table). */
static void width_filter(struct dpf_filter *f, uint32_t k)
{
	struct fb fb;
	struct dpf_builder *b = fb_init(&fb);

	dpf_build_path(b);
	add_cmp(b, 0, DPF_W_LEN, 0xffffffff, DPF_EQ, 3 * k);
	add_cmp(b, 0, DPF_W32, 0xffffffff, DPF_EQ, 0xdead0000 + k * 0x10001);
	add_cmp(b, 4, DPF_W8, 0xff, DPF_EQ, (k * 7) & 0xff);
	add_cmp(b, 5, DPF_W8, 0xff, DPF_EQ, k ^ 0x5a);  /* fused with 4 */
	add_cmp(b, 6, DPF_W16, 0x0ff0, DPF_EQ, (k * 37 << 4) & 0x0ff0);
	if (k < 56)
		add_cmp(b, 9, DPF_W8, 0xff, DPF_GT, 5);
	dpf_build_shift(b, 0, 10, DPF_W8, 0x0f, 2, 0);
	dpf_build_cmp(b, DPF_F_REL, 12, DPF_W16, 0xffff, DPF_EQ, 0x1000 + k);
	fb_filter(&fb, f);
}

static uint32_t width_packet(uint8_t *pkt, uint32_t k)
{
	memset(pkt, 0, 32);
	put_be(pkt, 4, 0xdead0000 + k * 0x10001);
	pkt[4] = (uint8_t)(k * 7);
	pkt[5] = (uint8_t)(k ^ 0x5a);
	put_be(pkt + 6, 2, ((k * 37 << 4) & 0x0ff0) | 0x5005); /* + unmasked bits */
	pkt[9] = (uint8_t)(6 + k % 10);
	pkt[10] = 0x03;                                       /* base 12 */
	put_be(pkt + 24, 2, 0x1000 + k);
	return 3 * k;                                         /* wirelen */
}

/* Flat entries pack EQ values in their fields' widths (8, 16, 32 bits,
 * LEN): every width must compare exactly, the group value 0 must not
 * match an empty slot, and a value missing from the flat table must
 * still find a child with code of its own. */
static void test_flat_widths(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;
	struct dpf_jit_stats st;
	struct dpf_jit *j;
	uint8_t pkt[32];

	for (uint32_t k = 0; k < 64; k++) {
		width_filter(&f, k);
		assert_int_equal(dpf_trie_insert(fx->t, &f, k + 1, 1, 0, NULL), 0);
	}
	for (int round = 0; round < 2; round++) {
		j = compile(fx->t);
		dpf_jit_get_stats(j, &st);
		assert_true(st.flat_groups == 1 && st.hash_groups == 1);
		for (uint32_t k = round; k < 64; k++) {
			uint32_t wire = width_packet(pkt, k);

			assert_int_equal(both(fx->t, j, pkt, 32, wire), k + 1);
			assert_int_equal(both(fx->t, j, pkt, 32, wire + 1),
					 DPF_NO_MATCH);
			for (uint32_t cap = 0; cap < 32; cap++)
				both(fx->t, j, pkt, cap, wire);
			for (int bit = 0; bit < 26 * 8; bit++) {
				pkt[bit / 8] ^= (uint8_t)(1u << bit % 8);
				both(fx->t, j, pkt, 32, wire);
				pkt[bit / 8] ^= (uint8_t)(1u << bit % 8);
			}
		}
		/* Round 2: no child has the value 0 any more. */
		width_packet(pkt, 0);
		assert_int_equal(both(fx->t, j, pkt, 32, 0),
				 round ? DPF_NO_MATCH : 1u);
		dpf_jit_free(j);
		assert_int_equal(dpf_trie_delete(fx->t, 1), round ? DPF_E_NOENT : 0);
	}
	for (uint32_t k = 1; k < 64; k++)
		assert_int_equal(dpf_trie_delete(fx->t, k + 1), 0);
}

/* Filter v of test_two_choice: ethertype 0x88b5, then a group on the
 * 32-bit field at 14, a chain of one more EQ (the byte at 18). */
static void tc_filter(struct dpf_filter *f, uint32_t v)
{
	struct fb fb;
	struct dpf_builder *b = fb_init(&fb);

	dpf_build_path(b);
	add_cmp(b, 12, DPF_W16, 0xffff, DPF_EQ, 0x88b5);
	add_cmp(b, 14, DPF_W32, 0xffffffff, DPF_EQ, v);
	add_cmp(b, 18, DPF_W8, 0xff, DPF_EQ, v & 0xff);
	fb_filter(&fb, f);
}

/* Install the values, compile, and check every one and the value 0. */
static void tc_round(struct fx *fx, const uint32_t *vals, uint32_t n,
		     uint32_t two_choice)
{
	struct dpf_filter f;
	struct dpf_jit_stats st;
	struct dpf_jit *j;
	uint8_t pkt[24];
	uint32_t zero_id = DPF_NO_MATCH;

	for (uint32_t i = 0; i < n; i++) {
		tc_filter(&f, vals[i]);
		assert_int_equal(dpf_trie_insert(fx->t, &f, i + 1, 1, 0, NULL), 0);
		if (!vals[i])
			zero_id = i + 1;
	}
	j = compile(fx->t);
	dpf_jit_get_stats(j, &st);
	assert_int_equal(st.two_choice, two_choice);
	memset(pkt, 0, sizeof(pkt));
	put_be(pkt + 12, 2, 0x88b5);
	for (uint32_t i = 0; i < n; i++) {
		put_be(pkt + 14, 4, vals[i]);
		pkt[18] = (uint8_t)vals[i];
		assert_int_equal(both(fx->t, j, pkt, 24, 24), i + 1);
		pkt[18] ^= 1;
		assert_int_equal(both(fx->t, j, pkt, 24, 24), DPF_NO_MATCH);
		put_be(pkt + 14, 4, vals[i] ^ 0x01000000);  /* absent */
		both(fx->t, j, pkt, 24, 24);
	}
	/* The value 0 reads like an empty slot's: it must find only its
	 * own filter. */
	put_be(pkt + 14, 4, 0);
	pkt[18] = 0;
	assert_int_equal(both(fx->t, j, pkt, 24, 24), zero_id);
	dpf_jit_free(j);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(dpf_trie_delete(fx->t, i + 1), 0);
}

/* Groups of shared chains only get a two-choice table: every value found
 * in one of its two slots, the value 0 with and without a filter, and
 * values that cannot be placed so (three with the same two slots) fall
 * back to linear probing with the same verdicts. */
static void test_two_choice(void **state)
{
	struct fx *fx = *state;
	uint32_t vals[64], n = 0;
	uint32_t bits = 5;   /* 6 filters: at most a quarter of 32 slots */

	for (uint32_t i = 0; i < 64; i++)
		vals[i] = 0x0a000000 + i * 0x01010101u;
	tc_round(fx, vals, 64, 1);
	vals[7] = 0;
	tc_round(fx, vals, 64, 1);
	/* Three raw values (the probe hashes the bytes as loaded) with the
	 * same two slots, plus three others. */
	for (uint32_t r = 1; n < 3; r++)
		if (dpf_hash_idx(r, bits) == 3 &&
		    (uint32_t)(r * JIT_HASH2_MUL) >> (32 - bits) == 9)
			vals[n++] = jit_raw(DPF_W32, r);
	vals[3] = 0x01020304;
	vals[4] = 0x05060708;
	vals[5] = 0;
	tc_round(fx, vals, 6, 0);
	assert_int_equal(fx->t->nnodes, 0);
}

/* Two shapes under one group: the group's shared shape changes as
 * children come and go, children that do not fit get their own code, and
 * the verdicts stay exact throughout. */
/* Shape B: a conn filter without its source-port atom. */
static void short_conn(struct dpf_filter *f, uint32_t k)
{
	struct fb fb;

	build_conn(fb_init(&fb), 0x0a000000 + k, 0x0b000000 + k,
		   (uint16_t)(79 + k), 0);
	fb.b.len -= sizeof(struct dpf_atom);       /* drop the sport atom */
	fb.buf[fb.b.path_hdr] = 7;
	fb_filter(&fb, f);
}

static void test_flat_shape_changes(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;
	struct dpf_jit *j;
	struct dpf_jit_stats st;
	uint8_t pkt[80];

	/* All children of the destination-address group. Shape A first, so
	 * the shape-B children 11..13 are filed as "other"; when the A ones
	 * go, the group's shape is free, and B children 14..16 take it. */
	for (uint32_t k = 1; k <= 6; k++) {
		conn_filter(&f, 0x0a000000 + k, 0x0b000000 + k,
			    (uint16_t)(79 + k), 1000);
		assert_int_equal(dpf_trie_insert(fx->t, &f, k, k, 0, NULL), 0);
	}
	for (uint32_t k = 11; k <= 13; k++) {
		short_conn(&f, k);
		assert_int_equal(dpf_trie_insert(fx->t, &f, k, k, 0, NULL), 0);
	}
	for (uint32_t k = 1; k <= 6; k++)
		assert_int_equal(dpf_trie_delete(fx->t, k), 0);
	for (uint32_t k = 14; k <= 16; k++) {
		short_conn(&f, k);
		assert_int_equal(dpf_trie_insert(fx->t, &f, k, k, 0, NULL), 0);
	}
	j = compile(fx->t);
	dpf_jit_get_stats(j, &st);
	assert_true(st.flat_groups >= 1);   /* 14..16: the shared chain */
	assert_true(st.hash_groups >= 1);   /* 11..13: code of their own */
	for (uint32_t k = 1; k <= 16; k++) {
		uint32_t len = make_ip4(pkt, 6, 0x0b000000 + k, 0x0a000000 + k,
					1000, (uint16_t)(79 + k), 5);

		assert_int_equal(both(fx->t, j, pkt, len, len),
				 k > 10 ? k : DPF_NO_MATCH);
		put_be(pkt + len - 18, 2, 1);   /* another destination port */
		assert_int_equal(both(fx->t, j, pkt, len, len), DPF_NO_MATCH);
	}
	dpf_jit_free(j);
}

/* Insertions that lose some allocations still give exact code: missing
 * chain summaries only make the JIT take the general way. */
static void test_degraded_summaries(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;
	struct dpf_jit *j;
	uint64_t s = 99;
	uint8_t pkt[80];
	uint32_t n = 0;

	for (uint32_t i = 0; i < 300; i++) {
		conn_filter(&f, 0x0a000001, 0x0b000000 + i % 30, 80,
			    (uint16_t)(1024 + i));
		fx->h.fail_in = 1 + rnd(&s) % 40;
		if (dpf_trie_insert(fx->t, &f, i + 1, i + 1, 0, NULL) == 0)
			n++;
		fx->h.fail_in = 0;
	}
	assert_true(n > 10);
	j = compile(fx->t);
	for (uint32_t i = 0; i < 300; i++) {
		uint32_t len = make_ip4(pkt, 6, 0x0b000000 + i % 30, 0x0a000001,
					(uint16_t)(1024 + i), 80, 5);
		both(fx->t, j, pkt, len, len);
	}
	dpf_jit_free(j);
}

/* Paths of the full 64 atoms, half of them SHIFT/ADVANCE (64 nested
 * pushes of the base), branching at every depth; code big enough that
 * jumps need rel32 and the passes have work to do. */
static void test_deep_paths(void **state)
{
	struct fx *fx = *state;
	uint64_t s = 7;
	uint8_t pkt[128];
	struct dpf_jit *j;
	struct dpf_jit_stats st;

	for (uint32_t id = 1; id <= 40; id++) {
		struct fb fb;
		struct dpf_builder *b = fb_init(&fb);
		struct dpf_filter f;
		uint32_t branch = rnd(&s) % 64;

		for (uint32_t i = 0; i < DPF_MAX_ATOMS_PER_PATH; i++) {
			uint32_t v = i < branch ? i % 5 : rnd(&s) % 5;

			if (i % 2)
				dpf_build_advance(b, DPF_F_REL, v % 2);
			else
				dpf_build_cmp(b, DPF_F_REL, v, DPF_W8, 0x7,
					      DPF_LE, 5 + v % 3);
		}
		fb_filter(&fb, &f);
		assert_int_equal(dpf_trie_insert(fx->t, &f, id, 1, 0, NULL), 0);
	}
	j = compile(fx->t);
	dpf_jit_get_stats(j, &st);
	assert_true(st.passes >= 2);
	for (int i = 0; i < 3000; i++) {
		for (uint32_t k = 0; k < sizeof(pkt); k++)
			pkt[k] = (uint8_t)(rnd(&s) % 9);
		both(fx->t, j, pkt, rnd(&s) % sizeof(pkt), 128);
	}
	dpf_jit_free(j);
}

/* W^X: the image is executable and not writable once compiled. */
static void test_image_is_sealed(void **state)
{
	struct fx *fx = *state;
	struct dpf_jit *j = compile(fx->t);
	uintptr_t at = (uintptr_t)dpf_jit_entry(j);
	char line[512];
	int found = 0;
	FILE *maps = fopen("/proc/self/maps", "r");

	assert_non_null(maps);
	while (fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 &&
		    at >= lo && at < hi) {
			assert_string_equal(perms, "r-xp");
			found = 1;
		}
	}
	fclose(maps);
	assert_true(found);
	/* The unused tail of the code part is int3. */
	{
		struct dpf_jit_stats st;
		const uint8_t *img = (const uint8_t *)at;

		dpf_jit_get_stats(j, &st);
		for (size_t i = st.code_size; i < ((st.code_size + 63) & ~63ul); i++)
			assert_int_equal(img[i], 0xcc);
		assert_int_equal(img[st.code_size - 1], 0xc3);  /* ret */
	}
	dpf_jit_free(j);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Not a timed test: prints what one insert + re-JIT costs at N = 4096. */
static void test_insert_rejit_time(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;
	struct dpf_jit *j;
	double t0, best = 1e9;

	for (uint32_t i = 0; i < 4096; i++) {
		conn_filter(&f, 0x0a000001, 0x0b000000 + i, 80,
			    (uint16_t)(1024 + i));
		assert_int_equal(dpf_trie_insert(fx->t, &f, i + 1, i + 1, 0,
						 NULL), 0);
	}
	for (uint32_t k = 0; k < 20; k++) {
		conn_filter(&f, 0x0a000001, 0x0d000000 + k, 80, 9);
		t0 = now_us();
		assert_int_equal(dpf_trie_insert(fx->t, &f, 10000 + k, 1, 0,
						 NULL), 0);
		j = compile(fx->t);
		if (now_us() - t0 < best)
			best = now_us() - t0;
		dpf_jit_free(j);
	}
	printf("insert + re-JIT at N=4096: %.1f us (best of 20)\n", best);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_trie, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_image_is_sealed, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_deep_paths, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_flat_shape_changes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_flat_widths, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_two_choice, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_degraded_summaries, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_each_atom_kind, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_shift_past_end, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_len, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_per_connection, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_random_agreement, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_insert_rejit_time, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
