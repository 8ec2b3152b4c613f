/*
 * Random filters for the agreement and overlap-soundness tests: a few
 * random "template" paths per round, each filter a template with some
 * atoms re-rolled, so that filters share prefixes (groups of every kind
 * form) and often match the round's reference packets.
 */
#ifndef DPF_GEN_H
#define DPF_GEN_H

#include "dpf_test.h"

/* ---- Random filters ---- */

static const uint8_t alphabet[] = { 0, 1, 2, 4, 5, 6, 8, 0x11, 0x45, 0x80,
				    0xff, 0x0f, 0x40, 0x3c };

static void random_packet(uint64_t *s, uint8_t *pkt, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		pkt[i] = (rnd(s) & 3) ? alphabet[rnd(s) % sizeof(alphabet)]
				      : (uint8_t)rnd(s);
}

static uint32_t field_of(const uint8_t *ref, uint32_t off, int w)
{
	uint32_t v = 0;

	for (int i = 0; i < w; i++)
		v = v << 8 | ref[off + i];
	return v;
}

/* One random atom; values often taken from ref so that filters match. */
static struct dpf_atom random_atom(uint64_t *s, const uint8_t *ref)
{
	static const uint8_t widths[] = { DPF_W8, DPF_W16, DPF_W32 };
	struct dpf_atom a;
	uint32_t r = rnd(s) % 100, wmask;

	memset(&a, 0, sizeof(a));
	a.flags = (rnd(s) % 3 == 0) ? DPF_F_REL : 0;
	if (r < 12) {
		a.op = DPF_OP_SHIFT;
		a.width = widths[rnd(s) % 2];
		a.offset = rnd(s) % 24;
		a.mask = (rnd(s) & 1) ? 0xf : 0x3f;
		a.shift = (uint8_t)(rnd(s) % 4);
		a.value = rnd(s) % 20;
		return a;
	}
	if (r < 17) {
		a.op = DPF_OP_ADVANCE;
		a.value = rnd(s) % 24;
		return a;
	}
	a.op = DPF_OP_CMP;
	a.cmp = (uint8_t)(rnd(s) % 3 ? DPF_EQ : 1 + rnd(s) % 7);
	if (r < 25) {
		a.width = DPF_W_LEN;
		a.flags = 0;
		a.mask = (rnd(s) & 1) ? 0xffffffff : 0x7f;
		a.value = rnd(s) % 90 & a.mask;
	} else {
		a.width = widths[rnd(s) % 3];
		a.offset = rnd(s) % 36;
		wmask = dpf_width_mask(a.width);
		a.mask = (rnd(s) % 3) ? wmask : (rnd(s) & wmask);
		if (!a.mask)
			a.mask = wmask;
		a.value = (rnd(s) % 4) ? field_of(ref, a.offset, a.width)
				       : rnd(s);
		a.value &= a.mask;
	}
	if (a.cmp == DPF_SET)
		a.value = 0;
	return a;
}

struct gen {
	struct dpf_atom tmpl[4][12];
	int tlen[4];
	uint8_t ref[4][64];
};

static void gen_init(struct gen *g, uint64_t *s)
{
	for (int t = 0; t < 4; t++) {
		random_packet(s, g->ref[t], 64);
		g->tlen[t] = 1 + rnd(s) % 10;
		for (int i = 0; i < g->tlen[t]; i++)
			g->tmpl[t][i] = random_atom(s, g->ref[t]);
	}
}

/* A filter of 1-3 paths, each a template with some atoms re-rolled. */
static void gen_filter(struct gen *g, uint64_t *s, struct dpf_filter *f)
{
	struct fb fb;
	struct dpf_builder *b = fb_init(&fb);
	int npaths = 1 + (rnd(s) % 4 == 0) + (rnd(s) % 8 == 0);

	for (int p = 0; p < npaths; p++) {
		int t = rnd(s) % 4, n = g->tlen[t];

		if (rnd(s) % 4 == 0)
			n = 1 + rnd(s) % n;
		dpf_build_path(b);
		for (int i = 0; i < n; i++) {
			struct dpf_atom a = g->tmpl[t][i];

			if (rnd(s) % 6 == 0) {
				a = random_atom(s, g->ref[t]);
			} else if (dpf_atom_is_eq(&a) && rnd(s) % 3 == 0) {
				a.value = rnd(s) % 8 & a.mask;
			}
			if (a.op == DPF_OP_CMP)
				dpf_build_cmp(b, a.flags, a.offset, a.width,
					      a.mask, a.cmp, a.value);
			else if (a.op == DPF_OP_SHIFT)
				dpf_build_shift(b, a.flags, a.offset, a.width,
						a.mask, a.shift, a.value);
			else
				dpf_build_advance(b, a.flags, a.value);
		}
	}
	fb_filter(&fb, f);
}

#endif /* DPF_GEN_H */
