/*
 * The merged trie: prefix sharing, hash groups with thousands of siblings,
 * incremental insert and delete (delete restores the exact previous
 * behaviour and gives back every byte), match priority, argument checks,
 * all-or-nothing behaviour when memory runs out, and rekeying a filter in
 * place.
 */
#include "dpf_test.h"

static void udp_port_filter(struct dpf_filter *f, uint16_t port)
{
	struct fb fb;
	struct dpf_builder *b = fb_init(&fb);

	add_cmp(b, ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x0800);
	add_cmp(b, IP_PROTO, DPF_W8, 0xff, DPF_EQ, 17);
	dpf_build_shift(b, 0, IP_IHL, DPF_W8, 0xf, 2, 14);
	dpf_build_cmp(b, DPF_F_REL, 2, DPF_W16, 0xffff, DPF_EQ, port);
	fb_filter(&fb, f);
}

static uint32_t lookup_udp(const struct dpf_trie *t, uint16_t port)
{
	uint8_t pkt[80];
	uint32_t len = make_ip4(pkt, 17, 1, 2, 9999, port, 5);

	return dpf_interp(t, pkt, len, len);
}

static void test_insert_lookup_delete(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;
	struct dpf_error err;

	udp_port_filter(&f, 53);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 5, 100, 0, &err), 0);
	assert_int_equal(err.code, 0);
	assert_int_equal(lookup_udp(fx->t, 53), 5);
	assert_int_equal(lookup_udp(fx->t, 54), DPF_NO_MATCH);
	assert_int_equal(dpf_trie_count(fx->t), 1);
	assert_int_equal(fx->t->nnodes, 4);
	assert_int_equal(dpf_trie_delete(fx->t, 5), 0);
	assert_int_equal(lookup_udp(fx->t, 53), DPF_NO_MATCH);
	assert_int_equal(dpf_trie_delete(fx->t, 5), DPF_E_NOENT);
	assert_int_equal(fx->t->nnodes, 0);
	assert_int_equal(dpf_trie_count(fx->t), 0);
}

static void test_bad_arguments(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;
	struct dpf_error err;

	udp_port_filter(&f, 53);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 0, 1, 0, &err), DPF_E_INVAL);
	assert_non_null(strstr(err.msg, "id 0 is reserved"));
	assert_int_equal(dpf_trie_insert(fx->t, &f, 1, 1, 0x80, &err),
			 DPF_E_INVAL);
	assert_non_null(strstr(err.msg, "unknown insert flags 0x80"));
	assert_int_equal(dpf_trie_insert(fx->t, NULL, 1, 1, 0, &err),
			 DPF_E_INVAL);
	assert_int_equal(dpf_trie_insert(NULL, &f, 1, 1, 0, &err), DPF_E_INVAL);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 1, 1, 0, &err), 0);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 1, 1, 0, &err),
			 DPF_E_EXISTS);
	assert_non_null(strstr(err.msg, "filter id 1 is already installed"));
	/* A filter that skipped the verifier is checked again. */
	f.npaths = 0;
	assert_int_equal(dpf_trie_insert(fx->t, &f, 2, 1, 0, &err),
			 DPF_E_FORMAT);
	assert_int_equal(dpf_trie_delete(NULL, 1), DPF_E_NOENT);
	assert_null(dpf_trie_create(NULL));
	assert_int_equal(dpf_interp(NULL, NULL, 0, 0), DPF_NO_MATCH);
}

/* Filters share their common prefix; EQ siblings share one group. */
static void test_prefix_sharing(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;

	udp_port_filter(&f, 53);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 1, 1, 0, NULL), 0);
	udp_port_filter(&f, 67);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 2, 2, 0, NULL), 0);
	assert_int_equal(fx->t->nnodes, 5);   /* 3 shared + 2 leaves */
	assert_int_equal(fx->t->root.ngroups, 1);
	assert_int_equal(fx->t->root.nedges, 0);
	assert_int_equal(lookup_udp(fx->t, 53), 1);
	assert_int_equal(lookup_udp(fx->t, 67), 2);
	assert_int_equal(dpf_trie_delete(fx->t, 1), 0);
	assert_int_equal(fx->t->nnodes, 4);
	assert_int_equal(lookup_udp(fx->t, 67), 2);
}

/* Thousands of siblings in one hash group: every one found, and the
 * group is one level however many there are. */
