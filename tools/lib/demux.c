/*
 * Host demux points (see demux.h).
 */
#include <stdio.h>
#include <string.h>

#include "bpf2dpf.h"
#include "demux.h"
#include "dpf_host_env.h"

int demux_engine_parse(const char *name)
{
	if (!strcmp(name, "jit"))
		return DEMUX_JIT;
	if (!strcmp(name, "interp"))
		return DEMUX_INTERP;
	return -1;
}

int demux_init(struct demux *d, int engine)
{
	memset(d, 0, sizeof(*d));
	d->engine = engine;
	d->trie = dpf_trie_create(dpf_host_env());
	d->stale = 1;
	return d->trie ? 0 : -1;
}

void demux_free(struct demux *d)
{
	if (d->jit)
		dpf_jit_free(d->jit);
	if (d->trie)
		dpf_trie_destroy(d->trie);
	memset(d, 0, sizeof(*d));
}

int demux_insert_filter(struct demux *d, const struct dpf_filter *f,
			uint32_t id, uint32_t owner, struct dpf_error *err)
{
	static uint8_t code[B2D_MAX_BYTECODE];
	static struct dpf_filter checked;
	size_t len = b2d_encode(f, code, sizeof(code));
	int r;

	if (!len) {
		memset(err, 0, sizeof(*err));
		err->code = DPF_E_LIMIT;
		snprintf(err->msg, sizeof(err->msg), "bytecode does not fit");
		return -1;
	}
	r = dpf_verify(code, len, &checked, err);
	if (r < 0)
		return -1;
	r = dpf_trie_insert(d->trie, &checked, id, owner, 0, err);
	if (r < 0)
		return -1;
	d->stale = 1;
	return 0;
}

int demux_insert_expr(struct demux *d, const char *expr, uint32_t id,
		      uint32_t owner, char *msg, size_t msglen,
		      uint32_t *other_id)
{
	static struct dpf_filter f;
	struct b2d_error berr;
	struct dpf_error err;

	if (other_id)
		*other_id = 0;
	if (b2d_compile(expr, &f, &berr) < 0) {
		snprintf(msg, msglen, "%s", berr.msg);
		return -1;
	}
	if (f.npaths == 0)
		return 1;
	if (demux_insert_filter(d, &f, id, owner, &err) < 0) {
		snprintf(msg, msglen, "%s", err.msg);
		if (other_id && err.code == DPF_E_OVERLAP)
			*other_id = err.other_id;
		return -1;
	}
	return 0;
}

int demux_commit(struct demux *d, struct dpf_error *err)
{
	struct dpf_jit *j;

	if (d->engine != DEMUX_JIT || (!d->stale && d->jit))
		return 0;
	j = dpf_jit_compile(d->trie, err);
	if (!j)
		return -1;
	if (d->jit)
		dpf_jit_free(d->jit);
	d->jit = j;
	d->fn = dpf_jit_entry(j);
	d->stale = 0;
	return 0;
}
