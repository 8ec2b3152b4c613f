/*
 * The DPF JIT: the whole merged trie compiled into one x86-64 function
 *
 *     uint32_t fn(const uint8_t *pkt, uint32_t caplen, uint32_t wirelen);
 *
 * (SysV: rdi, esi, edx; result in eax). The code is the interpreter's walk
 * (interp.c) unrolled: each trie node becomes its accept update followed by
 * the code of its edges and groups, each edge's code tests its atom and, if
 * it holds, falls into the child's code; a failed test jumps past the child.
 * So both engines compute the same maximum over accepting paths.
 *
 * The work is split (jit_int.h): this file drives the passes, builds the
 * image and seals it; jit_group.c decides how each hash group is compiled
 * and fills the tables (jit_cuckoo.c places two-choice ones); jit_node.c
 * translates node by node, jit_table.c the TABLE groups, jit_atom.c single
 * atoms. The register map is in jit_int.h, the emitter in jit_emit.h.
 */
#include "jit_int.h"

/*
 * Image layout:  [ code | int3 padding to 64 | tables ]
 * The tables (one per hash group, 64-byte aligned) are read-only data
 * reached RIP-relative. The whole image is written while it is RW and then
 * sealed RX through env->code_seal (W^X); it is never written again, and a
 * new trie gets a new image.
 *
 * Hash groups are compiled in one of two ways:
 *  - TABLE: an inline probe of the group's tables. Per-connection demux
 *    makes groups whose children are chains (one way down, accepts only
 *    at the end) of one shape: the same atoms except the values of EQ
 *    atoms. One copy of that chain's code serves all of them; their
 *    entries in the group's flat table hold the chain's EQ values and the
 *    id of the accept at its end. A chain accepts iff all its atoms hold,
 *    in any order, so testing the shared atoms once is exact. The trie
 *    keeps these children in a dense array (chain.c), so they are
 *    compiled without being visited. Any other child gets code of its
 *    own, found through a second table, the jump table, whose entries
 *    hold that code's offset in the image: an indirect jump. A value
 *    missing from the flat table is looked up in the jump table.
 *    Flat entry: {u32 value, u32 id, EQ values packed, each in its
 *    field's width}, its size a power of two (16 bytes for a TCP 4-tuple
 *    keyed on the source address); jump entry: {u32 value, u32 offset}.
 *  - SMALL (at most 4 children): compare-and-branch on immediates to
 *    each child's own code.
 * A group of shared chains only gets a two-choice table (jit_cuckoo.c):
 * its lookup has no loop and no branch. Other tables use linear probing
 * with the same Fibonacci hash as the trie's maps (dpf_hash_idx). Both
 * are emitted inline; tables are at most a quarter full while small.
 *
 * Stack use: a SHIFT or ADVANCE edge pushes the base and pops it after the
 * child's code, at most DPF_MAX_ATOMS_PER_PATH deep (512 bytes). Nothing is
 * ever stored below rsp (no red zone: the code runs in the kernel), and no
 * SSE register is touched.
 */

struct dpf_jit {
	struct dpf_env env;
	uint8_t *image;
	size_t image_size;
	struct dpf_jit_stats stats;
};

static void swap_passes(struct jit_buf *b)
{
	uint32_t *t = b->lab_prev;

	b->lab_prev = b->lab_cur;
	b->lab_cur = t;
	t = b->jmp_prev;
	b->jmp_prev = b->jmp_cur;
	b->jmp_cur = t;
}

/* ---- Driver: converge, allocate, write, check, seal ---- */

static void jc_free(struct jc *c)
{
	const struct dpf_env *env = &c->t->env;
	struct jit_buf *b = &c->b;

	jit_free_groups(c);
	dpf_free(env, b->lab_prev, b->clab * sizeof(uint32_t));
	dpf_free(env, b->lab_cur, b->clab * sizeof(uint32_t));
	dpf_free(env, b->jmp_prev, b->cjmp * sizeof(uint32_t));
	dpf_free(env, b->jmp_cur, b->cjmp * sizeof(uint32_t));
	dpf_free(env, b->jmp_short, b->cjmp);
	dpf_free(env, b->fix, b->cfix * sizeof(*b->fix));
}

/* Sizing passes until the code size stops shrinking; returns the size. */
static int converge(struct jc *c, uint32_t *size, uint32_t *passes)
{
	uint32_t prev = 0;

	for (int pass = 0; pass < MAX_PASSES; pass++) {
		c->data_start = (prev + 63) & ~63u;
		if (jit_run_pass(c))
			return c->b.err;
		swap_passes(&c->b);
		if (pass > 0 && c->b.pos == prev) {
			*size = prev;
			*passes = (uint32_t)pass + 1;
			return 0;
		}
		prev = c->b.pos;
	}
	return DPF_E_JIT;
}

