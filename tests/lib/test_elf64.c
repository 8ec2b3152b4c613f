/*
 * lib/elf64: one crafted image that is accepted, then one mutation per
 * rejection path, each checked for its error code and for the words of its
 * reason (table-driven, in the manner of uBPF's tests/errors).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "elf64.h"

#define IMG_SIZE 0x4000
#define KBASE    0xffffffff80000000ULL
#define PT_NOTE  4

/* The image: header, three program headers (text, note, data), bytes. */
static union {
	uint8_t b[IMG_SIZE];
	uint64_t align;
} img;

static struct elf64_ehdr *eh(void) { return (struct elf64_ehdr *)img.b; }
static struct elf64_phdr *ph(int i) { return (struct elf64_phdr *)(img.b + 64) + i; }

static void build_valid(void)
{
	memset(&img, 0, sizeof img);
	memcpy(eh()->e_ident, "\x7f" "ELF", 4);
	eh()->e_ident[ELF64_EI_CLASS] = ELF64_CLASS64;
	eh()->e_ident[ELF64_EI_DATA] = ELF64_DATA2LSB;
	eh()->e_ident[ELF64_EI_VERSION] = ELF64_EV_CURRENT;
	eh()->e_type = ELF64_ET_EXEC;
	eh()->e_machine = ELF64_EM_X86_64;
	eh()->e_version = ELF64_EV_CURRENT;
	eh()->e_entry = KBASE + 0x10;
	eh()->e_phoff = 64;
	eh()->e_ehsize = 64;
	eh()->e_phentsize = 56;
	eh()->e_phnum = 3;
	*ph(0) = (struct elf64_phdr){ ELF64_PT_LOAD, ELF64_PF_R | ELF64_PF_X, 0x1000,
				      KBASE, KBASE, 0x1000, 0x1000, 0x1000 };
	*ph(1) = (struct elf64_phdr){ PT_NOTE, ELF64_PF_R, 0x300, 0, 0, 0x20, 0x20, 4 };
	*ph(2) = (struct elf64_phdr){ ELF64_PT_LOAD, ELF64_PF_R | ELF64_PF_W, 0x2000,
				      KBASE + 0x2000, KBASE + 0x2000, 0x800, 0x3000, 0x1000 };
	img.b[0x1000] = 0xc3;
}

static int check(struct elf64_image *out, char *why, size_t whylen)
{
	return elf64_check(out, img.b, IMG_SIZE, KBASE, 0, "kernel.elf", why, whylen);
}

static void test_accepts_valid(void **state)
{
	(void)state;
	struct elf64_image im;
	char why[128] = "junk";

	build_valid();
	assert_int_equal(check(&im, why, sizeof why), 0);
	assert_string_equal(why, "");
	assert_int_equal(im.nload, 2);
	assert_int_equal(im.phnum, 3);
	assert_true(im.entry == KBASE + 0x10);
	assert_true(im.vaddr_lo == KBASE);
	assert_true(im.vaddr_hi == KBASE + 0x5000);

	unsigned i = 0;
	const struct elf64_phdr *p = elf64_next_load(&im, &i);
	assert_ptr_equal(p, ph(0));
	assert_int_equal(im.data[p->p_offset], 0xc3);
	p = elf64_next_load(&im, &i);
	assert_ptr_equal(p, ph(2));
	assert_null(elf64_next_load(&im, &i));
	assert_null(elf64_next_load(&im, &i));

	/* No reason buffer at all is fine, and so is a user-style window. */
	assert_int_equal(check(&im, NULL, 0), 0);
	assert_int_equal(elf64_check(&im, img.b, IMG_SIZE, KBASE, KBASE + 0x5000,
				     "u", NULL, 0), 0);
}

static void test_accepts_edges(void **state)
{
	(void)state;
	struct elf64_image im;

	/* A segment ending exactly at 2^64, and no alignment constraint. */
	build_valid();
	ph(2)->p_vaddr = 0xfffffffffffff000ULL;
	ph(2)->p_memsz = 0x1000;
	ph(2)->p_align = 0;
	assert_int_equal(check(&im, NULL, 0), 0);
	assert_true(im.vaddr_hi == 0);

	/* Adjacent segments (end of one == start of the next). */
	build_valid();
	ph(2)->p_vaddr = KBASE + 0x1000;
	ph(2)->p_offset = 0x1000;
	assert_int_equal(check(&im, NULL, 0), 0);
}

