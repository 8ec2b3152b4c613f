#include <string.h>

#include <arch/paging.h>
#include <env/env.h>
#include <env/grant.h>
#include <exo/errno.h>
#include <exo/resource.h>
#include <mm/book.h>
#include <mm/page.h>
#include <mm/phys.h>
#include <mm/pmem.h>
#include <console/console.h>

static uint64_t any_hint;
static uint16_t *mapcount;   /* user mappings of each frame, all envs */

void page_init(void)
{
	uint64_t bytes = frame_owner.nframes * sizeof(uint16_t);
	uint64_t pa = pmem_alloc_contig((bytes + PAGE_SIZE - 1) / PAGE_SIZE);

	if (pa == 0)
		panic("page: no memory for the mapping counts");
	mapcount = pa2va(pa);
}

uint16_t page_mapcount(uint64_t frame)
{
	return frame < frame_owner.nframes ? mapcount[frame] : 0;
}

void page_unmap_all(struct env *e, uint64_t frame)
{
	if (mapcount[frame] == 0)
		return;   /* the common case: the libOS unmapped it first */
	mapcount[frame] -= (uint16_t)uvm_unmap_frame(&e->as, frame * PAGE_SIZE);
}

/* init (the first env, no parent) is the one env that may bind the initrd. */
static int may_bind_initrd(const struct env *e)
{
	return e->id == 1 && e->parent == NULL;
}

static int bind_free(struct env *e, uint64_t frame, int *h)
{
	int k = handle_alloc(&e->ht, H_PAGE, (uint32_t)frame, 0, 0);

	if (k < 0)
		return -EXO_ENOMEM;
	if (pmem_take(frame) != 0) {
		handle_free(&e->ht, k);
		return -EXO_EBUSY;   /* raced with a kernel allocation: not free after all */
	}
	/* The previous owner's data must not leak to the next. */
	pmem_zero(frame * PAGE_SIZE, 1);
	owner_set(&frame_owner, frame, env_tag(e));
	e->bk->pages++;
	*h = k;
	return 0;
}

static int bind_initrd(struct env *e, uint64_t frame, int *h)
{
	int k = handle_alloc(&e->ht, H_PAGE, (uint32_t)frame, HF_RO | HF_NOEXEC, 0);

	if (k < 0)
		return -EXO_ENOMEM;
	owner_move(&frame_owner, frame, EXO_OWNER_INITRD, env_tag(e));
	e->bk->pages++;
	*h = k;
	return 0;
}

static int bind_granted(struct env *e, uint64_t frame, uint16_t owner, int *h)
{
	struct grant *g = grant_find((uint32_t)frame, e);

	if (g == NULL)
		return -EXO_EBUSY;
	if (g->handle >= 0)
		return -EXO_EEXIST;
	int k = handle_alloc(&e->ht, H_PAGE_GRANT, (uint32_t)frame,
			     (g->perm & EXO_PERM_W ? 0 : HF_RO) | HF_NOEXEC, owner);
	if (k < 0)
		return -EXO_ENOMEM;
	g->handle = k;
	*h = k;
	return 0;
}

int page_bind(struct env *e, uint64_t frame, int *h)
{
	if (frame >= frame_owner.nframes)
		return -EXO_EINVAL;
	uint16_t o = owner_get(&frame_owner, frame);
	if (o == env_tag(e))
		return -EXO_EEXIST;
	if (o == EXO_OWNER_FREE)
		return bind_free(e, frame, h);
	if (o == EXO_OWNER_INITRD)
		return may_bind_initrd(e) ? bind_initrd(e, frame, h) : -EXO_EPERM;
	if (o == EXO_OWNER_KERNEL)
		return -EXO_EPERM;
	return bind_granted(e, frame, o, h);
}

int page_bind_any(struct env *e, int *h)
{
	uint64_t n = frame_owner.nframes;

	for (uint64_t k = 0; k < n; k++) {
		uint64_t f = (any_hint + k) % n;
		if (owner_get(&frame_owner, f) == EXO_OWNER_FREE &&
		    bind_free(e, f, h) == 0) {
			any_hint = f + 1;
			return 0;
		}
	}
	return -EXO_ENOMEM;
}

void page_release(struct env *e, int h)
{
	uint64_t frame = e->ht.h[h].name;

	page_unmap_all(e, frame);
	grant_drop_frame((uint32_t)frame);
	owner_move(&frame_owner, frame, env_tag(e), EXO_OWNER_FREE);
	pmem_give(frame);
	handle_free(&e->ht, h);
	e->bk->pages--;
}

void page_unbind_grant(struct env *e, int h)
{
	uint32_t frame = e->ht.h[h].name;
	struct grant *g = grant_find(frame, e);

	page_unmap_all(e, frame);
	if (g)
		g->handle = -1;
	handle_free(&e->ht, h);
}

int page_map(struct env *e, int64_t h, uint64_t va, uint64_t perm)
{
	struct handle *hd = handle_get(&e->ht, h, H_ANY);

	if (hd == NULL || (hd->type != H_PAGE && hd->type != H_PAGE_GRANT))
		return -EXO_EBADF;
	if (perm & ~(uint64_t)EXO_PERM_ALL)
		return -EXO_EINVAL;
	if (!uvm_va_ok(va))
		return -EXO_EINVAL;
	if (((perm & EXO_PERM_W) && (hd->flags & HF_RO)) ||
	    ((perm & EXO_PERM_X) && (hd->flags & HF_NOEXEC)))
		return -EXO_EPERM;
	if (mapcount[hd->name] == UINT16_MAX)
		return -EXO_ENOMEM;   /* 65535 aliases of one page are plenty */
	int err = uvm_map(&e->as, va, (uint64_t)hd->name * PAGE_SIZE, (unsigned)perm);
	if (err == 0)
		mapcount[hd->name]++;
	return err;
}

int page_unmap(struct env *e, uint64_t va)
{
	uint64_t pa;

	if (!uvm_va_ok(va))
		return -EXO_EINVAL;
	int err = uvm_unmap(&e->as, va, &pa);
	if (err == 0)
		mapcount[pa / PAGE_SIZE]--;
	return err;
}

int page_transfer(struct env *e, int h, struct env *to)
{
	uint32_t frame = e->ht.h[h].name;
	uint8_t flags = e->ht.h[h].flags;
	int k = handle_alloc(&to->ht, H_PAGE, frame, flags, 0);

	if (k < 0)
		return -EXO_ENOMEM;
	page_unmap_all(e, frame);
	grant_drop_frame(frame);
	owner_move(&frame_owner, frame, env_tag(e), env_tag(to));
	handle_free(&e->ht, h);
	e->bk->pages--;
	to->bk->pages++;
	return k;
}