static void test_hash_group_thousands(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;
	const struct dpf_node *n;
	const struct dpf_group *g;

	for (uint32_t p = 1; p <= 5000; p++) {
		udp_port_filter(&f, (uint16_t)p);
		assert_int_equal(dpf_trie_insert(fx->t, &f, p, p, 0, NULL), 0);
	}
	assert_int_equal(fx->t->nnodes, 3 + 5000);
	/* root -> ethertype group -> proto group -> shift edge -> ports */
	n = dpf_map_get(&fx->t->root.groups[0]->kids, 0x0800);
	n = dpf_map_get(&n->groups[0]->kids, 17);
	n = n->edges[0];
	assert_int_equal(n->ngroups, 1);
	g = n->groups[0];
	assert_int_equal(g->kids.n, 5000);
	for (uint32_t p = 1; p <= 5000; p++)
		assert_int_equal(lookup_udp(fx->t, (uint16_t)p), p);
	assert_int_equal(lookup_udp(fx->t, 5001), DPF_NO_MATCH);
	/* Delete every other one: the rest still resolve. */
	for (uint32_t p = 1; p <= 5000; p += 2)
		assert_int_equal(dpf_trie_delete(fx->t, p), 0);
	for (uint32_t p = 1; p <= 5000; p++)
		assert_int_equal(lookup_udp(fx->t, (uint16_t)p),
				 p % 2 ? DPF_NO_MATCH : p);
	assert_int_equal(g->kids.n, 2500);
}

/* Verdicts on a fixed packet set, to compare trie states. */
static void verdicts(const struct dpf_trie *t, uint32_t *out, int n)
{
	uint8_t pkt[80];

	for (int i = 0; i < n; i++) {
		uint32_t len = make_ip4(pkt, i % 3 ? 6 : 17, 0x0b000000 + i % 7,
					0x0a000001, (uint16_t)(1024 + i % 11),
					(uint16_t)(i % 2 ? 80 : 53), 5 + i % 2);

		out[i] = dpf_interp(t, pkt, len - (uint32_t)(i % 5), len);
	}
}

/* Insert then delete is the identity: verdicts, nodes and bytes. */
static void test_delete_restores(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;
	uint32_t before[200], after[200], during[200];
	size_t bytes, blocks, nodes;

	for (uint32_t i = 0; i < 7; i++) {
		conn_filter(&f, 0x0a000001, 0x0b000000 + i, 80,
			    (uint16_t)(1024 + i));
		assert_int_equal(dpf_trie_insert(fx->t, &f, i + 1, i + 1, 0,
						 NULL), 0);
	}
	udp_port_filter(&f, 53);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 50, 50, 0, NULL), 0);
	verdicts(fx->t, before, 200);
	bytes = fx->h.live_bytes;
	blocks = fx->h.live_blocks;
	nodes = fx->t->nnodes;
	/* A filter sharing a long prefix, a broader same-owner filter, a
	 * filter with two paths. */
	conn_filter(&f, 0x0a000001, 0x0b000003, 80, 2000);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 100, 4, 0, NULL), 0);
	{
		struct fb fb;
		struct dpf_builder *b = fb_init(&fb);

		add_cmp(b, ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x0800);
		add_cmp(b, IP_PROTO, DPF_W8, 0xff, DPF_EQ, 6);
		add_cmp(b, IP_SRC, DPF_W32, 0xffffffff, DPF_EQ, 0x0b000005);
		dpf_build_path(b);
		add_cmp(b, ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x0806);
		fb_filter(&fb, &f);
	}
	assert_int_equal(dpf_trie_insert(fx->t, &f, 101, 6, 0, NULL), 0);
	verdicts(fx->t, during, 200);
	assert_memory_not_equal(before, during, sizeof(before));
	assert_int_equal(dpf_trie_delete(fx->t, 100), 0);
	assert_int_equal(dpf_trie_delete(fx->t, 101), 0);
	verdicts(fx->t, after, 200);
	assert_memory_equal(before, after, sizeof(before));
	assert_int_equal(fx->t->nnodes, nodes);
	/* Every node, group, summary and record went back; only the id
	 * table may keep its grown capacity (it shrinks at 1/8 full). */
	assert_int_equal(fx->h.live_blocks, blocks);
	assert_true(fx->h.live_bytes - bytes <= 16 * 16);
	/* And with everything deleted, exactly the empty trie is left. */
	for (uint32_t i = 0; i < 7; i++)
		assert_int_equal(dpf_trie_delete(fx->t, i + 1), 0);
	assert_int_equal(dpf_trie_delete(fx->t, 50), 0);
	assert_int_equal(fx->h.live_blocks, 1);
	assert_int_equal(fx->h.live_bytes, sizeof(struct dpf_trie));
}

