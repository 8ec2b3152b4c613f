/*
 * The bytecode builder: how a libOS, a translator or a test writes a
 * version 1 program (layout in dpf.h and docs/dpf.md) without caring about
 * byte order or header bookkeeping.
 *
 * Errors are sticky, as with stdio streams: a call that would overflow the
 * buffer or exceed DPF_MAX_PATHS / DPF_MAX_ATOMS_PER_PATH / DPF_MAX_ATOMS
 * marks the builder failed and later calls do nothing, so a caller checks
 * once, at dpf_build_finish. The builder does not judge atom contents (a
 * bad mask, an empty path): that is the verifier's job, and tests rely on
 * being able to build such programs.
 */
#include "dpf_int.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Room for n more bytes, or mark the builder failed. */
static uint8_t *reserve(struct dpf_builder *b, size_t n)
{
	uint8_t *p;

	if (b->failed || b->cap - b->len < n) {
		b->failed = 1;
		return NULL;
	}
	p = b->buf + b->len;
	b->len += n;
	return p;
}

void dpf_build_init(struct dpf_builder *b, void *buf, size_t cap)
{
	uint8_t *h;

	b->buf = buf;
	b->cap = buf ? cap : 0;
	b->len = 0;
	b->path_hdr = 0;
	b->npaths = 0;
	b->failed = 0;
	h = reserve(b, sizeof(struct dpf_prog_hdr));
	if (!h)
		return;
	put32(h, DPF_MAGIC);
	put16(h + 4, DPF_VERSION);
	put16(h + 6, 0);           /* npaths, patched by dpf_build_finish */
	put32(h + 8, 0);           /* flags */
	put32(h + 12, 0);          /* reserved */
}

void dpf_build_path(struct dpf_builder *b)
{
	uint8_t *p;

	if (b->npaths >= DPF_MAX_PATHS) {
		b->failed = 1;
		return;
	}
	p = reserve(b, sizeof(struct dpf_path_hdr));
	if (!p)
		return;
	b->path_hdr = (size_t)(p - b->buf);
	b->npaths++;
	put16(p, 0);
	put16(p + 2, 0);
}

static void atom(struct dpf_builder *b, uint8_t op, uint8_t width,
		 uint8_t cmp, uint8_t flags, uint8_t shift, uint32_t offset,
		 uint32_t mask, uint32_t value)
{
	size_t total = (b->len - sizeof(struct dpf_prog_hdr) -
			(size_t)b->npaths * sizeof(struct dpf_path_hdr)) /
		       sizeof(struct dpf_atom);
	uint16_t n;
	uint8_t *p;

	if (!b->failed && b->npaths == 0)
		dpf_build_path(b);
	if (b->failed)
		return;
	n = get16(b->buf + b->path_hdr);
	if (n >= DPF_MAX_ATOMS_PER_PATH || total >= DPF_MAX_ATOMS) {
		b->failed = 1;
		return;
	}
	p = reserve(b, sizeof(struct dpf_atom));
	if (!p)
		return;
	p[0] = op;
	p[1] = width;
	p[2] = cmp;
	p[3] = flags;
	p[4] = shift;
	p[5] = p[6] = p[7] = 0;
	put32(p + 8, offset);
	put32(p + 12, mask);
	put32(p + 16, value);
	put16(b->buf + b->path_hdr, (uint16_t)(n + 1));
}

void dpf_build_cmp(struct dpf_builder *b, uint8_t flags, uint32_t offset,
		   uint8_t width, uint32_t mask, uint8_t cmp, uint32_t value)
{
	atom(b, DPF_OP_CMP, width, cmp, flags, 0, offset, mask, value);
}

void dpf_build_shift(struct dpf_builder *b, uint8_t flags, uint32_t offset,
		     uint8_t width, uint32_t mask, uint8_t shift, uint32_t value)
{
	atom(b, DPF_OP_SHIFT, width, 0, flags, shift, offset, mask, value);
}

void dpf_build_advance(struct dpf_builder *b, uint8_t flags, uint32_t value)
{
	atom(b, DPF_OP_ADVANCE, 0, 0, flags, 0, 0, 0, value);
}

size_t dpf_build_finish(struct dpf_builder *b)
{
	if (b->failed)
		return 0;
	put16(b->buf + 6, (uint16_t)b->npaths);
	return b->len;
}
