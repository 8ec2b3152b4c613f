/*
 * Multiboot2 information parser (see mb2.h).
 *
 * The walk first proves that a tag's header and its whole payload lie
 * inside the block, then hands the payload to one decoder per tag type,
 * which checks the fields it reads. Nothing is trusted: GRUB is not
 * hostile, but a wrong tag size would otherwise send the loader reading
 * arbitrary memory, and one line saying which tag was wrong is cheaper to
 * debug than a triple fault.
 *
 * Fields are read with memcpy: tags are 8-byte aligned but their payloads
 * (e.g. the 20-byte RSDP copy) need not be.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "fmt.h"
#include "mb2.h"

struct parser {
	const uint8_t *base;
	struct mb2_info *out;
	char *why;
	size_t whylen;
	uint32_t off;   /* offset of the tag being decoded */
	uint32_t type;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (p->why == NULL || p->whylen == 0)
		return -1;
	if (p->off != 0)
		n = fmt_snprintf(p->why, p->whylen, "multiboot2 tag %u at offset 0x%x: ",
				 p->type, p->off);
	else
		n = fmt_snprintf(p->why, p->whylen, "multiboot2 info: ");
	if (n < 0 || (size_t)n >= p->whylen)
		return -1;
	va_start(ap, fmt);
	fmt_vsnprintf(p->why + n, p->whylen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

/* A string field must end with its NUL inside the tag. */
static const char *checked_string(struct parser *p, const uint8_t *s, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++) {
		if (s[i] == '\0')
			return (const char *)s;
	}
	fail(p, "string of %u bytes has no terminating NUL", len);
	return NULL;
}

static int decode_cmdline(struct parser *p, const uint8_t *pl, uint32_t len)
{
	const char *s = checked_string(p, pl, len);

	if (s == NULL)
		return -1;
	p->out->cmdline = s;
	return 0;
}

/* Module: u32 mod_start, u32 mod_end, string (spec 3.6.6). */
static int decode_module(struct parser *p, const uint8_t *pl, uint32_t len)
{
	struct mb2_info *o = p->out;

	if (len < 9)
		return fail(p, "module tag payload of %u bytes is too small", len);
	uint32_t start = rd32(pl), end = rd32(pl + 4);
	const char *name = checked_string(p, pl + 8, len - 8);

	if (name == NULL)
		return -1;
	if (end < start)
		return fail(p, "module '%s' ends (0x%x) before it starts (0x%x)",
			    name, end, start);
	if (o->mod_count == EXO_MAX_MODULES)
		return fail(p, "more than %d modules", EXO_MAX_MODULES);
	o->mods[o->mod_count++] = (struct mb2_module){ start, end, name };
	return 0;
}

/* Memory map: u32 entry_size, u32 entry_version, entries (spec 3.6.8). */
static int decode_mmap(struct parser *p, const uint8_t *pl, uint32_t len)
{
	struct mb2_info *o = p->out;

	if (o->mmap != NULL)
		return fail(p, "second memory map tag");
	if (len < 8)
		return fail(p, "memory map payload of %u bytes is too small", len);
	uint32_t esize = rd32(pl);

	if (esize < 24 || esize % 8 != 0)
		return fail(p, "memory map entry size %u (need a multiple of 8, >= 24)", esize);
	if ((len - 8) % esize != 0)
		return fail(p, "memory map of %u bytes is not a whole number of %u-byte entries",
			    len - 8, esize);
	if ((len - 8) / esize > MB2_MAX_MMAP)
		return fail(p, "memory map has %u entries, more than %d",
			    (len - 8) / esize, MB2_MAX_MMAP);
	o->mmap = pl + 8;
	o->mmap_entry_size = esize;
	o->mmap_count = (len - 8) / esize;
	return 0;
}

static int acpi_sum(const uint8_t *b, uint32_t n)
{
	uint8_t s = 0;

	for (uint32_t i = 0; i < n; i++)
		s += b[i];
	return s;
}