static void test_truncated_and_misaligned(void **state)
{
	(void)state;
	struct elf64_image im;
	char why[128];

	build_valid();
	assert_int_equal(elf64_check(&im, img.b, 63, KBASE, 0, "k", why, sizeof why),
			 ELF64_ETRUNC);
	assert_string_equal(why, "k: 63 bytes is too small for an ELF header");
	assert_int_equal(elf64_check(&im, NULL, 100, KBASE, 0, "k", why, sizeof why),
			 ELF64_ETRUNC);
	assert_int_equal(elf64_check(&im, img.b + 1, 200, KBASE, 0, "k", why, sizeof why),
			 ELF64_EALIGN);
	assert_non_null(strstr(why, "not 8-byte aligned"));
}

struct reject {
	const char *what;
	void (*mutate)(void);
	int err;
	const char *reason; /* expected full reason, or a substring if starting with '~' */
};

static void m_magic(void) { img.b[1] = 'X'; }
static void m_class(void) { img.b[ELF64_EI_CLASS] = 1; }
static void m_data(void) { img.b[ELF64_EI_DATA] = 2; }
static void m_identver(void) { img.b[ELF64_EI_VERSION] = 0; }
static void m_version(void) { eh()->e_version = 2; }
static void m_machine(void) { eh()->e_machine = 3; }
static void m_type(void) { eh()->e_type = 3; }
static void m_ehsize(void) { eh()->e_ehsize = 52; }
static void m_phentsize(void) { eh()->e_phentsize = 32; }
static void m_phnum0(void) { eh()->e_phnum = 0; }
static void m_xnum(void) { eh()->e_phnum = ELF64_PN_XNUM; }
static void m_phoff(void) { eh()->e_phoff = IMG_SIZE - 100; }
static void m_phoff_huge(void) { eh()->e_phoff = UINT64_MAX - 8; }
static void m_phoff_odd(void) { eh()->e_phoff = 68; }
static void m_filesz(void) { ph(2)->p_filesz = 0x3001; }
static void m_filerange(void) { ph(2)->p_filesz = 0x9000; ph(2)->p_memsz = 0x9000; }
static void m_offset_wrap(void) { ph(2)->p_offset = UINT64_MAX - 0x10; }
static void m_vaddr_wrap(void) { ph(2)->p_vaddr = 0xfffffffffffff000ULL; ph(2)->p_memsz = 0x2000; ph(2)->p_align = 0; }
static void m_align_pow2(void) { ph(0)->p_align = 0x3000; }
static void m_congruent(void) { ph(2)->p_vaddr += 0x10; }
static void m_overlap(void) { ph(2)->p_vaddr = KBASE + 0x800; ph(2)->p_align = 0x800; ph(2)->p_offset = 0x2000; }
static void m_unsorted(void) { struct elf64_phdr t = *ph(0); *ph(0) = *ph(2); *ph(2) = t; }
static void m_below(void) { ph(0)->p_vaddr = KBASE - 0x1000; eh()->e_entry = KBASE - 0xff0; }
static void m_noload(void) { ph(0)->p_type = PT_NOTE; ph(2)->p_type = PT_NOTE; }
static void m_entry_out(void) { eh()->e_entry = KBASE + 0x1000; }
static void m_entry_nx(void) { eh()->e_entry = KBASE + 0x2000; }

