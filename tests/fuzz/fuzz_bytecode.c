/*
 * libFuzzer target: random bytecode and a random packet.
 *
 * Input, first byte odd ("raw"): u16 n (little-endian), n bytes of
 * bytecode, then the packet. Seeds in this shape come from
 * tests/fuzz/make-seeds.py: hand-made programs joined with packets from
 * pcaps/. First byte even ("structured"): a count k, then k groups of 8
 * bytes, each turned into one atom by the builder with its fields folded
 * into plausible ranges (so that most inputs verify and reach the trie and
 * the JIT), then the packet.
 *
 * Checks, any failure aborts:
 *   - dpf_verify never crashes, reads only its input (ASan), and a refusal
 *     always says why;
 *   - an accepted filter gives the same verdict under the interpreter and
 *     the JIT on the packet, at every capture length and a few wire
 *     lengths — alone, and inserted among a few fixed filters (with and
 *     without the overlap capability), and again after it is deleted;
 *   - the trie gives back every allocation when it is destroyed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpf.h"
#include "dpf_host_env.h"

static void die(const char *what, uint32_t a, uint32_t b)
{
	fprintf(stderr, "fuzz_bytecode: %s (%u vs %u)\n", what, a, b);
	abort();
}

static struct dpf_jit *compile(const struct dpf_trie *t)
{
	struct dpf_error err;
	struct dpf_jit *j = dpf_jit_compile(t, &err);

	if (!j) {
		fprintf(stderr, "fuzz_bytecode: jit: %s\n", err.msg);
		abort();
	}
	return j;
}

static void agree(const struct dpf_trie *t, const uint8_t *pkt, uint32_t len)
{
	struct dpf_jit *j = compile(t);
	dpf_jit_fn fn = dpf_jit_entry(j);
	static const uint32_t extra[] = { 0, 1, 1000, 0xffffffffu };

	for (uint32_t cap = 0; cap <= len; cap++) {
		for (int w = 0; w < 4; w++) {
			uint32_t wire = cap + extra[w] < cap ? cap
							     : cap + extra[w];
			uint32_t vi = dpf_interp(t, pkt, cap, wire);
			uint32_t vj = fn(pkt, cap, wire);

			if (vi != vj)
				die("interpreter and JIT disagree", vi, vj);
		}
	}
	dpf_jit_free(j);
}

/* A few fixed filters for the fuzzed one to merge with. */
static void fixed_filters(struct dpf_trie *t)
{
	static const uint16_t ports[] = { 53, 80, 443, 8080, 9 };
	uint8_t buf[512];
	struct dpf_builder b;
	struct dpf_filter f;

	for (uint32_t i = 0; i < 5; i++) {
		dpf_build_init(&b, buf, sizeof(buf));
		dpf_build_cmp(&b, 0, 12, DPF_W16, 0xffff, DPF_EQ, 0x0800);
		dpf_build_cmp(&b, 0, 23, DPF_W8, 0xff, DPF_EQ, i < 3 ? 6 : 17);
		dpf_build_shift(&b, 0, 14, DPF_W8, 0xf, 2, 14);
		dpf_build_cmp(&b, DPF_F_REL, 2, DPF_W16, 0xffff, DPF_EQ,
			      ports[i]);
		if (i == 4) {
			dpf_build_path(&b);
			dpf_build_cmp(&b, 0, 12, DPF_W16, 0xffff, DPF_EQ,
				      0x0806);
		}
		if (dpf_verify(buf, dpf_build_finish(&b), &f, NULL) ||
		    dpf_trie_insert(t, &f, 100 + i, 1, 0, NULL))
			abort();
	}
}