/* ACPI RSDP copies (spec 3.6.10/3.6.11; layout ACPI 6.5 section 5.2.5.3). */
static int decode_rsdp(struct parser *p, const uint8_t *pl, uint32_t len, int is_new)
{
	struct mb2_info *o = p->out;
	uint32_t need = is_new ? ACPI_XSDP_LEN : ACPI_RSDP_V1_LEN;

	if (len < need)
		return fail(p, "RSDP copy of %u bytes, need %u", len, need);
	if (memcmp(pl, "RSD PTR ", 8) != 0)
		return fail(p, "RSDP signature is not \"RSD PTR \"");
	if (acpi_sum(pl, ACPI_RSDP_V1_LEN) != 0)
		return fail(p, "RSDP checksum of the first 20 bytes is not zero");
	if (is_new && acpi_sum(pl, ACPI_XSDP_LEN) != 0)
		return fail(p, "XSDP extended checksum is not zero");
	/* Keep the newer copy when GRUB passes both. */
	if (is_new || o->rsdp_len < ACPI_XSDP_LEN) {
		o->rsdp = pl;
		o->rsdp_len = need;
		o->rsdp_revision = pl[15];
	}
	return 0;
}

static int decode_tag(struct parser *p, const uint8_t *pl, uint32_t len)
{
	switch (p->type) {
	case MB2_TAG_CMDLINE: return decode_cmdline(p, pl, len);
	case MB2_TAG_MODULE: return decode_module(p, pl, len);
	case MB2_TAG_MMAP: return decode_mmap(p, pl, len);
	case MB2_TAG_ACPI_OLD: return decode_rsdp(p, pl, len, 0);
	case MB2_TAG_ACPI_NEW: return decode_rsdp(p, pl, len, 1);
	default: return 0; /* other tags carry nothing the loader needs */
	}
}

int mb2_parse(const void *info, size_t limit, struct mb2_info *out,
	      char *why, size_t whylen)
{
	struct parser p = { info, out, why, whylen, 0, 0 };

	memset(out, 0, sizeof *out);
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if ((uintptr_t)info % 8 != 0)
		return fail(&p, "block at %p is not 8-byte aligned", info);
	if (limit < 16)
		return fail(&p, "only %zu bytes available", limit);

	uint32_t total = rd32(p.base);

	if (total < 16 || total > MB2_MAX_INFO || total > limit)
		return fail(&p, "total size %u outside [16, %zu]", total,
			    limit < MB2_MAX_INFO ? limit : (size_t)MB2_MAX_INFO);
	out->total_size = total;

	for (uint32_t off = 8;;) {
		if (total - off < 8) {
			p.off = 0;
			return fail(&p, "no end tag within the %u-byte block", total);
		}
		p.off = off;
		p.type = rd32(p.base + off);
		uint32_t size = rd32(p.base + off + 4);

		if (size < 8 || size > total - off)
			return fail(&p, "size %u runs outside the %u-byte block", size, total);
		if (p.type == MB2_TAG_END) {
			if (size != 8)
				return fail(&p, "end tag of size %u, not 8", size);
			break;
		}
		if (decode_tag(&p, p.base + off + 8, size - 8) != 0)
			return -1;
		/* Tags start 8-byte aligned (spec 3.6.1); total is a bound, not
		 * necessarily a multiple of 8 before the end tag is found. */
		uint32_t next = (size + 7) & ~7u;

		if (next > total - off) {
			p.off = 0;
			return fail(&p, "no end tag within the %u-byte block", total);
		}
		off += next;
	}
	p.off = 0;
	if (out->mmap == NULL)
		return fail(&p, "no memory map tag (type 6)");
	return 0;
}

void mb2_mmap_entry(const struct mb2_info *mi, uint32_t i, struct exo_mem_region *out)
{
	const uint8_t *e = mi->mmap + (size_t)i * mi->mmap_entry_size;
	uint32_t type = rd32(e + 16);

	out->base = rd64(e);
	out->length = rd64(e + 8);
	out->reserved = 0;
	switch (type) {
	case MB2_MEM_AVAILABLE: out->type = EXO_MEM_USABLE; break;
	case MB2_MEM_ACPI: out->type = EXO_MEM_ACPI_RECLAIM; break;
	case MB2_MEM_NVS: out->type = EXO_MEM_ACPI_NVS; break;
	case MB2_MEM_BAD: out->type = EXO_MEM_BAD; break;
	default: out->type = EXO_MEM_RESERVED; break;
	}
}
