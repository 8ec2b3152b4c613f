/*
 * The DPF verifier: the only door through which bytecode enters the kernel.
 *
 * What it guarantees. A program that dpf_verify accepts decodes into a
 * struct dpf_filter on which every later stage (trie insert, overlap check,
 * interpreter, JIT) may rely without checking again:
 *   1. Shape: a header with the right magic, version 1, no flags, zero
 *      reserved fields; 1..DPF_MAX_PATHS paths of 1..DPF_MAX_ATOMS_PER_PATH
 *      atoms, at most DPF_MAX_ATOMS in all; and exactly that many bytes:
 *      truncated input and trailing bytes are both refused.
 *   2. Every atom is one of the three operations with only the fields that
 *      operation uses set, every reserved byte zero, a width the operation
 *      allows, a mask that is non-zero and fits the width, and a value that
 *      fits the mask (rules in dpf.h, table in docs/dpf.md).
 *   3. Arithmetic cannot overflow. Offsets are at most DPF_MAX_OFFSET and
 *      shift scales at most DPF_MAX_SHIFT, and the verifier follows each
 *      path with the largest base it could reach: each SHIFT or ADVANCE
 *      adds at most (mask << shift) + value to its anchor, and that bound
 *      must stay within DPF_MAX_BASE. So base + offset + width < 2^25 and
 *      every engine may compute addresses in 32 bits.
 *
 * What it does not need to guarantee. Memory safety at run time does not
 * rest on the verifier: the base depends on packet bytes, so both engines
 * check every load against caplen, and a load that does not lie wholly in
 * the captured bytes makes its path fail. There are no loops, stores or
 * calls in the filter model, so there is nothing else to prove.
 *
 * How it reports. The first problem found wins; struct dpf_error says which
 * path and atom (counted from 0, atoms within their path) and why, e.g.
 * "path 0, atom 7: offset 70000 beyond the 65535-byte limit". Limits give
 * DPF_E_LIMIT, everything else DPF_E_FORMAT. The input is read with
 * explicit little-endian loads and never beyond [prog, prog + len).
 */
#include "dpf_int.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static void decode_atom(const uint8_t *p, struct dpf_atom *a)
{
	a->op = p[0];
	a->width = p[1];
	a->cmp = p[2];
	a->flags = p[3];
	a->shift = p[4];
	a->reserved[0] = p[5];
	a->reserved[1] = p[6];
	a->reserved[2] = p[7];
	a->offset = get32(p + 8);
	a->mask = get32(p + 12);
	a->value = get32(p + 16);
}

static int check_header(const uint8_t *p, size_t len, struct dpf_error *err)
{
	uint32_t magic, flags, reserved;
	uint16_t version, npaths;

	if (len > DPF_MAX_PROG_LEN)
		return dpf_fail(err, DPF_E_LIMIT, -1, -1,
				"program of %u bytes beyond the %u-byte limit",
				len > 0xffffffffu ? 0xffffffffu : (uint32_t)len,
				(uint32_t)DPF_MAX_PROG_LEN);
	if (len < sizeof(struct dpf_prog_hdr))
		return dpf_fail(err, DPF_E_FORMAT, -1, -1,
				"truncated: %u bytes, the header alone has 16",
				(uint32_t)len);
	magic = get32(p);
	version = get16(p + 4);
	npaths = get16(p + 6);
	flags = get32(p + 8);
	reserved = get32(p + 12);
	if (magic != DPF_MAGIC)
		return dpf_fail(err, DPF_E_FORMAT, -1, -1,
				"bad magic 0x%x (expected 0x%x, \"DPF1\")",
				magic, DPF_MAGIC);
	if (version != DPF_VERSION)
		return dpf_fail(err, DPF_E_FORMAT, -1, -1,
				"unsupported version %u (expected %u)",
				version, DPF_VERSION);
	if (flags)
		return dpf_fail(err, DPF_E_FORMAT, -1, -1,
				"header flags 0x%x: no flags are defined", flags);
	if (reserved)
		return dpf_fail(err, DPF_E_FORMAT, -1, -1,
				"header reserved field 0x%x (must be 0)",
				reserved);
	if (npaths == 0)
		return dpf_fail(err, DPF_E_FORMAT, -1, -1,
				"no paths (a filter needs at least one)");
	if (npaths > DPF_MAX_PATHS)
		return dpf_fail(err, DPF_E_LIMIT, -1, -1,
				"%u paths beyond the limit of %u", npaths,
				DPF_MAX_PATHS);
	return 0;
}

/* Split the program into paths and atoms; atom contents are checked later. */
static int decode(const uint8_t *p, size_t len, struct dpf_filter *out,
		  struct dpf_error *err)
{
	size_t pos = sizeof(struct dpf_prog_hdr);
	uint32_t total = 0;

