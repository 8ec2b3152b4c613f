/*
 * The merged trie: insert and delete (structure described in dpf_int.h).
 *
 * Insert walks each path of the new filter (its CMP atoms in a canonical
 * order, see canonical()) from the root, reusing the child that carries an
 * identical atom (for CMP/EQ atoms: the group of the
 * same field, then the value) and creating the rest, and appends an accept
 * record to the node where the path ends. Delete removes those accept
 * records and prunes every node left with no accept and no child, so the
 * trie returns to exactly its shape before the insert, and every allocation
 * made by the insert is released.
 *
 * Both are all-or-nothing. Insert decodes and checks all of its arguments
 * first (ids, flags, atom rules, the overlap rule) and only then changes
 * the trie; if memory runs out half way it undoes what it did and returns
 * DPF_E_NOMEM with the trie as before.
 */
#include "dpf_int.h"

static int grow(const struct dpf_env *env, void **arr, uint32_t *cap,
		uint32_t n, size_t elem)
{
	uint32_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 2;
	p = dpf_alloc(env, ncap * elem);
	if (!p)
		return DPF_E_NOMEM;
	if (*arr)
		dpf_memcpy(p, *arr, n * elem);
	dpf_free(env, *arr, *cap * elem);
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Remove element i of an array of *n, keeping the order; an array left
 * empty is freed, so that an emptied trie holds nothing but itself. */
static void remove_at(const struct dpf_env *env, void **arr, uint32_t *n,
		      uint32_t *cap, uint32_t i, size_t elem)
{
	uint8_t *a = *arr;

	dpf_memcpy(a + i * elem, a + (i + 1) * elem, (*n - 1 - i) * elem);
	if (--*n == 0) {
		dpf_free(env, *arr, *cap * elem);
		*arr = NULL;
		*cap = 0;
	}
}

static struct dpf_group *find_group(const struct dpf_node *n,
				    const struct dpf_atom *a)
{
	for (uint32_t i = 0; i < n->ngroups; i++)
		if (dpf_same_field(&n->groups[i]->key, a))
			return n->groups[i];
	return NULL;
}

static struct dpf_node *find_child(const struct dpf_node *n,
				   const struct dpf_atom *a)
{
	if (dpf_atom_is_eq(a)) {
		struct dpf_group *g = find_group(n, a);

		return g ? dpf_map_get(&g->kids, a->value) : NULL;
	}
	for (uint32_t i = 0; i < n->nedges; i++)
		if (dpf_same_atom(&n->edges[i]->atom, a))
			return n->edges[i];
	return NULL;
}

static void free_node(struct dpf_trie *t, struct dpf_node *n)
{
	const struct dpf_env *env = &t->env;

	dpf_chain_release(t, n);
	dpf_free(env, n->edges, n->cedges * sizeof(*n->edges));
	dpf_free(env, n->groups, n->cgroups * sizeof(*n->groups));
	dpf_free(env, n->acc, n->cacc * sizeof(*n->acc));
	dpf_free(env, n, sizeof(*n));
	t->nnodes--;
}

static void drop_group(struct dpf_trie *t, struct dpf_group *g)
{
	struct dpf_node *p = g->parent;

	for (uint32_t i = 0; i < p->ngroups; i++) {
		if (p->groups[i] == g) {
			remove_at(&t->env, (void **)&p->groups, &p->ngroups,
				  &p->cgroups, i, sizeof(g));
			break;
		}
	}
	dpf_map_free(&t->env, &g->kids);
	dpf_free(&t->env, g->flat, g->cflat * sizeof(*g->flat)); /* empty */
	dpf_free(&t->env, g->other, g->cother * sizeof(*g->other));
	dpf_free(&t->env, g, sizeof(*g));
}

/* Group for atom a under n, created if need be (*created says so). */
static struct dpf_group *get_group(struct dpf_trie *t, struct dpf_node *n,
				   const struct dpf_atom *a, int *created)
{
	struct dpf_group *g = find_group(n, a);

	*created = 0;
	if (g)
		return g;
	if (grow(&t->env, (void **)&n->groups, &n->cgroups, n->ngroups,
		 sizeof(g)))
		return NULL;
	g = dpf_alloc(&t->env, sizeof(*g));
	if (!g)
		return NULL;
	dpf_memset(g, 0, sizeof(*g));
	g->parent = n;
	g->key = *a;
	g->key.value = 0;
	n->groups[n->ngroups++] = g;
	*created = 1;
	return g;
}

static struct dpf_node *add_child(struct dpf_trie *t, struct dpf_node *n,
				  const struct dpf_atom *a)
{
	struct dpf_node *c = dpf_alloc(&t->env, sizeof(*c));
	int created;

	if (!c)
		return NULL;
	dpf_memset(c, 0, sizeof(*c));
	c->parent = n;
	c->atom = *a;
	t->nnodes++;
	if (dpf_atom_is_eq(a)) {
		struct dpf_group *g = get_group(t, n, a, &created);

		if (g && dpf_map_put(&t->env, &g->kids, a->value, c) == 0) {
			c->in_group = g;
			return c;
		}
		if (g && created)
			drop_group(t, g);
	} else if (grow(&t->env, (void **)&n->edges, &n->cedges, n->nedges,
			sizeof(c)) == 0) {
		n->edges[n->nedges++] = c;
		return c;
	}
	free_node(t, c);
	return NULL;
}

static void detach(struct dpf_trie *t, struct dpf_node *c)
{
	struct dpf_node *p = c->parent;

	if (c->in_group) {
		dpf_map_del(&t->env, &c->in_group->kids, c->atom.value);
		if (c->in_group->kids.n == 0)
			drop_group(t, c->in_group);
		return;
	}
	for (uint32_t i = 0; i < p->nedges; i++) {
		if (p->edges[i] == c) {
			remove_at(&t->env, (void **)&p->edges, &p->nedges,
				  &p->cedges, i, sizeof(c));
			return;
		}
	}
}

/* Free n and its ancestors for as long as they are useless, then bring
 * the chain summaries of the survivors up to date. */
static void prune(struct dpf_trie *t, struct dpf_node *n)
{
	while (n != &t->root && !n->nacc && !n->nedges && !n->ngroups) {
		struct dpf_node *p = n->parent;

		dpf_chain_release(t, n);  /* while its group still exists */
		detach(t, n);
		free_node(t, n);
		n = p;
	}
	dpf_chain_update_up(t, n);
}

static void drop_accept(struct dpf_trie *t, struct dpf_node *n, uint32_t id)
{
	for (uint32_t i = 0; i < n->nacc; i++) {
		if (n->acc[i].id == id) {
			remove_at(&t->env, (void **)&n->acc, &n->nacc,
				  &n->cacc, i, sizeof(*n->acc));
			break;
		}
	}
	prune(t, n);
}

/* The canonical order of CMP atoms that read with the same base. */
static int canon_before(const struct dpf_atom *a, const struct dpf_atom *b)
{
	if (a->offset != b->offset)
		return a->offset < b->offset;
	if (a->width != b->width)
		return a->width < b->width;
	if (a->flags != b->flags)
		return a->flags < b->flags;
	if (a->mask != b->mask)
		return a->mask < b->mask;
	if (a->cmp != b->cmp)
		return a->cmp < b->cmp;
	return a->value < b->value;
}

/*
 * Copy a path into t->scratch with every run of CMP atoms between two
 * SHIFT/ADVANCE atoms sorted into one canonical order (by offset first).
 * The CMP atoms of a run read with the same base and have no effect but
 * their verdict, so a path accepts exactly the same packets in any order
 * of them, and has the same length. The trie is then the same whatever
 * order a translator wrote the tests in, and per-connection filters
 * (ethertype 12, protocol 23, source 26, destination 30) branch on the
 * source address, the field with the most values on a server, first.
 */
static const struct dpf_atom *canonical(struct dpf_trie *t,
					const struct dpf_atom *atoms,
					uint32_t n)
{
	struct dpf_atom *out = t->scratch;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t j = i;

		out[i] = atoms[i];
		if (atoms[i].op != DPF_OP_CMP)
			continue;
		/* Insertion sort within the current run (stable). */
		while (j > 0 && out[j - 1].op == DPF_OP_CMP &&
		       canon_before(&out[j], &out[j - 1])) {
			struct dpf_atom tmp = out[j];

			out[j] = out[j - 1];
			out[j - 1] = tmp;
			j--;
		}
	}
	return out;
}