/* Within one owner: the path with the most atoms wins, then the lowest
 * id. Across owners only with DPF_INS_OVERLAP_OK, same rule. */
static void test_match_priority(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter ip, tcp, tcp80;
	struct fb fb;
	uint8_t pkt[80];
	uint32_t len = make_ip4(pkt, 6, 1, 2, 1000, 80, 5);

	add_cmp(fb_init(&fb), ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x0800);
	fb_filter(&fb, &ip);
	add_cmp(fb_init(&fb), ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x0800);
	add_cmp(&fb.b, IP_PROTO, DPF_W8, 0xff, DPF_EQ, 6);
	fb_filter(&fb, &tcp);
	add_cmp(fb_init(&fb), ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x0800);
	add_cmp(&fb.b, IP_PROTO, DPF_W8, 0xff, DPF_EQ, 6);
	dpf_build_cmp(&fb.b, 0, 36, DPF_W16, 0xffff, DPF_EQ, 80);
	fb_filter(&fb, &tcp80);

	assert_int_equal(dpf_trie_insert(fx->t, &tcp, 20, 1, 0, NULL), 0);
	assert_int_equal(dpf_interp(fx->t, pkt, len, len), 20);
	assert_int_equal(dpf_trie_insert(fx->t, &ip, 10, 1, 0, NULL), 0);
	assert_int_equal(dpf_interp(fx->t, pkt, len, len), 20); /* longer */
	assert_int_equal(dpf_trie_insert(fx->t, &tcp80, 30, 1, 0, NULL), 0);
	assert_int_equal(dpf_interp(fx->t, pkt, len, len), 30);
	assert_int_equal(dpf_trie_insert(fx->t, &tcp80, 25, 1, 0, NULL), 0);
	assert_int_equal(dpf_interp(fx->t, pkt, len, len), 25); /* tie: low id */
	assert_int_equal(dpf_trie_delete(fx->t, 25), 0);
	assert_int_equal(dpf_trie_delete(fx->t, 30), 0);
	assert_int_equal(dpf_interp(fx->t, pkt, len, len), 20);
	pkt[IP_PROTO] = 17;
	assert_int_equal(dpf_interp(fx->t, pkt, len, len), 10);
	pkt[IP_PROTO] = 6;
	/* Another owner, with the capability. */
	assert_int_equal(dpf_trie_insert(fx->t, &tcp80, 40, 2, 0, NULL),
			 DPF_E_OVERLAP);
	assert_int_equal(dpf_trie_insert(fx->t, &tcp80, 40, 2,
					 DPF_INS_OVERLAP_OK, NULL), 0);
	assert_int_equal(dpf_interp(fx->t, pkt, len, len), 40);
}

/* Tests between two shifts are merged in one canonical order: the same
 * filter written in another order shares every node, and a test after a
 * shift never moves before it. */
static void test_canonical_order(void **state)
{
	struct fx *fx = *state;
	struct fb fb;
	struct dpf_filter a, b;
	uint8_t pkt[80];
	uint32_t len = make_ip4(pkt, 17, 1, 2, 1000, 53, 6);

	add_cmp(fb_init(&fb), IP_PROTO, DPF_W8, 0xff, DPF_EQ, 17);
	add_cmp(&fb.b, ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x0800);
	dpf_build_shift(&fb.b, 0, IP_IHL, DPF_W8, 0xf, 2, 14);
	dpf_build_cmp(&fb.b, DPF_F_REL, 2, DPF_W16, 0xffff, DPF_EQ, 53);
	fb_filter(&fb, &a);
	udp_port_filter(&b, 53);
	assert_int_equal(dpf_trie_insert(fx->t, &a, 1, 1, 0, NULL), 0);
	assert_int_equal(fx->t->nnodes, 4);
	assert_int_equal(dpf_trie_insert(fx->t, &b, 2, 1, 0, NULL), 0);
	assert_int_equal(fx->t->nnodes, 4);   /* the same four nodes */
	assert_int_equal(dpf_interp(fx->t, pkt, len, len), 1);
	/* Another owner: identical filters, whatever the order. */
	assert_int_equal(dpf_trie_insert(fx->t, &b, 3, 2, 0, NULL),
			 DPF_E_OVERLAP);
	/* REL port 53 at base+2 must stay after the shift: the packet's
	 * options (ihl 6) put the port 4 bytes further than without it. */
	put_be(pkt + 14 + 20 + 2, 2, 53);
	put_be(pkt + 14 + 24 + 2, 2, 54);
	assert_int_equal(dpf_interp(fx->t, pkt, len, len), DPF_NO_MATCH);
	assert_int_equal(dpf_trie_delete(fx->t, 1), 0);
	assert_int_equal(dpf_trie_delete(fx->t, 2), 0);
	assert_int_equal(fx->t->nnodes, 0);
}