	out->npaths = get16(p + 6);
	for (int i = 0; i < out->npaths; i++) {
		uint16_t n, reserved;

		if (len - pos < sizeof(struct dpf_path_hdr))
			return dpf_fail(err, DPF_E_FORMAT, i, -1,
					"truncated: path header at byte %u, "
					"program has %u bytes",
					(uint32_t)pos, (uint32_t)len);
		n = get16(p + pos);
		reserved = get16(p + pos + 2);
		pos += sizeof(struct dpf_path_hdr);
		if (n == 0)
			return dpf_fail(err, DPF_E_FORMAT, i, -1,
					"empty path (no atoms)");
		if (reserved)
			return dpf_fail(err, DPF_E_FORMAT, i, -1,
					"path reserved field 0x%x (must be 0)",
					reserved);
		if (n > DPF_MAX_ATOMS_PER_PATH)
			return dpf_fail(err, DPF_E_LIMIT, i, -1,
					"%u atoms beyond the per-path limit of %u",
					n, DPF_MAX_ATOMS_PER_PATH);
		if (total + n > DPF_MAX_ATOMS)
			return dpf_fail(err, DPF_E_LIMIT, i, -1,
					"filter has more than %u atoms",
					DPF_MAX_ATOMS);
		if ((len - pos) / sizeof(struct dpf_atom) < n)
			return dpf_fail(err, DPF_E_FORMAT, i,
					(int)((len - pos) / sizeof(struct dpf_atom)),
					"truncated: atom at byte %u needs 20 bytes, "
					"program has %u",
					(uint32_t)(pos + (len - pos) /
						   sizeof(struct dpf_atom) *
						   sizeof(struct dpf_atom)),
					(uint32_t)len);
		out->natoms[i] = n;
		for (uint32_t k = 0; k < n; k++) {
			decode_atom(p + pos, &out->atoms[total + k]);
			pos += sizeof(struct dpf_atom);
		}
		total += n;
	}
	if (pos != len)
		return dpf_fail(err, DPF_E_FORMAT, -1, -1,
				"%u trailing bytes after the last path",
				(uint32_t)(len - pos));
	return 0;
}

/* Width, mask and offset rules common to CMP and SHIFT. */
static int check_field(const struct dpf_atom *a, int path, int idx,
		       struct dpf_error *err)
{
	uint32_t wmask = dpf_width_mask(a->width);

	if (a->width != DPF_W_LEN && a->width != DPF_W8 &&
	    a->width != DPF_W16 && a->width != DPF_W32)
		return dpf_fail(err, DPF_E_FORMAT, path, idx,
				"bad width %u (must be 0=LEN, 1, 2 or 4)",
				a->width);
	if (a->offset > DPF_MAX_OFFSET)
		return dpf_fail(err, DPF_E_LIMIT, path, idx,
				"offset %u beyond the %u-byte limit",
				a->offset, DPF_MAX_OFFSET);
	if (a->mask == 0)
		return dpf_fail(err, DPF_E_FORMAT, path, idx,
				"mask is 0 (the atom would test nothing)");
	if (a->mask & ~wmask)
		return dpf_fail(err, DPF_E_FORMAT, path, idx,
				"mask 0x%x wider than the %u-bit field",
				a->mask, a->width * 8u);
	return 0;
}

static int check_cmp(const struct dpf_atom *a, int path, int idx,
		     struct dpf_error *err)
{
	int rc = check_field(a, path, idx, err);

	if (rc)
		return rc;
	if (a->cmp < DPF_EQ || a->cmp > DPF_SET)
		return dpf_fail(err, DPF_E_FORMAT, path, idx,
				"bad comparison %u (must be 1..7)", a->cmp);
	if (a->shift)
		return dpf_fail(err, DPF_E_FORMAT, path, idx,
				"shift %u on a CMP atom (must be 0)", a->shift);
	if (a->width == DPF_W_LEN && a->offset)
		return dpf_fail(err, DPF_E_FORMAT, path, idx,
				"LEN atom with offset %u (must be 0)",
				a->offset);
	if (a->width == DPF_W_LEN && (a->flags & DPF_F_REL))
		return dpf_fail(err, DPF_E_FORMAT, path, idx,
				"LEN atom with the REL flag");
	switch (a->cmp) {
	case DPF_EQ:
	case DPF_NE:
		if (a->value & ~a->mask)
			return dpf_fail(err, DPF_E_FORMAT, path, idx,
					"value 0x%x has bits outside mask 0x%x",
					a->value, a->mask);
		break;
	case DPF_SET:
		if (a->value)
			return dpf_fail(err, DPF_E_FORMAT, path, idx,
					"SET with value 0x%x (must be 0)",
					a->value);
		break;
	default:
		if (a->value > a->mask)
			return dpf_fail(err, DPF_E_FORMAT, path, idx,
					"value 0x%x above mask 0x%x (the "
					"largest masked field)",
					a->value, a->mask);
	}
	return 0;
}