static struct dpf_node *insert_path(struct dpf_trie *t,
				    const struct dpf_atom *path, uint32_t n,
				    uint32_t id, uint32_t owner)
{
	const struct dpf_atom *atoms = canonical(t, path, n);
	struct dpf_node *cur = &t->root;

	for (uint32_t i = 0; i < n; i++) {
		struct dpf_node *c = find_child(cur, &atoms[i]);

		if (!c)
			c = add_child(t, cur, &atoms[i]);
		if (!c) {
			prune(t, cur);
			return NULL;
		}
		cur = c;
	}
	if (grow(&t->env, (void **)&cur->acc, &cur->cacc, cur->nacc,
		 sizeof(*cur->acc))) {
		prune(t, cur);
		return NULL;
	}
	cur->acc[cur->nacc].id = id;
	cur->acc[cur->nacc].owner = owner;
	cur->acc[cur->nacc].len = n;
	cur->nacc++;
	dpf_chain_update_up(t, cur);
	return cur;
}

static size_t rec_size(uint32_t npaths)
{
	return sizeof(struct dpf_rec) + npaths * sizeof(struct dpf_node *);
}

static int check_insert(struct dpf_trie *t, const struct dpf_filter *f,
			uint32_t id, uint32_t owner, uint32_t flags,
			struct dpf_error *err)
{
	int rc;

