/*
 * Loads, symbolically. An absolute load is a packet field; `ld [x+k]`
 * reads relative to the header offset in X, which first becomes the path's
 * base (a SHIFT atom, b2d_path_base) unless it already is; `ldx
 * 4*([k]&0xf)` makes X that header offset. Every packet read also gets its
 * bounds-check atom (b2d_path_check), since BPF would reject the packet
 * there if the read fell outside it.
 */
#include <string.h>

#include "b2d_int.h"

static void set_const(struct b2d_sym *s, uint32_t k)
{
	memset(s, 0, sizeof(*s));
	s->kind = SYM_CONST;
	s->k = k;
}

static uint8_t dpf_width(unsigned bpf_size)
{
	if (bpf_size == BPF_W)
		return DPF_W32;
	return bpf_size == BPF_H ? DPF_W16 : DPF_W8;
}

/* The value of a register as a header offset, for `ld [x+k]` and sums. */
static int as_desc(const struct b2d_sym *s, struct b2d_desc *d)
{
	if (s->kind == SYM_BASE) {
		*d = s->d;
		return 0;
	}
	if (s->kind != SYM_FIELD || s->rsh || s->f.width == DPF_W_LEN)
		return -1;
	memset(d, 0, sizeof(*d));
	d->f = s->f;
	d->mask = s->mask;
	return 0;
}

/* A packet read of `width` at off (absolute, or relative to anchor). */
static int load_field(struct b2d_ctx *c, struct b2d_state *st,
		      struct b2d_sym *dst, int16_t anchor, uint64_t off,
		      uint8_t width)
{
	const char *why;

	if (off > DPF_MAX_OFFSET)
		return b2d_refuse(c, st->pc,
				  "offset beyond DPF_MAX_OFFSET (65535)");
	memset(dst, 0, sizeof(*dst));
	dst->kind = SYM_FIELD;
	dst->f.anchor = anchor;
	dst->f.width = width;
	dst->f.off = (uint32_t)off;
	dst->mask = b2d_width_mask(width);
	dst->event = st->next_event++;
	if (b2d_path_check(st, &dst->f, dst->event, &why) < 0)
		return b2d_too_big(c, st->pc, why);
	return B2D_GO;
}

int b2d_load(struct b2d_ctx *c, struct b2d_state *st,
		   const struct bpf_insn *in)
{
	struct b2d_sym *dst = BPF_CLASS(in->code) == BPF_LD ? &st->a : &st->x;
	uint8_t w = dpf_width(BPF_SIZE(in->code));
	struct b2d_desc d;
	const char *why;
	int16_t anchor;
	int r;

	switch (BPF_MODE(in->code)) {
	case BPF_IMM:
		set_const(dst, in->k);
		return B2D_GO;
	case BPF_MEM:
		if (in->k >= BPF_MEMWORDS)
			return b2d_refuse(c, st->pc,
					  "scratch index out of range");
		*dst = st->mem[in->k];
		return B2D_GO;
	case BPF_LEN: /* the wire length: a field that is always present */
		memset(dst, 0, sizeof(*dst));
		dst->kind = SYM_FIELD;
		dst->f.anchor = B2D_NO_ANCHOR;
		dst->f.width = DPF_W_LEN;
		dst->mask = 0xffffffffu;
		dst->event = st->next_event++;
		return B2D_GO;
	case BPF_ABS:
		if (dst == &st->x)
			break;
		return load_field(c, st, dst, B2D_NO_ANCHOR, in->k, w);
	case BPF_IND:
		if (dst == &st->x)
			break;
		if (st->x.kind == SYM_CONST)
			return load_field(c, st, dst, B2D_NO_ANCHOR,
					  (uint64_t)st->x.k + in->k, w);
		if (as_desc(&st->x, &d) < 0)
			return b2d_refuse(c, st->pc, "index register holds a "
					  "value that is not a header offset");
		if (b2d_path_base(st, &d, &anchor, &why) < 0)
			return b2d_refuse(c, st->pc, why);
		return load_field(c, st, dst, anchor, in->k, w);
	case BPF_MSH: /* X = 4 * (P[k] & 0xf): the IPv4 header length */
		if (dst != &st->x || BPF_SIZE(in->code) != BPF_B)
			break;
		r = load_field(c, st, dst, B2D_NO_ANCHOR, in->k, DPF_W8);
		if (r != B2D_GO)
			return r;
		d.f = dst->f;
		d.mask = 0xf;
		d.shift = 2;
		d.value = 0;
		memset(dst, 0, sizeof(*dst));
		dst->kind = SYM_BASE;
		dst->d = d;
		return B2D_GO;
	}
	return b2d_refuse(c, st->pc, "invalid load");
}
