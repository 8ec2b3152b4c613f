#include <stddef.h>

#include <arch/paging.h>
#include <env/env.h>
#include <env/grant.h>
#include <exo/errno.h>
#include <mm/page.h>

static struct grant grants[NGRANT];
static unsigned active;   /* grants in use: most frames have none */

struct grant *grant_find(uint32_t frame, const struct env *grantee)
{
	if (active == 0)
		return NULL;
	for (int i = 0; i < NGRANT; i++)
		if (grants[i].used && grants[i].frame == frame &&
		    grants[i].grantee == grantee)
			return &grants[i];
	return NULL;
}

int grant_add(struct env *owner, uint32_t frame, struct env *grantee, uint8_t perm)
{
	if (grant_find(frame, grantee))
		return -EXO_EEXIST;
	for (int i = 0; i < NGRANT; i++) {
		if (grants[i].used)
			continue;
		grants[i] = (struct grant){ frame, owner, grantee, perm, -1, 1 };
		active++;
		return 0;
	}
	return -EXO_EAGAIN;
}

/* Take the page away from the grantee, then forget the grant. */
static void drop(struct grant *g)
{
	struct env *e = g->grantee;

	page_unmap_all(e, g->frame);
	if (g->handle >= 0)
		handle_free(&e->ht, g->handle);
	g->used = 0;
	active--;
}

int grant_remove(struct env *owner, uint32_t frame, struct env *grantee)
{
	struct grant *g = grant_find(frame, grantee);

	if (g == NULL || g->owner != owner)
		return -EXO_ENOENT;
	drop(g);
	return 0;
}

void grant_drop_frame(uint32_t frame)
{
	if (active == 0)
		return;
	for (int i = 0; i < NGRANT; i++)
		if (grants[i].used && grants[i].frame == frame)
			drop(&grants[i]);
}

void grant_drop_env(struct env *e)
{
	for (int i = 0; i < NGRANT; i++)
		if (grants[i].used && grants[i].grantee == e) {
			grants[i].used = 0;   /* its handles and tables go with it */
			active--;
		}
}

const struct grant *grant_table(void)
{
	return grants;
}