/* Structured mode: 8 bytes -> one atom, plausible but not always valid. */
static size_t build_structured(const uint8_t *in, size_t k, uint8_t *buf,
			       size_t cap)
{
	static const uint8_t widths[] = { DPF_W_LEN, DPF_W8, DPF_W16, DPF_W32 };
	struct dpf_builder b;

	dpf_build_init(&b, buf, cap);
	for (size_t i = 0; i < k; i++, in += 8) {
		uint8_t w = widths[in[1] % 4];
		uint32_t wm = w == DPF_W8 ? 0xff : w == DPF_W16 ? 0xffff
							 : 0xffffffffu;
		uint32_t mask = in[6] & 1 ? wm : (wm & (in[6] * 0x01010101u));
		uint32_t value = (uint32_t)in[7] * (in[5] & 0x40 ? 0x01000001u
								  : 1u);

		if (i == 0 || in[0] & 0x80)
			dpf_build_path(&b);
		switch (in[0] % 3) {
		case 0:
			dpf_build_cmp(&b, in[3] & 1, w ? in[5] % 64u : 0, w,
				      mask ? mask : wm, (uint8_t)(1 + in[2] % 7),
				      in[2] % 7 == 6 ? 0 : value & mask);
			break;
		case 1:
			dpf_build_shift(&b, in[3] & 1, in[5] % 64u,
					w ? w : DPF_W8, in[6] % 2 ? 0xf : 0x3f,
					(uint8_t)(in[4] % 4), in[7] % 32u);
			break;
		default:
			dpf_build_advance(&b, in[3] & 1, in[7] % 48u);
		}
	}
	return dpf_build_finish(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t built[DPF_MAX_PROG_LEN];
	static struct dpf_filter f;
	struct dpf_host_env h;
	struct dpf_error err;
	struct dpf_trie *t;
	const uint8_t *pkt;
	size_t n, plen;
	int rc;

	const uint8_t *prog;

	if (size < 3)
		return 0;
	if (data[0] & 1) {
		n = (size_t)data[1] | (size_t)data[2] << 8;
		if (n > size - 3)
			n = size - 3;
		prog = data + 3;
		pkt = prog + n;
		plen = size - 3 - n;
	} else {
		size_t k = data[1] % 24;

		if (k * 8 > size - 2)
			k = (size - 2) / 8;
		prog = built;
		n = build_structured(data + 2, k, built, sizeof(built));
		pkt = data + 2 + k * 8;
		plen = size - 2 - k * 8;
	}
	if (plen > 256)
		plen = 256;

	rc = dpf_verify(prog, n, &f, &err);
	if (rc) {
		if (rc != err.code || !err.msg[0])
			die("refusal without a reason", (uint32_t)rc,
			    (uint32_t)err.code);
		return 0;
	}

	dpf_host_env_init(&h);
	t = dpf_trie_create(&h.env);
	if (!t || dpf_trie_insert(t, &f, 1, 2, 0, &err))
		abort();
	agree(t, pkt, (uint32_t)plen);

	/* Among the fixed filters: first under the overlap rule (either
	 * outcome is fine, the trie must stay consistent), then with the
	 * capability, which always succeeds. */
	dpf_trie_delete(t, 1);
	fixed_filters(t);
	rc = dpf_trie_insert(t, &f, 1, 2, 0, &err);
	if (rc && rc != DPF_E_OVERLAP)
		die("unexpected insert error", (uint32_t)rc, 0);
	if (rc == DPF_E_OVERLAP && (err.other_id < 100 || err.other_id > 104))
		die("overlap with an unknown filter", err.other_id, 0);
	agree(t, pkt, (uint32_t)plen);
	if (rc == 0)
		dpf_trie_delete(t, 1);
	if (dpf_trie_insert(t, &f, 1, 2, DPF_INS_OVERLAP_OK, NULL))
		abort();
	agree(t, pkt, (uint32_t)plen);
	if (dpf_trie_delete(t, 1))
		abort();
	agree(t, pkt, (uint32_t)plen);

	dpf_trie_destroy(t);
	dpf_host_env_trim(&h);
	if (h.live_blocks || h.live_bytes || h.live_code)
		die("leak", (uint32_t)h.live_blocks, (uint32_t)h.live_bytes);
	return 0;
}
