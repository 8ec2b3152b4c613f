/*
 * The verifier and the builder. Every rejection path of dpf_verify has a
 * row in one of the tables below (in the spirit of uBPF's tests/errors):
 * the input, the expected error code, where (path, atom) and a piece of
 * the expected message.
 */
#include "dpf_test.h"

#define A(op_, w_, cmp_, fl_, sh_, off_, m_, v_) \
	{ .op = op_, .width = w_, .cmp = cmp_, .flags = fl_, .shift = sh_, \
	  .offset = off_, .mask = m_, .value = v_ }
#define CMP DPF_OP_CMP
#define SHF DPF_OP_SHIFT
#define ADV DPF_OP_ADVANCE
#define REL DPF_F_REL

/* ---- Atom rules: the bad atom is atom 2 of path 1 ---- */
struct atom_case {
	const char *name;
	struct dpf_atom pre[2];   /* atoms 0 and 1 (op 0: a harmless CMP) */
	struct dpf_atom bad;
	int code;
	const char *msg;
};

static const struct atom_case atom_cases[] = {
	{ "opcode 0", {}, A(0, 1, 1, 0, 0, 0, 0xff, 0), DPF_E_FORMAT,
	  "bad opcode 0" },
	{ "opcode 4", {}, A(4, 1, 1, 0, 0, 0, 0xff, 0), DPF_E_FORMAT,
	  "bad opcode 4" },
	{ "reserved byte", {}, { .op = CMP, .width = 1, .cmp = 1, .mask = 1,
	  .reserved = { 0, 7, 0 } }, DPF_E_FORMAT, "reserved bytes must be 0" },
	{ "unknown flag", {}, A(CMP, 1, 1, 0x2, 0, 0, 0xff, 0), DPF_E_FORMAT,
	  "unknown flags 0x2" },
	{ "width 3", {}, A(CMP, 3, 1, 0, 0, 0, 0xff, 0), DPF_E_FORMAT,
	  "bad width 3" },
	{ "width 8", {}, A(CMP, 8, 1, 0, 0, 0, 0xff, 0), DPF_E_FORMAT,
	  "bad width 8" },
	{ "cmp 0", {}, A(CMP, 1, 0, 0, 0, 0, 0xff, 0), DPF_E_FORMAT,
	  "bad comparison 0" },
	{ "cmp 8", {}, A(CMP, 1, 8, 0, 0, 0, 0xff, 0), DPF_E_FORMAT,
	  "bad comparison 8" },
	{ "cmp with shift", {}, A(CMP, 1, 1, 0, 1, 0, 0xff, 0), DPF_E_FORMAT,
	  "shift 1 on a CMP atom" },
	{ "mask 0", {}, A(CMP, 2, 1, 0, 0, 0, 0, 0), DPF_E_FORMAT,
	  "mask is 0" },
	{ "mask wider than 8 bits", {}, A(CMP, 1, 1, 0, 0, 0, 0x100, 0),
	  DPF_E_FORMAT, "mask 0x100 wider than the 8-bit field" },
	{ "mask wider than 16 bits", {}, A(CMP, 2, 1, 0, 0, 0, 0x1ffff, 0),
	  DPF_E_FORMAT, "mask 0x1ffff wider than the 16-bit field" },
	{ "EQ value outside mask", {}, A(CMP, 1, DPF_EQ, 0, 0, 0, 0xf0, 0x1f),
	  DPF_E_FORMAT, "value 0x1f has bits outside mask 0xf0" },
	{ "NE value outside mask", {}, A(CMP, 2, DPF_NE, 0, 0, 0, 0xff, 0x100),
	  DPF_E_FORMAT, "value 0x100 has bits outside mask 0xff" },
	{ "LT value above mask", {}, A(CMP, 2, DPF_LT, 0, 0, 0, 0xff, 0x100),
	  DPF_E_FORMAT, "value 0x100 above mask 0xff" },
	{ "GE value above mask", {}, A(CMP, 4, DPF_GE, 0, 0, 0, 0xffff, 0x10000),
	  DPF_E_FORMAT, "value 0x10000 above mask 0xffff" },
	{ "SET with value", {}, A(CMP, 1, DPF_SET, 0, 0, 0, 0xff, 1),
	  DPF_E_FORMAT, "SET with value 0x1" },
	{ "LEN with offset", {}, A(CMP, 0, DPF_GT, 0, 0, 4, 0xffffffff, 60),
	  DPF_E_FORMAT, "LEN atom with offset 4" },
	{ "LEN relative", {}, A(CMP, 0, DPF_GT, REL, 0, 0, 0xffffffff, 60),
	  DPF_E_FORMAT, "LEN atom with the REL flag" },
	{ "offset beyond limit", {}, A(CMP, 1, 1, 0, 0, 70000, 0xff, 0),
	  DPF_E_LIMIT, "offset 70000 beyond the 65535-byte limit" },
	{ "shift reads LEN", {}, A(SHF, 0, 0, 0, 2, 0, 0xf, 0), DPF_E_FORMAT,
	  "SHIFT cannot read LEN" },
	{ "shift with cmp", {}, A(SHF, 1, 1, 0, 2, 14, 0xf, 0), DPF_E_FORMAT,
	  "SHIFT atom with comparison 1" },
	{ "shift scale 8", {}, A(SHF, 1, 0, 0, 8, 14, 0xf, 0), DPF_E_LIMIT,
	  "shift 8 beyond the limit of 7" },
	{ "shift mask 0", {}, A(SHF, 1, 0, 0, 2, 14, 0, 0), DPF_E_FORMAT,
	  "mask is 0" },
	{ "shift width 5", {}, A(SHF, 5, 0, 0, 2, 14, 0xf, 0), DPF_E_FORMAT,
	  "bad width 5" },
	{ "shift offset beyond limit", {}, A(SHF, 1, 0, 0, 2, 65536, 0xf, 0),
	  DPF_E_LIMIT, "offset 65536 beyond the 65535-byte limit" },
	{ "shift base beyond limit", {},
	  A(SHF, 4, 0, 0, 7, 0, 0xffffffff, 0), DPF_E_LIMIT,
	  "base could reach 4294967295+, beyond the 16777216 limit" },
	{ "shift constant beyond limit", {},
	  A(SHF, 1, 0, 0, 0, 0, 0xff, 0x1000000), DPF_E_LIMIT,
	  "base could reach 16777471, beyond the 16777216 limit" },
	{ "advance beyond limit", {}, A(ADV, 0, 0, 0, 0, 0, 0, 0x1000001),
	  DPF_E_LIMIT, "base could reach 16777217" },
	{ "relative advances add up",
	  { A(ADV, 0, 0, REL, 0, 0, 0, 0x800000),
	    A(ADV, 0, 0, REL, 0, 0, 0, 0x800000) },
	  A(ADV, 0, 0, REL, 0, 0, 0, 1), DPF_E_LIMIT,
	  "base could reach 16777217" },
	{ "relative shift on a large base",
	  { A(ADV, 0, 0, 0, 0, 0, 0, 0xfff000),
	    A(CMP, 1, 1, 0, 0, 0, 0xff, 0) },
	  A(SHF, 2, 0, REL, 0, 0, 0xffff, 0x1000), DPF_E_LIMIT,
	  "beyond the 16777216 limit" },
	{ "advance with width", {}, A(ADV, 1, 0, 0, 0, 0, 0, 4), DPF_E_FORMAT,
	  "ADVANCE uses only flags and value" },
	{ "advance with mask", {}, A(ADV, 0, 0, 0, 0, 0, 0xff, 4), DPF_E_FORMAT,
	  "ADVANCE uses only flags and value" },
	{ "advance with offset", {}, A(ADV, 0, 0, 0, 0, 2, 0, 4), DPF_E_FORMAT,
	  "ADVANCE uses only flags and value" },
	{ "advance with cmp", {}, A(ADV, 0, 1, 0, 0, 0, 0, 4), DPF_E_FORMAT,
	  "ADVANCE atom with comparison 1" },
};

