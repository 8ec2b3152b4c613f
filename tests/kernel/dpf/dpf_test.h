/*
 * Helpers shared by the DPF unit tests: building and verifying filters,
 * synthetic packets, the allocation-balance fixture, a small PRNG.
 */
#ifndef DPF_TEST_H
#define DPF_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dpf.h"
#include "dpf_int.h"
#include "dpf_host_env.h"

/* ---- A trie on a counting environment; teardown fails on leaks ---- */
struct fx {
	struct dpf_host_env h;
	struct dpf_trie *t;
};

static inline int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	dpf_host_env_init(&f->h);
	f->t = dpf_trie_create(&f->h.env);
	*state = f;
	return f->t ? 0 : -1;
}

static inline int fx_teardown(void **state)
{
	struct fx *f = *state;
	int leak;

	dpf_trie_destroy(f->t);
	dpf_host_env_trim(&f->h);
	leak = f->h.live_blocks || f->h.live_bytes || f->h.live_code;
	if (leak)
		fprintf(stderr, "leak: %zu blocks, %zu bytes, %zu code\n",
			f->h.live_blocks, f->h.live_bytes, f->h.live_code);
	free(f);
	return leak ? -1 : 0;
}

/* ---- Building filters ---- */
struct fb {
	struct dpf_builder b;
	uint8_t buf[DPF_MAX_PROG_LEN + 64];
};

static inline struct dpf_builder *fb_init(struct fb *fb)
{
	dpf_build_init(&fb->b, fb->buf, sizeof(fb->buf));
	return &fb->b;
}

/* Finish and verify; the test fails if the program is refused. */
static inline void fb_filter(struct fb *fb, struct dpf_filter *out)
{
	struct dpf_error err;
	size_t len = dpf_build_finish(&fb->b);

	assert_true(len > 0);
	if (dpf_verify(fb->buf, len, out, &err) != 0)
		fail_msg("verify: %s", err.msg);
}

/* Ethernet/IPv4 constants of the synthetic packets. */
#define ETH_TYPE 12
#define IP_PROTO 23
#define IP_FRAG 20
#define IP_SRC 26
#define IP_DST 30
#define IP_IHL 14

static inline void add_cmp(struct dpf_builder *b, uint32_t off, uint8_t w,
			   uint32_t mask, uint8_t cmp, uint32_t v)
{
	dpf_build_cmp(b, 0, off, w, mask, cmp, v);
}

/* What a TCP/IP libOS installs per connection: tcp, dst A, src B, dport P,
 * sport Q (IPv4, any header length, first fragment only). */
static inline void build_conn(struct dpf_builder *b, uint32_t a, uint32_t s,
			      uint16_t p, uint16_t q)
{
	dpf_build_path(b);
	add_cmp(b, ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x0800);
	add_cmp(b, IP_PROTO, DPF_W8, 0xff, DPF_EQ, 6);
	add_cmp(b, IP_DST, DPF_W32, 0xffffffff, DPF_EQ, a);
	add_cmp(b, IP_SRC, DPF_W32, 0xffffffff, DPF_EQ, s);
	add_cmp(b, IP_FRAG, DPF_W16, 0x1fff, DPF_EQ, 0);
	dpf_build_shift(b, 0, IP_IHL, DPF_W8, 0xf, 2, 14);
	dpf_build_cmp(b, DPF_F_REL, 2, DPF_W16, 0xffff, DPF_EQ, p);
	dpf_build_cmp(b, DPF_F_REL, 0, DPF_W16, 0xffff, DPF_EQ, q);
}

static inline void conn_filter(struct dpf_filter *f, uint32_t a, uint32_t s,
			       uint16_t p, uint16_t q)
{
	struct fb fb;

	build_conn(fb_init(&fb), a, s, p, q);
	fb_filter(&fb, f);
}

/* ---- Packets ---- */
static inline void put_be(uint8_t *p, int n, uint32_t v)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* Ethernet + IPv4 (ihl words) + TCP/UDP ports; returns the length. */
static inline uint32_t make_ip4(uint8_t *pkt, uint8_t proto, uint32_t src,
				uint32_t dst, uint16_t sport, uint16_t dport,
				int ihl)
{
	uint32_t l4 = 14 + 4 * (uint32_t)ihl;

	memset(pkt, 0, l4 + 20);
	put_be(pkt + ETH_TYPE, 2, 0x0800);
	pkt[IP_IHL] = (uint8_t)(0x40 | ihl);
	pkt[IP_PROTO] = proto;
	put_be(pkt + IP_SRC, 4, src);
	put_be(pkt + IP_DST, 4, dst);
	put_be(pkt + l4, 2, sport);
	put_be(pkt + l4 + 2, 2, dport);
	return l4 + 20;
}

/* ---- PRNG (xorshift64*), deterministic per test ---- */
static inline uint32_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 0x2545f4914f6cdd1dull) >> 32);
}

/* Both engines on one packet: they must agree; returns the verdict. */
static inline uint32_t both(const struct dpf_trie *t, const struct dpf_jit *j,
			    const uint8_t *pkt, uint32_t caplen,
			    uint32_t wirelen)
{
	uint32_t vi = dpf_interp(t, pkt, caplen, wirelen);
	uint32_t vj = dpf_jit_entry(j)(pkt, caplen, wirelen);

	if (vi != vj)
		fail_msg("interp %u, jit %u (caplen %u, wirelen %u)", vi, vj,
			 caplen, wirelen);
	return vi;
}

#endif /* DPF_TEST_H */
