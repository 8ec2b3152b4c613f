/*
 * The boot-information structure: the contract between loader.elf and
 * kernel.elf. The loader fills it from the multiboot2 information and its own
 * allocations, then jumps to the kernel entry with
 *
 *   rdi = virtual address of struct exo_bootinfo (inside the direct map)
 *   interrupts disabled, long mode, loader's page tables in CR3:
 *     - identity map of physical [0, 4 GiB) (loader use only, 2 MiB pages),
 *     - direct map: EXO_DIRECT_MAP + p -> p for p in [0, direct_map_size),
 *     - the kernel's PT_LOAD segments at their ELF virtual addresses,
 *   a loader stack of at least 16 KiB (the kernel switches away at once).
 *
 * Every physical address here is reachable through the direct map. The
 * structure lives in memory of type EXO_MEM_LOADER, so the kernel copies
 * what it needs before reclaiming that memory. See docs/boot.md.
 *
 * Versioning: `magic` identifies the structure, `version` is bumped on any
 * incompatible change, and `size` is sizeof(struct exo_bootinfo) as the
 * loader saw it; the kernel refuses a mismatch with a clear panic message.
 */
#ifndef EXO_BOOTINFO_H
#define EXO_BOOTINFO_H

#include <stdint.h>

#define EXO_BOOTINFO_MAGIC   0x4f464e49544f4f42ULL /* "BOOTINFO" little-endian */
#define EXO_BOOTINFO_VERSION 1

/* Virtual memory layout (see docs/boot.md). */
#define EXO_DIRECT_MAP   0xffff800000000000ULL /* all physical memory */
#define EXO_KERNEL_BASE  0xffffffff80000000ULL /* kernel image (-mcmodel=kernel) */
#define EXO_USER_TOP     0x0000800000000000ULL /* user space is [0, this) */

#define EXO_MAX_MEM_REGIONS 128
#define EXO_MAX_MODULES     16
#define EXO_CMDLINE_MAX     512
#define EXO_MODNAME_MAX     64

/*
 * Memory-map types. The loader's map is sorted by base, has no overlaps, and
 * is page-granular for every type the kernel may free (USABLE, LOADER,
 * MODULE): the loader carves its own image, page tables, stack and this
 * structure out of usable RAM as LOADER, GRUB's modules as MODULE, and the
 * kernel image as KERNEL.
 */
enum exo_mem_type {
	EXO_MEM_USABLE = 1,        /* free RAM */
	EXO_MEM_RESERVED = 2,      /* firmware, MMIO holes, anything unknown */
	EXO_MEM_ACPI_RECLAIM = 3,  /* ACPI tables; free once parsed */
	EXO_MEM_ACPI_NVS = 4,
	EXO_MEM_BAD = 5,
	EXO_MEM_LOADER = 6,        /* loader image, its tables, stack, bootinfo */
	EXO_MEM_MODULE = 7,        /* a GRUB module (see mods[]) */
	EXO_MEM_KERNEL = 8,        /* the kernel's loaded segments */
};

struct exo_mem_region {
	uint64_t base;     /* physical */
	uint64_t length;   /* bytes */
	uint32_t type;     /* enum exo_mem_type */
	uint32_t reserved;
};

struct exo_module {
	uint64_t start;                /* physical, page aligned */
	uint64_t end;                  /* physical, exclusive */
	char name[EXO_MODNAME_MAX];    /* multiboot2 module string, NUL-terminated */
};

struct exo_bootinfo {
	uint64_t magic;              /* EXO_BOOTINFO_MAGIC */
	uint32_t version;            /* EXO_BOOTINFO_VERSION */
	uint32_t size;               /* sizeof(struct exo_bootinfo) */

	uint64_t kernel_phys_start;  /* lowest physical byte of the kernel image */
	uint64_t kernel_phys_end;    /* exclusive */
	uint64_t kernel_virt_start;  /* lowest virtual address of the image */
	uint64_t kernel_entry;       /* ELF e_entry */

	uint64_t loader_phys_start;  /* loader.elf image as loaded by GRUB */
	uint64_t loader_phys_end;

	uint64_t direct_map_base;    /* EXO_DIRECT_MAP */
	uint64_t direct_map_size;    /* bytes of physical memory mapped there */

	uint32_t rsdp_len;           /* bytes valid in rsdp[]; 0 if GRUB gave none */
	uint32_t rsdp_revision;      /* 0: ACPI 1.0 RSDP (20 bytes), 2+: XSDP (36) */
	uint8_t rsdp[40];            /* copy of the RSDP from the multiboot2 tag */

	uint32_t mem_count;
	uint32_t mod_count;
	struct exo_mem_region mem[EXO_MAX_MEM_REGIONS];
	struct exo_module mods[EXO_MAX_MODULES];

	char cmdline[EXO_CMDLINE_MAX]; /* kernel command line, NUL-terminated */
};

_Static_assert(sizeof(struct exo_mem_region) == 24, "exo_mem_region layout");
_Static_assert(sizeof(struct exo_module) == 80, "exo_module layout");

#endif /* EXO_BOOTINFO_H */