static size_t build_atom_case(const struct atom_case *c, struct fb *fb)
{
	struct dpf_builder *b = fb_init(fb);
	struct dpf_atom atoms[3] = { c->pre[0], c->pre[1], c->bad };
	size_t len;

	add_cmp(b, ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x0800);  /* path 0 */
	dpf_build_path(b);
	/* Placeholders, overwritten below with the raw atoms. */
	for (int i = 0; i < 3; i++)
		add_cmp(b, 0, DPF_W8, 0xff, DPF_EQ, 0);
	len = dpf_build_finish(&fb->b);
	assert_true(len > 0);
	for (int i = 0; i < 3; i++) {
		uint8_t *p = fb->buf + len - (size_t)(3 - i) * 20;

		if (atoms[i].op == 0 && i < 2)
			continue;   /* keep the harmless placeholder */
		p[0] = atoms[i].op;
		p[1] = atoms[i].width;
		p[2] = atoms[i].cmp;
		p[3] = atoms[i].flags;
		p[4] = atoms[i].shift;
		memcpy(p + 5, atoms[i].reserved, 3);
		memcpy(p + 8, &atoms[i].offset, 4);   /* the host is LE */
		memcpy(p + 12, &atoms[i].mask, 4);
		memcpy(p + 16, &atoms[i].value, 4);
	}
	return len;
}

