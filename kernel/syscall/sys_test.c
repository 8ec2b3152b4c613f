/* test_ctl: hooks for the integration tests, on a test boot only. */
#include <boot/boot.h>
#include <env/env.h>
#include <env/revoke.h>
#include <exo/resource.h>
#include <kernel/syscall_table.h>
#include <syscall/syscall.h>
#include <test/check.h>

int64_t sys_test_ctl(uint64_t op, uint64_t a, uint64_t b, uint64_t c)
{
	struct env *self = env_current(), *victim;

	if (boot_test() == NULL || !(self->caps & EXO_CAP_TEST))
		return -EXO_EPERM;
	switch (op) {
	case EXO_TEST_CHECK:
		return check_consistency() == 0 ? 0 : -EXO_EINVAL;
	case EXO_TEST_REVOKE:
		if (decode_env(a, &victim) != 0)
			return -EXO_ESRCH;
		if (handle_get(&victim->ht, (int64_t)b, H_ANY) == NULL)
			return -EXO_EBADF;
		if (c == 0 || c > REVOKE_MAX_TICKS)
			return -EXO_EINVAL;
		return revoke_request(victim, (int)b, c);
	default:
		return -EXO_EINVAL;
	}
}