/* The final pass: every label where the converged pass put it. */
static int write_image(struct jc *c, uint8_t *image, uint32_t code_size)
{
	struct jit_buf *b = &c->b;

	dpf_memset(image, 0xcc, c->data_start);          /* int3 filler */
	dpf_memset(image + c->data_start, 0, c->data_size);
	b->img = image;
	b->cap = c->data_start;
	if (jit_run_pass(c) || x64_resolve_fixups(b))
		return b->err;
	if (b->pos != code_size)
		return DPF_E_JIT;
	for (uint32_t i = 0; i < b->nlab; i++)
		if (b->lab_cur[i] != b->lab_prev[i])
			return DPF_E_JIT;
	return jit_fill_tables(c, image);
}

static struct dpf_jit *fail_jit(struct jc *c, int rc, struct dpf_error *err)
{
	jc_free(c);
	dpf_fail(err, rc, -1, -1, "%s", rc == DPF_E_NOMEM ?
		 "out of memory compiling the trie" :
		 "code generation failed (image over its size cap, or a "
		 "pass disagreed with the converged layout)");
	return NULL;
}

struct dpf_jit *dpf_jit_compile(const struct dpf_trie *t, struct dpf_error *err)
{
	const struct dpf_env *env;
	struct dpf_jit *j;
	struct jc c;
	uint32_t code_size = 0, passes = 0;
	size_t image_size;
	int rc;

	dpf_ok(err);
	if (!t || !t->env.code_alloc || !t->env.code_seal || !t->env.code_free) {
		dpf_fail(err, DPF_E_INVAL, -1, -1,
			 "no trie, or its env has no code hooks");
		return NULL;
	}
	env = &t->env;
	dpf_memset(&c, 0, sizeof(c));
	c.t = t;
	c.b.env = env;
	rc = jit_classify(&c, &t->root);
	if (!rc)
		rc = converge(&c, &code_size, &passes);
	if (rc)
		return fail_jit(&c, rc, err);
	c.data_start = (code_size + 63) & ~63u;
	image_size = (size_t)c.data_start + c.data_size;
	if (image_size > JIT_MAX_IMAGE)
		return fail_jit(&c, DPF_E_JIT, err);
	j = dpf_alloc(env, sizeof(*j));
	if (!j)
		return fail_jit(&c, DPF_E_NOMEM, err);
	j->env = *env;
	j->image_size = image_size;
	dpf_memset(&j->stats, 0, sizeof(j->stats));
	j->stats.image_size = image_size;
	j->stats.code_size = code_size;
	j->stats.passes = passes;
	for (uint32_t i = 0; i < c.ngi; i++) {
		const struct ginfo *gi = &c.gi[i];

		j->stats.small_groups += gi->kind == G_SMALL;
		j->stats.flat_groups += gi->kind == G_TABLE && gi->shape;
		j->stats.hash_groups += gi->kind == G_TABLE && gi->ncode;
		j->stats.two_choice += gi->cuckoo != NULL;
	}
	j->image = env->code_alloc(env->ctx, image_size);
	rc = j->image ? write_image(&c, j->image, code_size) : DPF_E_NOMEM;
	if (!rc && env->code_seal(env->ctx, j->image, image_size))
		rc = DPF_E_NOMEM;
	if (rc) {
		if (j->image)
			env->code_free(env->ctx, j->image, image_size);
		dpf_free(env, j, sizeof(*j));
		return fail_jit(&c, rc, err);
	}
	jc_free(&c);
	return j;
}

dpf_jit_fn dpf_jit_entry(const struct dpf_jit *j)
{
	dpf_jit_fn fn;
	void *p = j->image;

	/* Object-to-function pointer conversion, spelled portably. */
	dpf_memcpy(&fn, &p, sizeof(fn));
	return fn;
}

size_t dpf_jit_size(const struct dpf_jit *j)
{
	return j ? j->image_size : 0;
}

void dpf_jit_get_stats(const struct dpf_jit *j, struct dpf_jit_stats *out)
{
	if (j)
		*out = j->stats;
	else
		dpf_memset(out, 0, sizeof(*out));
}

void dpf_jit_free(struct dpf_jit *j)
{
	struct dpf_env env;

	if (!j)
		return;
	env = j->env;
	env.code_free(env.ctx, j->image, j->image_size);
	dpf_free(&env, j, sizeof(*j));
}