static void test_atom_rejections(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(atom_cases) / sizeof(atom_cases[0]); i++) {
		const struct atom_case *c = &atom_cases[i];
		struct fb fb;
		struct dpf_filter f;
		struct dpf_error err;
		size_t len = build_atom_case(c, &fb);
		int rc = dpf_verify(fb.buf, len, &f, &err);

		if (rc != c->code || err.code != c->code || err.path != 1 ||
		    err.atom != 2 || !strstr(err.msg, c->msg) ||
		    strncmp(err.msg, "path 1, atom 2: ", 16))
			fail_msg("case \"%s\": rc %d, path %d, atom %d, \"%s\"",
				 c->name, rc, err.path, err.atom, err.msg);
		/* The trie re-checks decoded filters that skip dpf_verify. */
		if (rc == DPF_E_FORMAT || rc == DPF_E_LIMIT) {
			struct dpf_trie *t = dpf_trie_create(dpf_host_env());
			f.npaths = 2;
			f.natoms[0] = 1;
			f.natoms[1] = 3;
			/* f.atoms holds what decode() stored before failing. */
			assert_int_equal(dpf_trie_insert(t, &f, 1, 1, 0, &err),
					 c->code);
			dpf_trie_destroy(t);
		}
	}
}

/* ---- Program-level rules ---- */
enum edit { NONE, SET8, SET16, SET32, CUT, GROW };

struct prog_case {
	const char *name;
	enum edit edit;
	size_t at;      /* SET*: byte offset; CUT/GROW: bytes removed/added */
	uint32_t val;
	int code, path, atom;
	const char *msg;
};

/* The base program: 2 paths of 2 atoms: 16 + 2 * (4 + 40) = 104 bytes. */
static const struct prog_case prog_cases[] = {
	{ "bad magic", SET32, 0, 0x31465045, DPF_E_FORMAT, -1, -1,
	  "bad magic 0x31465045" },
	{ "version 2", SET16, 4, 2, DPF_E_FORMAT, -1, -1,
	  "unsupported version 2" },
	{ "header flags", SET32, 8, 1, DPF_E_FORMAT, -1, -1,
	  "header flags 0x1" },
	{ "header reserved", SET32, 12, 5, DPF_E_FORMAT, -1, -1,
	  "header reserved field 0x5" },
	{ "no paths", SET16, 6, 0, DPF_E_FORMAT, -1, -1, "no paths" },
	{ "65 paths", SET16, 6, 65, DPF_E_LIMIT, -1, -1,
	  "65 paths beyond the limit of 64" },
	{ "npaths says 3", SET16, 6, 3, DPF_E_FORMAT, 2, -1,
	  "truncated: path header at byte 104" },
	{ "npaths says 1", SET16, 6, 1, DPF_E_FORMAT, -1, -1,
	  "44 trailing bytes" },
	{ "empty path", SET16, 16, 0, DPF_E_FORMAT, 0, -1, "empty path" },
	{ "path reserved", SET16, 18, 9, DPF_E_FORMAT, 0, -1,
	  "path reserved field 0x9" },
	{ "65 atoms in a path", SET16, 16, 65, DPF_E_LIMIT, 0, -1,
	  "65 atoms beyond the per-path limit of 64" },
	{ "natoms past the end", SET16, 60, 3, DPF_E_FORMAT, 1, 2,
	  "truncated: atom at byte 104" },
	{ "truncated atom", CUT, 1, 0, DPF_E_FORMAT, 1, 1,
	  "truncated: atom at byte 84 needs 20 bytes, program has 103" },
	{ "truncated path header", CUT, 42, 0, DPF_E_FORMAT, 1, -1,
	  "truncated: path header at byte 60" },
	{ "truncated header", CUT, 95, 0, DPF_E_FORMAT, -1, -1,
	  "truncated: 9 bytes" },
	{ "trailing byte", GROW, 1, 0, DPF_E_FORMAT, -1, -1,
	  "1 trailing bytes after the last path" },
	{ "oversize", GROW, DPF_MAX_PROG_LEN, 0, DPF_E_LIMIT, -1, -1,
	  "beyond the 10512-byte limit" },
	{ "valid", NONE, 0, 0, DPF_OK, -1, -1, "" },
};

