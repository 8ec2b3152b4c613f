/*
 * ELF64 executable validation (see elf64.h).
 *
 * Design: the check is a pipeline of small functions, each owning one
 * layer of the format: identification, header fields, program header
 * table, then each PT_LOAD on its own, then properties across segments
 * (ordering, overlap, entry point). Each layer may assume the previous ones
 * passed, so no function reads a byte that an earlier check has not
 * proved to be inside the image. The first failure wins and is reported
 * with the segment number (the program header index) and the numbers that
 * broke the rule.
 *
 * All arithmetic on untrusted 64-bit values is written so that it cannot
 * wrap: "a + b <= limit" becomes "b <= limit && a <= limit - b".
 */
#include <stdint.h>

#include "elf64.h"
#include "fmt.h"

struct checker {
	struct elf64_image *img;
	const char *name;
	char *why;
	size_t whylen;
	uint64_t lo, hi; /* window; hi == 0 means 2^64 */
};

__attribute__((format(printf, 3, 4)))
static int fail(struct checker *c, int err, const char *fmt, ...)
{
	if (c->why != NULL && c->whylen > 0) {
		int n = fmt_snprintf(c->why, c->whylen, "%s: ", c->name);
		va_list ap;

		if (n < 0 || (size_t)n >= c->whylen)
			return err;
		va_start(ap, fmt);
		fmt_vsnprintf(c->why + n, c->whylen - n, fmt, ap);
		va_end(ap);
	}
	return err;
}

