/* cputs: console output for envs. */
#include <console/console.h>
#include <env/env.h>
#include <kernel/syscall_table.h>
#include <mm/usercopy.h>

#define CHUNK 256

int64_t sys_cputs(uint64_t buf, uint64_t len)
{
	struct env *e = env_current();
	char tmp[CHUNK];

	/* Also bounds len by EXO_USER_TOP, so the result fits an int64_t. */
	if (user_check(&e->as, buf, len, 0) != 0)
		return -EXO_EFAULT;
	for (uint64_t done = 0; done < len;) {
		uint64_t n = len - done < CHUNK ? len - done : CHUNK;
		copy_from_user(&e->as, tmp, buf + done, n);  /* checked above */
		console_write(tmp, n);
		done += n;
	}
	return (int64_t)len;
}