/* SHIFT and ADVANCE: field rules, then the bound on the new base. */
static int check_move(const struct dpf_atom *a, int path, int idx,
		      uint64_t *base_max, struct dpf_error *err)
{
	uint64_t anchor = (a->flags & DPF_F_REL) ? *base_max : 0, nb;
	int rc;

	if (a->cmp)
		return dpf_fail(err, DPF_E_FORMAT, path, idx,
				"%s atom with comparison %u (must be 0)",
				a->op == DPF_OP_SHIFT ? "SHIFT" : "ADVANCE",
				a->cmp);
	if (a->op == DPF_OP_SHIFT) {
		if (a->width == DPF_W_LEN)
			return dpf_fail(err, DPF_E_FORMAT, path, idx,
					"SHIFT cannot read LEN (width 0)");
		rc = check_field(a, path, idx, err);
		if (rc)
			return rc;
		if (a->shift > DPF_MAX_SHIFT)
			return dpf_fail(err, DPF_E_LIMIT, path, idx,
					"shift %u beyond the limit of %u",
					a->shift, DPF_MAX_SHIFT);
		nb = anchor + ((uint64_t)a->mask << a->shift) + a->value;
	} else {
		if (a->width || a->shift || a->offset || a->mask)
			return dpf_fail(err, DPF_E_FORMAT, path, idx,
					"ADVANCE uses only flags and value "
					"(width, shift, offset, mask must be 0)");
		nb = anchor + a->value;
	}
	if (nb > DPF_MAX_BASE)
		return dpf_fail(err, DPF_E_LIMIT, path, idx,
				"base could reach %u%s, beyond the %u limit",
				nb > 0xffffffffu ? 0xffffffffu : (uint32_t)nb,
				nb > 0xffffffffu ? "+" : "", DPF_MAX_BASE);
	*base_max = nb;
	return 0;
}

static int check_atom(const struct dpf_atom *a, int path, int idx,
		      uint64_t *base_max, struct dpf_error *err)
{
	if (a->op != DPF_OP_CMP && a->op != DPF_OP_SHIFT &&
	    a->op != DPF_OP_ADVANCE)
		return dpf_fail(err, DPF_E_FORMAT, path, idx,
				"bad opcode %u (must be 1=CMP, 2=SHIFT or "
				"3=ADVANCE)", a->op);
	if (a->reserved[0] || a->reserved[1] || a->reserved[2])
		return dpf_fail(err, DPF_E_FORMAT, path, idx,
				"reserved bytes must be 0");
	if (a->flags & ~DPF_F_REL)
		return dpf_fail(err, DPF_E_FORMAT, path, idx,
				"unknown flags 0x%x", a->flags & ~DPF_F_REL);
	if (a->op == DPF_OP_CMP)
		return check_cmp(a, path, idx, err);
	return check_move(a, path, idx, base_max, err);
}

int dpf_check_filter(const struct dpf_filter *f, struct dpf_error *err)
{
	const struct dpf_atom *a = f->atoms;
	uint32_t total = 0;

	if (f->npaths == 0 || f->npaths > DPF_MAX_PATHS)
		return dpf_fail(err, DPF_E_FORMAT, -1, -1,
				"%u paths (must be 1..%u)", f->npaths,
				DPF_MAX_PATHS);
	for (int p = 0; p < f->npaths; p++) {
		uint64_t base_max = 0;
		int rc;

		if (f->natoms[p] == 0 || f->natoms[p] > DPF_MAX_ATOMS_PER_PATH)
			return dpf_fail(err, DPF_E_FORMAT, p, -1,
					"%u atoms (must be 1..%u)", f->natoms[p],
					DPF_MAX_ATOMS_PER_PATH);
		total += f->natoms[p];
		if (total > DPF_MAX_ATOMS)
			return dpf_fail(err, DPF_E_LIMIT, p, -1,
					"filter has more than %u atoms",
					DPF_MAX_ATOMS);
		for (int i = 0; i < f->natoms[p]; i++, a++) {
			rc = check_atom(a, p, i, &base_max, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int dpf_verify(const void *prog, size_t len, struct dpf_filter *out,
	       struct dpf_error *err)
{
	int rc;

	dpf_ok(err);
	if (!prog || !out)
		return dpf_fail(err, DPF_E_INVAL, -1, -1,
				"no program or no output filter");
	rc = check_header(prog, len, err);
	if (!rc)
		rc = decode(prog, len, out, err);
	if (!rc)
		rc = dpf_check_filter(out, err);
	return rc;
}
