#include <env/env.h>
#include <env/resource.h>
#include <env/revoke.h>
#include <exo/errno.h>
#include <exo/resource.h>
#include <mm/book.h>
#include <mm/page.h>
#include <net/netres.h>
#include <sched/sched.h>
#include <time/timer.h>

static int bind_slice(struct env *e, uint32_t idx)
{
	if (idx >= EXO_NSLICE)
		return -EXO_EINVAL;
	if (slice_owner(&slices, idx) == env_tag(e))
		return -EXO_EEXIST;
	int h = handle_alloc(&e->ht, H_SLICE, EXO_NAME_SLICE(idx), 0, 0);
	if (h < 0)
		return -EXO_ENOMEM;
	if (slice_bind(&slices, idx, env_tag(e)) != SLICE_OK) {
		handle_free(&e->ht, h);
		return -EXO_EBUSY;
	}
	e->bk->slices++;
	return h;
}

int resource_bind(struct env *e, int64_t name)
{
	if (name < 0 || name > (int64_t)UINT32_MAX)
		return -EXO_EINVAL;
	uint32_t idx = EXO_NAME_INDEXOF(name);
	switch (EXO_NAME_TYPEOF(name)) {
	case EXO_RES_PAGE: {
		int h, err = page_bind(e, idx, &h);
		return err ? err : h;
	}
	case EXO_RES_SLICE:
		return bind_slice(e, idx);
	default:
		return -EXO_EINVAL;   /* rings and filters: not yet */
	}
}

static void record_repossession(struct env *e, int64_t h, uint32_t name)
{
	struct exo_book_env *b = e->bk;

	b->repo[b->repo_count % EXO_REPO_MAX] =
		(struct exo_repo){ name, (uint32_t)h, timer_ticks() };
	b->repo_count++;
}

int resource_release(struct env *e, int64_t h, int why)
{
	struct handle *hd = handle_get(&e->ht, h, H_ANY);

	if (hd == NULL)
		return -EXO_EBADF;
	uint32_t name = hd->name;
	switch (hd->type) {
	case H_PAGE:
		page_release(e, (int)h);
		break;
	case H_PAGE_GRANT:
		page_unbind_grant(e, (int)h);
		break;
	case H_SLICE:
		slice_release(&slices, EXO_NAME_INDEXOF(name), env_tag(e));
		handle_free(&e->ht, h);
		e->bk->slices--;
		break;
	case H_RING:
	case H_FILTER:
		netres_release(e, (int)h);   /* packet rings and filters */
		break;
	default:
		return -EXO_EBADF;
	}
	revoke_resolved(e, (int)h, why == RELEASE_VOLUNTARY);
	if (why == RELEASE_FORCED)
		record_repossession(e, h, name);
	return 0;
}

int resource_transfer(struct env *e, int64_t h, struct env *to)
{
	struct handle *hd = handle_get(&e->ht, h, H_ANY);
	int k;

	if (hd == NULL)
		return -EXO_EBADF;
	switch (hd->type) {
	case H_PAGE:
		k = page_transfer(e, (int)h, to);
		break;
	case H_SLICE:
		k = handle_alloc(&to->ht, H_SLICE, hd->name, 0, 0);
		if (k < 0)
			return -EXO_ENOMEM;
		slice_release(&slices, EXO_NAME_INDEXOF(hd->name), env_tag(e));
		slice_bind(&slices, EXO_NAME_INDEXOF(hd->name), env_tag(to));
		handle_free(&e->ht, h);
		e->bk->slices--;
		to->bk->slices++;
		break;
	default:
		return -EXO_EINVAL;   /* a grant is not the holder's to give */
	}
	if (k >= 0)
		revoke_resolved(e, (int)h, 0);
	return k;
}