static int check_ident(struct checker *c)
{
	const uint8_t *id = c->img->data;

	if (id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
		return fail(c, ELF64_EMAGIC, "bad ELF magic %02x %02x %02x %02x",
			    id[0], id[1], id[2], id[3]);
	if (id[ELF64_EI_CLASS] != ELF64_CLASS64)
		return fail(c, ELF64_ECLASS, "ELF class %u is not ELFCLASS64",
			    id[ELF64_EI_CLASS]);
	if (id[ELF64_EI_DATA] != ELF64_DATA2LSB)
		return fail(c, ELF64_EDATA, "ELF data encoding %u is not little-endian",
			    id[ELF64_EI_DATA]);
	if (id[ELF64_EI_VERSION] != ELF64_EV_CURRENT)
		return fail(c, ELF64_EVERSION, "ELF ident version %u is not 1",
			    id[ELF64_EI_VERSION]);
	return 0;
}

static int check_header(struct checker *c)
{
	const struct elf64_ehdr *eh = c->img->ehdr;

	if (eh->e_version != ELF64_EV_CURRENT)
		return fail(c, ELF64_EVERSION, "e_version %u is not 1", eh->e_version);
	if (eh->e_machine != ELF64_EM_X86_64)
		return fail(c, ELF64_EMACHINE, "machine %u is not x86-64 (62)",
			    eh->e_machine);
	if (eh->e_type != ELF64_ET_EXEC)
		return fail(c, ELF64_ETYPE, "type %u is not ET_EXEC (2)", eh->e_type);
	if (eh->e_ehsize != sizeof(struct elf64_ehdr))
		return fail(c, ELF64_EPHDR, "header size %u is not 64", eh->e_ehsize);
	return 0;
}

static int check_phdr_table(struct checker *c)
{
	struct elf64_image *img = c->img;
	const struct elf64_ehdr *eh = img->ehdr;
	uint64_t off = eh->e_phoff;
	uint64_t bytes = (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr);

	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return fail(c, ELF64_EPHDR, "program header size %u is not 56",
			    eh->e_phentsize);
	if (eh->e_phnum == 0)
		return fail(c, ELF64_ENOLOAD, "no program headers");
	if (eh->e_phnum == ELF64_PN_XNUM)
		return fail(c, ELF64_EPHDR, "extended program header count (PN_XNUM) unsupported");
	if (bytes > img->size || off > img->size - bytes)
		return fail(c, ELF64_EPHDR,
			    "program headers 0x%llx+0x%llx beyond the 0x%zx-byte image",
			    (unsigned long long)off, (unsigned long long)bytes,
			    img->size);
	if (off % 8 != 0)
		return fail(c, ELF64_EALIGN, "program header offset 0x%llx not 8-byte aligned",
			    (unsigned long long)off);
	img->phdrs = (const struct elf64_phdr *)(img->data + off);
	img->phnum = eh->e_phnum;
	return 0;
}

static int is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* One PT_LOAD on its own: sizes, file range, wrap-around, alignment, window. */
static int check_segment(struct checker *c, unsigned i, const struct elf64_phdr *ph)
{
	uint64_t size = c->img->size;

	if (ph->p_filesz > ph->p_memsz)
		return fail(c, ELF64_ESEGSIZE, "segment %u: file size 0x%llx > memory size 0x%llx",
			    i, (unsigned long long)ph->p_filesz,
			    (unsigned long long)ph->p_memsz);
	if (ph->p_filesz > size || ph->p_offset > size - ph->p_filesz)
		return fail(c, ELF64_EFILERANGE,
			    "segment %u: file range 0x%llx+0x%llx beyond the 0x%llx-byte image",
			    i, (unsigned long long)ph->p_offset,
			    (unsigned long long)ph->p_filesz, (unsigned long long)size);
	if (ph->p_memsz != 0 && ph->p_memsz - 1 > UINT64_MAX - ph->p_vaddr)
		return fail(c, ELF64_EOVERFLOW,
			    "segment %u: address 0x%llx+0x%llx wraps around",
			    i, (unsigned long long)ph->p_vaddr,
			    (unsigned long long)ph->p_memsz);
	if (ph->p_align > 1) {
		if (!is_pow2(ph->p_align))
			return fail(c, ELF64_ESEGALIGN,
				    "segment %u: alignment 0x%llx is not a power of two",
				    i, (unsigned long long)ph->p_align);
		if ((ph->p_vaddr - ph->p_offset) & (ph->p_align - 1))
			return fail(c, ELF64_ESEGALIGN,
				    "segment %u: vaddr 0x%llx and offset 0x%llx differ modulo alignment 0x%llx",
				    i, (unsigned long long)ph->p_vaddr,
				    (unsigned long long)ph->p_offset,
				    (unsigned long long)ph->p_align);
	}

	uint64_t last = ph->p_vaddr + (ph->p_memsz ? ph->p_memsz - 1 : 0);

	if (ph->p_vaddr < c->lo || (c->hi != 0 && last >= c->hi)) {
		char top[24];

		if (c->hi == 0)
			fmt_snprintf(top, sizeof top, "2^64");
		else
			fmt_snprintf(top, sizeof top, "0x%llx", (unsigned long long)c->hi);
		return fail(c, ELF64_EWINDOW,
			    "segment %u: 0x%llx+0x%llx outside the allowed window [0x%llx, %s)",
			    i, (unsigned long long)ph->p_vaddr,
			    (unsigned long long)ph->p_memsz, (unsigned long long)c->lo, top);
	}
	return 0;
}

/* Across segments: ascending, disjoint (gABI: PT_LOAD sorted by p_vaddr). */
static int check_segments(struct checker *c)
{
	struct elf64_image *img = c->img;
	int have_prev = 0;
	uint64_t prev_end = 0; /* exclusive; 0 after a segment ending at 2^64 */
	unsigned prev = 0;

	img->nload = 0;
	for (unsigned i = 0; i < img->phnum; i++) {
		const struct elf64_phdr *ph = &img->phdrs[i];
		int err;

		if (ph->p_type != ELF64_PT_LOAD)
			continue;
		err = check_segment(c, i, ph);
		if (err != 0)
			return err;
		if (have_prev && (prev_end == 0 || ph->p_vaddr < prev_end))
			return fail(c, ELF64_EOVERLAP,
				    "segment %u at 0x%llx overlaps or precedes segment %u (ends 0x%llx)",
				    i, (unsigned long long)ph->p_vaddr, prev,
				    (unsigned long long)prev_end);
		if (img->nload == 0)
			img->vaddr_lo = ph->p_vaddr;
		img->nload++;
		prev_end = ph->p_vaddr + ph->p_memsz;
		img->vaddr_hi = prev_end;
		prev = i;
		have_prev = 1;
	}
	if (img->nload == 0)
		return fail(c, ELF64_ENOLOAD, "no PT_LOAD segment");
	return 0;
}

static int check_entry(struct checker *c)
{
	struct elf64_image *img = c->img;
	uint64_t e = img->ehdr->e_entry;

	for (unsigned i = 0; i < img->phnum; i++) {
		const struct elf64_phdr *ph = &img->phdrs[i];

		if (ph->p_type == ELF64_PT_LOAD && (ph->p_flags & ELF64_PF_X) &&
		    e >= ph->p_vaddr && e - ph->p_vaddr < ph->p_memsz)
			return 0;
	}
	return fail(c, ELF64_EENTRY, "entry point 0x%llx not inside an executable segment",
		    (unsigned long long)e);
}

int elf64_check(struct elf64_image *img, const void *data, size_t size,
		uint64_t lo, uint64_t hi, const char *name,
		char *why, size_t whylen)
{
	struct checker c = { img, name ? name : "ELF image", why, whylen, lo, hi };
	int err;

	*img = (struct elf64_image){ .data = data, .size = size };
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (data == NULL || size < sizeof(struct elf64_ehdr))
		return fail(&c, ELF64_ETRUNC, "%zu bytes is too small for an ELF header",
			    data ? size : 0);
	if ((uintptr_t)data % 8 != 0)
		return fail(&c, ELF64_EALIGN, "image at %p is not 8-byte aligned", data);
	img->ehdr = data;
	if ((err = check_ident(&c)) != 0 || (err = check_header(&c)) != 0 ||
	    (err = check_phdr_table(&c)) != 0 || (err = check_segments(&c)) != 0 ||
	    (err = check_entry(&c)) != 0)
		return err;
	img->entry = img->ehdr->e_entry;
	return 0;
}

const struct elf64_phdr *elf64_next_load(const struct elf64_image *img, unsigned *i)
{
	while (*i < img->phnum) {
		const struct elf64_phdr *ph = &img->phdrs[(*i)++];

		if (ph->p_type == ELF64_PT_LOAD)
			return ph;
	}
	return NULL;
}

const char *elf64_strerror(int err)
{
	switch (err) {
	case ELF64_OK: return "ok";
	case ELF64_ETRUNC: return "truncated ELF header";
	case ELF64_EALIGN: return "misaligned image";
	case ELF64_EMAGIC: return "bad ELF magic";
	case ELF64_ECLASS: return "not a 64-bit ELF";
	case ELF64_EDATA: return "not little-endian";
	case ELF64_EVERSION: return "bad ELF version";
	case ELF64_EMACHINE: return "not an x86-64 ELF";
	case ELF64_ETYPE: return "not an executable";
	case ELF64_EPHDR: return "bad program header table";
	case ELF64_ESEGSIZE: return "segment file size exceeds memory size";
	case ELF64_EFILERANGE: return "segment outside the file";
	case ELF64_EOVERFLOW: return "segment address wraps";
	case ELF64_ESEGALIGN: return "bad segment alignment";
	case ELF64_EOVERLAP: return "overlapping or unsorted segments";
	case ELF64_EWINDOW: return "segment outside the allowed address range";
	case ELF64_ENOLOAD: return "no loadable segment";
	case ELF64_EENTRY: return "bad entry point";
	default: return "unknown ELF error";
	}
}
