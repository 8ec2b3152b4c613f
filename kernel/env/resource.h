/*
 * Resources by physical name (exo/resource.h): binding a name to an env,
 * releasing a handle (voluntarily, by force, or at exit), and handing a
 * handle to an embryo child. Type-specific work is in mm/page.c (pages)
 * and sched/sched.c (slices); this file is the one switch over types, so
 * the NIC rings and filters of the network issue slot in here.
 */
#ifndef ENV_RESOURCE_H
#define ENV_RESOURCE_H

#include <stdint.h>

struct env;

enum release_why {
	RELEASE_VOLUNTARY,   /* revoke_resource() */
	RELEASE_FORCED,      /* the abort protocol: recorded as a repossession */
	RELEASE_EXIT,        /* the env is dying */
};

/* Bind `name` to e: a handle >= 0 or -EXO_E*. name is fully checked. */
int resource_bind(struct env *e, int64_t name);

/* Release e's handle h. -EXO_EBADF if h is not one of e's handles. */
int resource_release(struct env *e, int64_t h, int why);

/* Move e's handle h to the embryo `to`: to's new handle, or -EXO_E*. */
int resource_transfer(struct env *e, int64_t h, struct env *to);

#endif /* ENV_RESOURCE_H */
