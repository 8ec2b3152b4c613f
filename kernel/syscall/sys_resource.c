/*
 * Resources by name: bind_resource, revoke_resource, resource_transfer,
 * page_grant, revoke_demand. Each decodes every argument, then invokes.
 */
#include <env/env.h>
#include <env/grant.h>
#include <env/resource.h>
#include <env/revoke.h>
#include <exo/resource.h>
#include <kernel/syscall_table.h>
#include <mm/book.h>
#include <net/netres.h>
#include <sched/sched.h>
#include <syscall/syscall.h>

int64_t sys_bind_resource(uint64_t name)
{
	return resource_bind(env_current(), (int64_t)name);
}

int64_t sys_revoke_resource(uint64_t handle)
{
	return resource_release(env_current(), (int64_t)handle, RELEASE_VOLUNTARY);
}

int64_t sys_resource_transfer(uint64_t handle, uint64_t env)
{
	struct env *self = env_current(), *to;

	if (handle_get(&self->ht, (int64_t)handle, H_ANY) == NULL)
		return -EXO_EBADF;
	if (env == 0 || env_target(self, (int64_t)env, &to) != 0 || to == self)
		return -EXO_ESRCH;
	return resource_transfer(self, (int64_t)handle, to);
}

int64_t sys_page_grant(uint64_t handle, uint64_t env, uint64_t perm)
{
	struct env *self = env_current(), *to;
	struct handle *hd = handle_get(&self->ht, (int64_t)handle, H_PAGE);

	if (hd == NULL)
		return -EXO_EBADF;
	if (decode_env(env, &to) != 0 || to == self)
		return -EXO_ESRCH;
	if (perm != EXO_PERM_R && perm != EXO_PERM_W && perm != EXO_GRANT_NONE)
		return -EXO_EINVAL;
	if (perm == EXO_PERM_W && (hd->flags & HF_RO))
		return -EXO_EPERM;
	if (perm == EXO_GRANT_NONE)
		return grant_remove(self, hd->name, to);
	return grant_add(self, hd->name, to, (uint8_t)perm);
}

/* Who holds `name`, and under which handle. */
static int decode_holder(uint64_t name, struct env **victim, int *h)
{
	if (name > UINT32_MAX)
		return -EXO_EINVAL;
	uint32_t idx = EXO_NAME_INDEXOF(name);
	uint16_t tag;
	uint8_t type;

	switch (EXO_NAME_TYPEOF(name)) {
	case EXO_RES_PAGE:
		if (idx >= frame_owner.nframes)
			return -EXO_EINVAL;
		tag = owner_get(&frame_owner, idx);
		type = H_PAGE;
		break;
	case EXO_RES_SLICE:
		if (idx >= EXO_NSLICE)
			return -EXO_EINVAL;
		tag = slice_owner(&slices, idx);
		type = H_SLICE;
		break;
	case EXO_RES_RING:     /* packet rings and filters: net/netres.h */
	case EXO_RES_FILTER: {
		int t = netres_owner((uint32_t)name);
		if (t < 0)
			return -EXO_EINVAL;
		tag = (uint16_t)t;
		type = EXO_NAME_TYPEOF(name) == EXO_RES_RING ? H_RING : H_FILTER;
		break;
	}
	default:
		return -EXO_EINVAL;
	}
	*victim = env_from_tag(tag);
	if (*victim == NULL)
		return -EXO_ENOENT;   /* free, or the kernel's */
	*h = handle_find(&(*victim)->ht, type, (uint32_t)name);
	return *h < 0 ? -EXO_ENOENT : 0;
}

int64_t sys_revoke_demand(uint64_t name, uint64_t ticks)
{
	struct env *self = env_current(), *victim;
	int h;

	if (!(self->caps & EXO_CAP_RECLAIM))
		return -EXO_EPERM;
	if (ticks == 0 || ticks > REVOKE_MAX_TICKS)
		return -EXO_EINVAL;
	int err = decode_holder(name, &victim, &h);
	if (err)
		return err;
	if (victim == self)
		return -EXO_EINVAL;
	return revoke_request(victim, h, ticks);
}