/* A disjunction: either path accepts, for the same id. */
static void test_multipath(void **state)
{
	struct fx *fx = *state;
	struct fb fb;
	struct dpf_filter f;
	uint8_t pkt[80];
	uint32_t len = make_ip4(pkt, 6, 1, 2, 1000, 80, 5);

	add_cmp(fb_init(&fb), 36, DPF_W16, 0xffff, DPF_EQ, 80);
	dpf_build_path(&fb.b);
	add_cmp(&fb.b, 34, DPF_W16, 0xffff, DPF_EQ, 80);
	dpf_build_path(&fb.b);
	add_cmp(&fb.b, 34, DPF_W16, 0xffff, DPF_EQ, 80);  /* duplicate path */
	fb_filter(&fb, &f);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 9, 1, 0, NULL), 0);
	assert_int_equal(dpf_interp(fx->t, pkt, len, len), 9);
	put_be(pkt + 36, 2, 81);
	assert_int_equal(dpf_interp(fx->t, pkt, len, len), DPF_NO_MATCH);
	put_be(pkt + 34, 2, 80);
	assert_int_equal(dpf_interp(fx->t, pkt, len, len), 9);
	assert_int_equal(fx->t->nnodes, 2);
	assert_int_equal(dpf_trie_delete(fx->t, 9), 0);
	assert_int_equal(fx->t->nnodes, 0);
}

/* Every allocation of an insert fails in turn: each time the insert
 * reports DPF_E_NOMEM and the trie is exactly as before. */
static void test_insert_out_of_memory(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;
	uint32_t before[200], after[200];
	size_t bytes, allocs;
	int failures = 0;

	for (uint32_t i = 0; i < 5; i++) {
		conn_filter(&f, 0x0a000001, 0x0b000000 + i, 80, 1024);
		assert_int_equal(dpf_trie_insert(fx->t, &f, i + 1, 1, 0, NULL), 0);
	}
	verdicts(fx->t, before, 200);
	bytes = fx->h.live_bytes;
	conn_filter(&f, 0x0a000001, 0x0b000000 + 5, 80, 1025);
	allocs = fx->h.total_allocs;
	assert_int_equal(dpf_trie_insert(fx->t, &f, 77, 1, 0, NULL), 0);
	allocs = fx->h.total_allocs - allocs;
	assert_int_equal(dpf_trie_delete(fx->t, 77), 0);
	/* Fail each allocation the insert makes, in turn. Some are only
	 * optimisations (chain summaries): then the insert succeeds. */
	for (long k = 1; k <= (long)allocs; k++) {
		struct dpf_error err;
		int rc;

		fx->h.fail_in = k;
		rc = dpf_trie_insert(fx->t, &f, 77, 1, 0, &err);
		fx->h.fail_in = 0;
		if (rc == 0) {
			assert_int_equal(dpf_trie_delete(fx->t, 77), 0);
		} else {
			assert_int_equal(rc, DPF_E_NOMEM);
			assert_non_null(strstr(err.msg, "out of memory"));
			failures++;
		}
		verdicts(fx->t, after, 200);
		assert_memory_equal(before, after, sizeof(before));
		assert_int_equal(fx->h.live_bytes, bytes);
	}
	assert_true(failures >= 3);
}

