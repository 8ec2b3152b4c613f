/* Memory secure bindings: page_map and page_unmap. */
#include <env/env.h>
#include <kernel/syscall_table.h>
#include <mm/page.h>

int64_t sys_page_map(uint64_t env, uint64_t handle, uint64_t va, uint64_t perm)
{
	struct env *t;

	if (env_target(env_current(), (int64_t)env, &t) != 0)
		return -EXO_ESRCH;
	return page_map(t, (int64_t)handle, va, perm);   /* checks the rest */
}

int64_t sys_page_unmap(uint64_t env, uint64_t va)
{
	struct env *t;

	if (env_target(env_current(), (int64_t)env, &t) != 0)
		return -EXO_ESRCH;
	return page_unmap(t, va);
}
