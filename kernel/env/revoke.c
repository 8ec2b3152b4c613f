#include <stddef.h>

#include <env/env.h>
#include <env/resource.h>
#include <env/revoke.h>
#include <exo/errno.h>
#include <sched/sched.h>
#include <time/timer.h>

/*
 * The deadline runs from the moment the owner is told (the upcall is
 * entered), not from the demand: on a loaded host the tick counter can
 * outrun the slices the owner gets, and a deadline counted from the
 * demand could pass before the owner ever saw the request. Until it is
 * told, a request expires REVOKE_DELIVERY_MAX ticks after the demand's
 * own deadline (an owner with a handler that never runs), or at the
 * demand's deadline for an owner without a handler, who is never told.
 */
struct revreq {
	struct env *victim;    /* NULL: slot unused */
	int handle;
	uint32_t name;
	uint64_t ticks;        /* the grace period asked for */
	uint64_t deadline;     /* from the demand until announced, then from the upcall */
	int announced;
};

static struct revreq reqs[NREVOKE];
static unsigned active;

static struct revreq *find(const struct env *e, int h)
{
	for (int i = 0; i < NREVOKE; i++)
		if (reqs[i].victim == e && reqs[i].handle == h)
			return &reqs[i];
	return NULL;
}

int revoke_request(struct env *victim, int h, uint64_t ticks)
{
	struct handle *hd = handle_get(&victim->ht, h, H_ANY);

	if (hd == NULL)
		return -EXO_EBADF;
	if (find(victim, h))
		return -EXO_EEXIST;
	for (int i = 0; i < NREVOKE; i++) {
		if (reqs[i].victim)
			continue;
		reqs[i] = (struct revreq){ victim, h, hd->name, ticks,
					   timer_ticks() + ticks, 0 };
		active++;
		sched_interrupt(victim);   /* a blocked owner must see it in time */
		return 0;
	}
	return -EXO_EAGAIN;
}

void revoke_resolved(struct env *e, int h, int in_time)
{
	struct revreq *r = find(e, h);

	if (r == NULL)
		return;
	if (in_time)
		e->bk->revoked_coop++;
	r->victim = NULL;
	active--;
}

void revoke_tick(uint64_t now)
{
	if (active == 0)
		return;
	for (int i = 0; i < NREVOKE; i++) {
		struct revreq *r = &reqs[i];
		if (r->victim == NULL)
			continue;
		uint64_t due = r->deadline;
		if (!r->announced && r->victim->sig[EXO_SIG_REVOC_REQ])
			due += REVOKE_DELIVERY_MAX;   /* not told yet: wait for it to run */
		if ((int64_t)(now - due) < 0)
			continue;
		/* The handle still names what was asked for: take it. */
		struct handle *hd = handle_get(&r->victim->ht, r->handle, H_ANY);
		if (hd && hd->name == r->name)
			resource_release(r->victim, r->handle, RELEASE_FORCED);
		if (r->victim) {
			r->victim = NULL;
			active--;
		}
	}
}

int revoke_has_pending(const struct env *e)
{
	if (active == 0)
		return 0;
	for (int i = 0; i < NREVOKE; i++)
		if (reqs[i].victim == e && !reqs[i].announced)
			return 1;
	return 0;
}

int revoke_take_pending(struct env *e, uint64_t *h, uint64_t *name,
			uint64_t *deadline)
{
	for (int i = 0; i < NREVOKE; i++) {
		struct revreq *r = &reqs[i];
		if (r->victim != e || r->announced)
			continue;
		r->announced = 1;
		r->deadline = timer_ticks() + r->ticks;
		*h = (uint64_t)r->handle;
		*name = r->name;
		*deadline = r->deadline;
		return 1;
	}
	return 0;
}

void revoke_drop_env(struct env *e)
{
	for (int i = 0; i < NREVOKE; i++)
		if (reqs[i].victim == e) {
			reqs[i].victim = NULL;
			active--;
		}
}