/* The JIT under memory failure: an error, never a leak. */
static void test_jit_out_of_memory(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;
	int failures = 0;

	for (uint32_t i = 0; i < 40; i++) {
		conn_filter(&f, 0x0a000001, 0x0b000000 + i % 8, 80,
			    (uint16_t)(1024 + i));
		assert_int_equal(dpf_trie_insert(fx->t, &f, i + 1, 1, 0, NULL), 0);
	}
	for (long k = 1;; k++) {
		struct dpf_error err;
		struct dpf_jit *j;
		size_t bytes = fx->h.live_bytes;

		fx->h.fail_in = k;
		j = dpf_jit_compile(fx->t, &err);
		fx->h.fail_in = 0;
		if (j) {
			dpf_jit_free(j);
			break;
		}
		assert_int_equal(err.code, DPF_E_NOMEM);
		assert_int_equal(fx->h.live_bytes, bytes);
		assert_int_equal(fx->h.live_code, 0);
		failures++;
	}
	assert_true(failures >= 3);
}

/* The connection i of test_rekey, and its verdict in both engines. */
static uint32_t conn_verdict(const struct dpf_trie *t, const struct dpf_jit *j,
			     uint32_t i)
{
	uint8_t pkt[80];
	uint32_t len = make_ip4(pkt, 6, 0x0b000000 + i, 0x0a000001,
				(uint16_t)(1024 + i), 80, 5);

	return both(t, j, pkt, len, len);
}

/* Rekey (the kernel's hand-over of a shared filter): the filter answers
 * to its new id in both engines, in a flat hash group too, without an
 * allocation, under its new owner for the overlap rule; the old id is
 * gone and delete under the new id empties the trie. */
static void test_rekey(void **state)
{
	struct fx *fx = *state;
	struct dpf_filter f;
	struct dpf_error err;
	struct dpf_jit *j;

	for (uint32_t i = 0; i < 20; i++) {
		conn_filter(&f, 0x0a000001, 0x0b000000 + i, 80, (uint16_t)(1024 + i));
		assert_int_equal(dpf_trie_insert(fx->t, &f, i + 1, 1, 0, NULL), 0);
	}
	assert_int_equal(dpf_trie_rekey(fx->t, 99, 100, 7), DPF_E_NOENT);
	assert_int_equal(dpf_trie_rekey(fx->t, 5, 6, 7), DPF_E_EXISTS);
	assert_int_equal(dpf_trie_rekey(fx->t, 5, DPF_NO_MATCH, 7), DPF_E_INVAL);
	assert_int_equal(dpf_trie_rekey(NULL, 5, 50, 7), DPF_E_INVAL);
	size_t nodes = fx->t->nnodes, allocs = fx->h.total_allocs;
	fx->h.fail_in = 1;      /* an allocation would fail: none is made */
	assert_int_equal(dpf_trie_rekey(fx->t, 5, 500, 7), 0);
	fx->h.fail_in = 0;
	assert_int_equal(fx->h.total_allocs, allocs);
	assert_int_equal(fx->t->nnodes, nodes);
	assert_int_equal(dpf_trie_count(fx->t), 20);
	j = dpf_jit_compile(fx->t, &err);
	assert_non_null(j);
	for (uint32_t i = 0; i < 20; i++)
		assert_int_equal(conn_verdict(fx->t, j, i), i == 4 ? 500 : i + 1);
	dpf_jit_free(j);
	/* The old owner may no longer add an overlapping filter; the new may. */
	conn_filter(&f, 0x0a000001, 0x0b000004, 80, 1028);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 600, 1, 0, &err), DPF_E_OVERLAP);
	assert_int_equal(err.other_id, 500);
	assert_int_equal(dpf_trie_insert(fx->t, &f, 600, 7, 0, &err), 0);
	assert_int_equal(dpf_trie_delete(fx->t, 600), 0);
	assert_int_equal(dpf_trie_delete(fx->t, 5), DPF_E_NOENT);
	for (uint32_t i = 0; i < 20; i++)
		assert_int_equal(dpf_trie_delete(fx->t, i == 4 ? 500 : i + 1), 0);
	assert_int_equal(fx->t->nnodes, 0);
	assert_int_equal(dpf_trie_count(fx->t), 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_insert_lookup_delete),
		T(test_bad_arguments),
		T(test_prefix_sharing),
		T(test_hash_group_thousands),
		T(test_delete_restores),
		T(test_match_priority),
		T(test_multipath),
		T(test_canonical_order),
		T(test_insert_out_of_memory),
		T(test_jit_out_of_memory),
		T(test_rekey),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