	if (!t || !f)
		return dpf_fail(err, DPF_E_INVAL, -1, -1, "no trie or filter");
	if (id == DPF_NO_MATCH)
		return dpf_fail(err, DPF_E_INVAL, -1, -1,
				"filter id 0 is reserved for \"no match\"");
	if (flags & ~(uint32_t)DPF_INS_OVERLAP_OK)
		return dpf_fail(err, DPF_E_INVAL, -1, -1,
				"unknown insert flags 0x%x",
				flags & ~(uint32_t)DPF_INS_OVERLAP_OK);
	rc = dpf_check_filter(f, err);
	if (rc)
		return rc;
	if (dpf_map_get(&t->filters, id))
		return dpf_fail(err, DPF_E_EXISTS, -1, -1,
				"filter id %u is already installed", id);
	if (!(flags & DPF_INS_OVERLAP_OK))
		return dpf_overlap_check(t, f, owner, err);
	return 0;
}

int dpf_trie_insert(struct dpf_trie *t, const struct dpf_filter *f,
		    uint32_t id, uint32_t owner, uint32_t flags,
		    struct dpf_error *err)
{
	const struct dpf_atom *a;
	struct dpf_rec *r;
	uint32_t p;
	int rc;

	dpf_ok(err);
	rc = check_insert(t, f, id, owner, flags, err);
	if (rc)
		return rc;
	r = dpf_alloc(&t->env, rec_size(f->npaths));
	if (!r)
		goto nomem;
	r->id = id;
	r->owner = owner;
	r->npaths = f->npaths;
	for (p = 0, a = f->atoms; p < f->npaths; a += f->natoms[p++]) {
		r->leaf[p] = insert_path(t, a, f->natoms[p], id, owner);
		if (!r->leaf[p])
			goto undo;
	}
	if (dpf_map_put(&t->env, &t->filters, id, r) == 0)
		return 0;
undo:
	while (p--)
		drop_accept(t, r->leaf[p], id);
	dpf_free(&t->env, r, rec_size(f->npaths));
nomem:
	return dpf_fail(err, DPF_E_NOMEM, -1, -1,
			"out of memory inserting filter %u", id);
}

