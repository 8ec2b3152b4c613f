/*
 * Validation of an ELF64 x86-64 executable held in memory, shared by the
 * loader (kernel.elf, higher half) and the kernel (user programs, low half).
 *
 * elf64_check() decodes and checks everything a loader relies on before it
 * touches a byte of the image: the header, the program header table, and
 * every PT_LOAD segment (sizes, file range, address overflow, alignment,
 * ordering and overlap, the caller's virtual window, and an entry point in an
 * executable segment). Afterwards a loader may copy segments without further
 * checks. Failures return a negative ELF64_E* code and a one-line reason such
 * as "kernel.elf: segment 2: file range 0x1000+0x9000 beyond the
 * 0x4000-byte image".
 *
 * Structures and constants: System V ABI, "Object Files" chapter (gABI
 * 4.1, Figures 4-3 and 5-1) and the x86-64 psABI 1.0 section 4.1 (EM_X86_64).
 */
#ifndef LIB_ELF64_H
#define LIB_ELF64_H

#include <stddef.h>
#include <stdint.h>

/* e_ident[] indices and values (gABI 4.1, "ELF Identification"). */
#define ELF64_EI_CLASS    4
#define ELF64_EI_DATA     5
#define ELF64_EI_VERSION  6
#define ELF64_CLASS64     2
#define ELF64_DATA2LSB    1
#define ELF64_EV_CURRENT  1
#define ELF64_ET_EXEC     2
#define ELF64_EM_X86_64   62
#define ELF64_PN_XNUM     0xffff /* real count lives in section 0: unsupported */

/* Program header types and flags (gABI 5, "Program Header"). */
#define ELF64_PT_LOAD 1
#define ELF64_PF_X    0x1
#define ELF64_PF_W    0x2
#define ELF64_PF_R    0x4

struct elf64_ehdr {
	uint8_t  e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");

/* Error codes (negative). elf64_strerror() names them. */
enum elf64_err {
	ELF64_OK = 0,
	ELF64_ETRUNC = -1,     /* image smaller than the ELF header */
	ELF64_EALIGN = -2,     /* image or table not 8-byte aligned */
	ELF64_EMAGIC = -3,
	ELF64_ECLASS = -4,     /* not ELFCLASS64 */
	ELF64_EDATA = -5,      /* not little-endian */
	ELF64_EVERSION = -6,
	ELF64_EMACHINE = -7,   /* not x86-64 */
	ELF64_ETYPE = -8,      /* not ET_EXEC */
	ELF64_EPHDR = -9,      /* program header table size/place/count */
	ELF64_ESEGSIZE = -10,  /* p_filesz > p_memsz */
	ELF64_EFILERANGE = -11,/* segment bytes outside the image */
	ELF64_EOVERFLOW = -12, /* address arithmetic wraps */
	ELF64_ESEGALIGN = -13, /* bad p_align or offset/vaddr not congruent */
	ELF64_EOVERLAP = -14,  /* segments overlap or are not sorted */
	ELF64_EWINDOW = -15,   /* segment outside the caller's window */
	ELF64_ENOLOAD = -16,   /* no PT_LOAD segment */
	ELF64_EENTRY = -17,    /* entry not inside an executable segment */
};

/* A checked image. Filled by elf64_check(); read-only afterwards. */
struct elf64_image {
	const uint8_t *data;
	size_t size;
	const struct elf64_ehdr *ehdr;
	const struct elf64_phdr *phdrs;  /* e_phnum entries, inside data */
	unsigned phnum;
	unsigned nload;                  /* number of PT_LOAD segments */
	uint64_t entry;
	uint64_t vaddr_lo;               /* lowest PT_LOAD p_vaddr */
	uint64_t vaddr_hi;               /* highest p_vaddr + p_memsz (exclusive) */
};

/*
 * Check the image data[0, size) as an x86-64 ET_EXEC whose PT_LOAD segments
 * all lie inside the virtual window [lo, hi); hi == 0 stands for 2^64 (the
 * top of the address space, which cannot be written as a uint64_t). `name`
 * prefixes the reason ("kernel.elf"). On failure the reason is written to
 * why[0, whylen) (why may be NULL) and a negative code is returned.
 */
int elf64_check(struct elf64_image *img, const void *data, size_t size,
		uint64_t lo, uint64_t hi, const char *name,
		char *why, size_t whylen);

/*
 * Iterate the PT_LOAD segments of a checked image in table (= address)
 * order:
 *     unsigned i = 0;
 *     const struct elf64_phdr *ph;
 *     while ((ph = elf64_next_load(&img, &i)) != NULL) ...
 * Returns NULL after the last one. Segment bytes: img.data + ph->p_offset.
 */
const struct elf64_phdr *elf64_next_load(const struct elf64_image *img,
					 unsigned *i);

/* Short name of an error code ("bad ELF magic"). */
const char *elf64_strerror(int err);

#endif /* LIB_ELF64_H */
