/* exit and env_self. */
#include <env/env.h>
#include <kernel/syscall_table.h>

int64_t sys_exit(uint64_t status)
{
	env_exit((int)status);
}

int64_t sys_env_self(void)
{
	return env_current()->id;
}