static void test_program_rejections(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(prog_cases) / sizeof(prog_cases[0]); i++) {
		const struct prog_case *c = &prog_cases[i];
		static uint8_t buf[2 * DPF_MAX_PROG_LEN];
		struct dpf_builder b;
		struct dpf_filter f;
		struct dpf_error err;
		size_t len;
		int rc;

		dpf_build_init(&b, buf, sizeof(buf));
		dpf_build_path(&b);
		add_cmp(&b, ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x0800);
		add_cmp(&b, IP_PROTO, DPF_W8, 0xff, DPF_EQ, 6);
		dpf_build_path(&b);
		add_cmp(&b, ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x86dd);
		add_cmp(&b, 20, DPF_W8, 0xff, DPF_EQ, 6);
		len = dpf_build_finish(&b);
		assert_int_equal(len, 104);
		if (c->edit == SET16 || c->edit == SET32 || c->edit == SET8) {
			int n = c->edit == SET8 ? 1 : c->edit == SET16 ? 2 : 4;

			for (int k = 0; k < n; k++)
				buf[c->at + k] = (uint8_t)(c->val >> (8 * k));
		} else if (c->edit == CUT) {
			len -= c->at;
		} else if (c->edit == GROW) {
			memset(buf + len, 0, c->at);
			len += c->at;
		}
		rc = dpf_verify(buf, len, &f, &err);
		if (rc != c->code || err.path != c->path || err.atom != c->atom ||
		    !strstr(err.msg, c->msg))
			fail_msg("case \"%s\": rc %d, path %d, atom %d, \"%s\"",
				 c->name, rc, err.path, err.atom, err.msg);
	}
}

/* Atom counts: 512 in all is the limit, across paths. */
static void test_total_atom_limit(void **state)
{
	static uint8_t buf[2 * DPF_MAX_PROG_LEN];
	struct dpf_builder b;
	struct dpf_filter f;
	struct dpf_error err;
	size_t len;

	(void)state;
	dpf_build_init(&b, buf, sizeof(buf));
	for (int p = 0; p < 8; p++) {
		dpf_build_path(&b);
		for (int i = 0; i < 64; i++)
			add_cmp(&b, (uint32_t)i, DPF_W8, 0xff, DPF_GE, 0);
	}
	len = dpf_build_finish(&b);
	assert_int_equal(len, DPF_MAX_PROG_LEN - 56 * 4);
	assert_int_equal(dpf_verify(buf, len, &f, &err), 0);
	assert_int_equal(f.npaths, 8);
	/* One more path of one atom: patch the header and append by hand. */
	buf[6] = 9;
	memcpy(buf + len, "\x01\x00\x00\x00", 4);
	memcpy(buf + len + 4, buf + 20, 20);
	assert_int_equal(dpf_verify(buf, len + 24, &f, &err), DPF_E_LIMIT);
	assert_int_equal(err.path, 8);
	assert_non_null(strstr(err.msg, "more than 512 atoms"));
}

static void test_no_input(void **state)
{
	struct dpf_filter f;
	struct dpf_error err;

	(void)state;
	assert_int_equal(dpf_verify(NULL, 10, &f, &err), DPF_E_INVAL);
	assert_int_equal(dpf_verify("", 0, &f, &err), DPF_E_FORMAT);
	assert_non_null(strstr(err.msg, "truncated: 0 bytes"));
	assert_int_equal(dpf_verify("", 0, &f, NULL), DPF_E_FORMAT);
}