int dpf_trie_delete(struct dpf_trie *t, uint32_t id)
{
	struct dpf_rec *r = t ? dpf_map_del(&t->env, &t->filters, id) : NULL;

	if (!r)
		return DPF_E_NOENT;
	/* A node holding an accept is never pruned, so every leaf stays valid
	 * until its own accept goes, whatever the order. */
	for (uint32_t p = r->npaths; p--;)
		drop_accept(t, r->leaf[p], id);
	dpf_free(&t->env, r, rec_size(r->npaths));
	return 0;
}

int dpf_trie_rekey(struct dpf_trie *t, uint32_t id, uint32_t nid,
		   uint32_t nowner)
{
	struct dpf_rec *r;

	if (!t || nid == DPF_NO_MATCH)
		return DPF_E_INVAL;
	if (!dpf_map_get(&t->filters, id))
		return DPF_E_NOENT;
	if (dpf_map_get(&t->filters, nid))
		return DPF_E_EXISTS;
	r = dpf_map_rekey(&t->filters, id, nid);
	r->id = nid;
	r->owner = nowner;
	/* The id is part of every accept key (ties go to the lower id), and
	 * the chain summaries above a leaf cache the best key: refresh them.
	 * The trie's shape does not change, so nothing is allocated. */
	for (uint32_t p = 0; p < r->npaths; p++) {
		struct dpf_node *n = r->leaf[p];

		for (uint32_t i = 0; i < n->nacc; i++) {
			if (n->acc[i].id == id) {
				n->acc[i].id = nid;
				n->acc[i].owner = nowner;
			}
		}
		dpf_chain_rekey_up(t, n);
	}
	return 0;
}

size_t dpf_trie_count(const struct dpf_trie *t)
{
	return t ? t->filters.n : 0;
}

struct dpf_trie *dpf_trie_create(const struct dpf_env *env)
{
	struct dpf_trie *t;

	if (!env || !env->alloc || !env->free)
		return NULL;
	t = env->alloc(env->ctx, sizeof(*t));
	if (!t)
		return NULL;
	dpf_memset(t, 0, sizeof(*t));
	t->env = *env;
	return t;
}

static void destroy_subtree(struct dpf_trie *t, struct dpf_node *n)
{
	for (uint32_t i = 0; i < n->nedges; i++) {
		destroy_subtree(t, n->edges[i]);
		free_node(t, n->edges[i]);
	}
	n->nedges = 0;
	while (n->ngroups) {
		struct dpf_group *g = n->groups[n->ngroups - 1];

		for (uint32_t s = 0; s < dpf_map_cap(&g->kids); s++) {
			struct dpf_node *c = g->kids.slots[s].val;

			if (!g->kids.slots[s].used)
				continue;
			destroy_subtree(t, c);
			free_node(t, c);
		}
		drop_group(t, g);
	}
}

void dpf_trie_destroy(struct dpf_trie *t)
{
	struct dpf_env env;

	if (!t)
		return;
	destroy_subtree(t, &t->root);
	for (uint32_t s = 0; s < dpf_map_cap(&t->filters); s++) {
		struct dpf_rec *r = t->filters.slots[s].val;

		if (t->filters.slots[s].used)
			dpf_free(&t->env, r, rec_size(r->npaths));
	}
	dpf_map_free(&t->env, &t->filters);
	dpf_map_free(&t->env, &t->shapes);  /* empty by now */
	dpf_free(&t->env, t->root.edges, t->root.cedges * sizeof(void *));
	dpf_free(&t->env, t->root.groups, t->root.cgroups * sizeof(void *));
	dpf_free(&t->env, t->root.acc, t->root.cacc * sizeof(*t->root.acc));
	env = t->env;
	dpf_free(&env, t, sizeof(*t));
}

uint64_t dpf_node_best(const struct dpf_node *n)
{
	uint64_t best = 0;

	for (uint32_t i = 0; i < n->nacc; i++) {
		uint64_t k = dpf_accept_key(n->acc[i].len, n->acc[i].id);

		if (k > best)
			best = k;
	}
	return best;
}