static const struct reject rejects[] = {
	{ "magic", m_magic, ELF64_EMAGIC, "kernel.elf: bad ELF magic 7f 58 4c 46" },
	{ "class", m_class, ELF64_ECLASS, "kernel.elf: ELF class 1 is not ELFCLASS64" },
	{ "data", m_data, ELF64_EDATA, "~not little-endian" },
	{ "ident version", m_identver, ELF64_EVERSION, "~ident version 0" },
	{ "e_version", m_version, ELF64_EVERSION, "~e_version 2" },
	{ "machine", m_machine, ELF64_EMACHINE, "kernel.elf: machine 3 is not x86-64 (62)" },
	{ "type", m_type, ELF64_ETYPE, "kernel.elf: type 3 is not ET_EXEC (2)" },
	{ "ehsize", m_ehsize, ELF64_EPHDR, "~header size 52" },
	{ "phentsize", m_phentsize, ELF64_EPHDR, "~program header size 32 is not 56" },
	{ "phnum 0", m_phnum0, ELF64_ENOLOAD, "~no program headers" },
	{ "PN_XNUM", m_xnum, ELF64_EPHDR, "~PN_XNUM" },
	{ "phoff", m_phoff, ELF64_EPHDR,
	  "kernel.elf: program headers 0x3f9c+0xa8 beyond the 0x4000-byte image" },
	{ "phoff wraps", m_phoff_huge, ELF64_EPHDR, "~beyond the 0x4000-byte image" },
	{ "phoff odd", m_phoff_odd, ELF64_EALIGN, "~offset 0x44 not 8-byte aligned" },
	{ "filesz > memsz", m_filesz, ELF64_ESEGSIZE,
	  "kernel.elf: segment 2: file size 0x3001 > memory size 0x3000" },
	{ "file range", m_filerange, ELF64_EFILERANGE,
	  "kernel.elf: segment 2: file range 0x2000+0x9000 beyond the 0x4000-byte image" },
	{ "offset wraps", m_offset_wrap, ELF64_EFILERANGE, "~segment 2: file range 0xffffffffffffffef" },
	{ "vaddr wraps", m_vaddr_wrap, ELF64_EOVERFLOW,
	  "kernel.elf: segment 2: address 0xfffffffffffff000+0x2000 wraps around" },
	{ "align", m_align_pow2, ELF64_ESEGALIGN, "~segment 0: alignment 0x3000 is not a power of two" },
	{ "congruence", m_congruent, ELF64_ESEGALIGN, "~segment 2: vaddr 0xffffffff80002010 and offset 0x2000 differ" },
	{ "overlap", m_overlap, ELF64_EOVERLAP,
	  "kernel.elf: segment 2 at 0xffffffff80000800 overlaps or precedes segment 0 (ends 0xffffffff80001000)" },
	{ "unsorted", m_unsorted, ELF64_EOVERLAP, "~segment 2 at 0xffffffff80000000 overlaps or precedes segment 0" },
	{ "window", m_below, ELF64_EWINDOW,
	  "kernel.elf: segment 0: 0xffffffff7ffff000+0x1000 outside the allowed window [0xffffffff80000000, 2^64)" },
	{ "no PT_LOAD", m_noload, ELF64_ENOLOAD, "kernel.elf: no PT_LOAD segment" },
	{ "entry outside", m_entry_out, ELF64_EENTRY,
	  "kernel.elf: entry point 0xffffffff80001000 not inside an executable segment" },
	{ "entry in data", m_entry_nx, ELF64_EENTRY, "~entry point 0xffffffff80002000" },
};

static void test_rejections(void **state)
{
	(void)state;
	struct elf64_image im;
	char why[160];

	for (size_t i = 0; i < sizeof rejects / sizeof rejects[0]; i++) {
		const struct reject *r = &rejects[i];
		int err;

		build_valid();
		r->mutate();
		err = check(&im, why, sizeof why);
		if (err != r->err)
			fail_msg("%s: got %d (%s), want %d", r->what, err, why, r->err);
		if (r->reason[0] == '~' ? strstr(why, r->reason + 1) == NULL
					: strcmp(why, r->reason) != 0)
			fail_msg("%s: reason \"%s\", want \"%s\"", r->what, why, r->reason);
		assert_string_not_equal(elf64_strerror(err), "unknown ELF error");
	}
}

static void test_user_window(void **state)
{
	(void)state;
	struct elf64_image im;
	char why[160];

	/* A user image must end below the window top (exclusive). */
	build_valid();
	for (int i = 0; i < 3; i += 2)
		ph(i)->p_vaddr -= KBASE - 0x400000;
	eh()->e_entry = 0x400010;
	assert_int_equal(elf64_check(&im, img.b, IMG_SIZE, 0x1000, 0x405000, "init.elf",
				     why, sizeof why), 0);
	assert_int_equal(elf64_check(&im, img.b, IMG_SIZE, 0x1000, 0x404fff, "init.elf",
				     why, sizeof why), ELF64_EWINDOW);
	assert_string_equal(why, "init.elf: segment 2: 0x402000+0x3000 outside the "
			    "allowed window [0x1000, 0x404fff)");
}

static void test_short_reason_buffer(void **state)
{
	(void)state;
	struct elf64_image im;
	char why[12];

	memset(why, 'Z', sizeof why);
	build_valid();
	m_magic();
	assert_int_equal(check(&im, why, 8), ELF64_EMAGIC);
	assert_string_equal(why, "kernel.");
	assert_int_equal(why[8], 'Z');
	assert_int_equal(check(&im, why, sizeof why), ELF64_EMAGIC);
	assert_string_equal(why, "kernel.elf:");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_valid),
		cmocka_unit_test(test_accepts_edges),
		cmocka_unit_test(test_truncated_and_misaligned),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_user_window),
		cmocka_unit_test(test_short_reason_buffer),
	};

	return cmocka_run_group_tests_name("lib/elf64", tests, NULL, NULL);
}