/* Every truncation of a valid program is refused, none crashes. */
static void test_every_truncation(void **state)
{
	struct fb fb;
	struct dpf_filter f;
	struct dpf_error err;
	size_t len;

	(void)state;
	build_conn(fb_init(&fb), 1, 2, 3, 4);
	len = dpf_build_finish(&fb.b);
	for (size_t n = 0; n < len; n++) {
		uint8_t *copy = malloc(n ? n : 1);   /* ASan sees overreads */

		memcpy(copy, fb.buf, n);
		assert_int_not_equal(dpf_verify(copy, n, &f, &err), 0);
		assert_true(strlen(err.msg) > 0);
		free(copy);
	}
	assert_int_equal(dpf_verify(fb.buf, len, &f, &err), 0);
}

/* ---- The builder ---- */

static void test_builder_layout(void **state)
{
	static const uint8_t want[] = {
		0x44, 0x50, 0x46, 0x31, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		2, 0, 0, 0,
		1, 2, 1, 0, 0, 0, 0, 0, 12, 0, 0, 0, 0xff, 0xff, 0, 0,
		0x00, 0x08, 0, 0,
		2, 1, 0, 1, 2, 0, 0, 0, 14, 0, 0, 0, 0x0f, 0, 0, 0,
		14, 0, 0, 0,
	};
	struct fb fb;
	struct dpf_filter f;
	size_t len;

	(void)state;
	add_cmp(fb_init(&fb), ETH_TYPE, DPF_W16, 0xffff, DPF_EQ, 0x0800);
	dpf_build_shift(&fb.b, DPF_F_REL, IP_IHL, DPF_W8, 0xf, 2, 14);
	len = dpf_build_finish(&fb.b);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(fb.buf, want, sizeof(want));
	fb_filter(&fb, &f);
	assert_int_equal(f.npaths, 1);
	assert_int_equal(f.natoms[0], 2);
	assert_int_equal(f.atoms[1].op, DPF_OP_SHIFT);
	assert_int_equal(f.atoms[1].shift, 2);
	assert_int_equal(f.atoms[0].value, 0x0800);
}

static void test_builder_limits(void **state)
{
	uint8_t small[30];
	struct fb fb;
	struct dpf_builder b;

	(void)state;
	/* Buffer overflow is sticky. */
	dpf_build_init(&b, small, sizeof(small));
	add_cmp(&b, 0, DPF_W8, 0xff, DPF_EQ, 1);
	assert_int_equal(dpf_build_finish(&b), 0);
	dpf_build_init(&b, small, 8);
	assert_int_equal(dpf_build_finish(&b), 0);
	dpf_build_init(&b, NULL, 100);
	assert_int_equal(dpf_build_finish(&b), 0);
	/* Paths. */
	fb_init(&fb);
	for (int p = 0; p <= DPF_MAX_PATHS; p++) {
		dpf_build_path(&fb.b);
		add_cmp(&fb.b, 0, DPF_W8, 0xff, DPF_EQ, 1);
	}
	assert_int_equal(dpf_build_finish(&fb.b), 0);
	/* Atoms per path. */
	fb_init(&fb);
	for (int i = 0; i <= DPF_MAX_ATOMS_PER_PATH; i++)
		add_cmp(&fb.b, 0, DPF_W8, 0xff, DPF_EQ, 1);
	assert_int_equal(dpf_build_finish(&fb.b), 0);
	/* Atoms in all. */
	fb_init(&fb);
	for (int p = 0; p < 9; p++) {
		dpf_build_path(&fb.b);
		for (int i = 0; i < 60; i++)
			add_cmp(&fb.b, 0, DPF_W8, 0xff, DPF_EQ, 1);
	}
	assert_int_equal(dpf_build_finish(&fb.b), 0);
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(dpf_strerror(DPF_E_OVERLAP),
			    "overlaps a filter of another owner");
	assert_string_equal(dpf_strerror(12345), "unknown error");
	for (int c = DPF_E_INVAL; c <= DPF_OK; c++)
		assert_string_not_equal(dpf_strerror(c), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atom_rejections),
		cmocka_unit_test(test_program_rejections),
		cmocka_unit_test(test_total_atom_limit),
		cmocka_unit_test(test_no_input),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_builder_layout),
		cmocka_unit_test(test_builder_limits),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
