/*
 * Grants: the owner of a page lets one other env use it, read-only or
 * read-write, until it withdraws the grant. The grantee binds the page by
 * its name (bind_resource(frame) succeeds because of the grant) and maps
 * it like its own; withdrawing the grant, releasing the page or the
 * owner's death unmaps it from the grantee at once.
 */
#ifndef ENV_GRANT_H
#define ENV_GRANT_H

#include <stdint.h>

struct env;

#define NGRANT 256

struct grant {
	uint32_t frame;
	struct env *owner, *grantee;
	uint8_t perm;       /* EXO_PERM_R or EXO_PERM_W */
	int handle;         /* grantee's H_PAGE_GRANT handle; -1: not bound */
	int used;
};

/* Grant `grantee` perm on owner's frame. -EXO_EEXIST, -EXO_EAGAIN (full). */
int grant_add(struct env *owner, uint32_t frame, struct env *grantee, uint8_t perm);

/* Withdraw; -EXO_ENOENT if there is no such grant. */
int grant_remove(struct env *owner, uint32_t frame, struct env *grantee);

/* The grant of frame to grantee, or NULL. */
struct grant *grant_find(uint32_t frame, const struct env *grantee);

/* Withdraw every grant of frame (it is being released or given away). */
void grant_drop_frame(uint32_t frame);

/* Forget grants held by e (it is dying); its own frames go by page_release. */
void grant_drop_env(struct env *e);

/* For the consistency check. */
const struct grant *grant_table(void);

#endif /* ENV_GRANT_H */
