/*
 * role=fuzz: random system calls with random arguments (seed=N,
 * calls=N). Arguments are drawn from a mix of classes (zero, small
 * integers, handle numbers, frame and slice names, user, kernel and
 * non-canonical addresses, negative and fully random values) so that
 * calls get past their first check often enough to reach the later
 * ones. A few calls are left out or tamed because they would end or
 * block the fuzzer itself (exit, poweroff, ipc_recv, env_wait, long
 * sleeps, its exception entry point), and the fuzzer does not release or unmap its
 * own program and stack: the point is to hammer the kernel, not to
 * commit suicide in the first microsecond. Whatever else happens to the
 * env is fine; init counts the calls and checks the kernel afterwards.
 */
#include <exo/book.h>
#include <exo/layout.h>
#include <exo/syscall_nr.h>

#include "exotest.h"

static uint64_t state;

/*
 * What earlier calls produced, fed back as arguments so that calls get
 * past their checks: handles that bind returned, children env_create
 * made, addresses in a region of the fuzzer's own.
 */
#define FUZZ_VA 0x0000500000000000UL
static uint64_t handles[32], children[8];
static unsigned nhandles, nchildren;
static const char child_name[] = "fz";

static uint64_t rnd(void)
{
	state ^= state << 13;   /* xorshift64 (Marsaglia 2003) */
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static uint64_t arg(void)
{
	switch (rnd() % 16) {
	case 11: return nhandles ? handles[rnd() % nhandles] : 0;
	case 12: return nchildren ? children[rnd() % nchildren] : 0;
	case 13: return FUZZ_VA + (rnd() % 64) * 4096;
	case 14: return (uint64_t)child_name;
	case 15: return rnd() % 4;   /* permissions, kinds, small counts */
	case 0: return 0;
	case 1: return rnd() % 16;
	case 2: return rnd() % (EXO_NHANDLE + 8);
	case 3: return rnd() % (exo_book()->nframes + 16);
	case 4: return EXO_NAME_SLICE(rnd() % (EXO_NSLICE + 4));
	case 5: return (rnd() % EXO_USER_TOP) & ~0xfffUL;
	case 6: return EXO_DIRECT_MAP + (rnd() % (1UL << 32));
	case 7: return (uint64_t)-(int64_t)(rnd() % 100);
	case 8: return rnd() % 80;   /* env ids */
	case 9: return 0x8000000000000000UL | rnd();
	default: return rnd();
	}
}

/*
 * Half of the time, arguments shaped for the call (a handle it holds, a
 * child of its own, an address in its region, valid permission bits), so
 * that the later checks and the success paths are exercised too.
 */
static void shape(long nr, uint64_t a[6])
{
	uint64_t h = nhandles ? handles[rnd() % nhandles] : rnd() % 16;
	uint64_t c = nchildren && rnd() % 4 ? children[rnd() % nchildren] : 0;
	uint64_t va = FUZZ_VA + (rnd() % 64) * 4096;
	static const uint64_t grant_perm[] = { EXO_PERM_R, EXO_PERM_W, EXO_GRANT_NONE };

	switch (nr) {
	case SYS_bind_resource:
		a[0] = rnd() % 4 ? rnd() % exo_book()->nframes : EXO_NAME_SLICE(rnd() % EXO_NSLICE);
		break;
	case SYS_revoke_resource: case SYS_page_grant: case SYS_resource_transfer:
		a[0] = h;
		a[1] = nr == SYS_page_grant ? rnd() % 8 : c;
		a[2] = grant_perm[rnd() % 3];
		break;
	case SYS_page_map: case SYS_page_unmap:
		a[0] = c;
		a[1] = nr == SYS_page_map ? h : va;
		a[2] = va;
		a[3] = rnd() % 4;
		break;
	case SYS_env_create:
		a[0] = (uint64_t)child_name;
		a[1] = rnd() % 2;
		break;
	case SYS_env_start: case SYS_env_destroy: case SYS_yield: case SYS_ipc_send:
		a[0] = c;
		a[1] = FUZZ_VA;
		a[2] = va + 4096;
		break;
	}
}

/* Would this call end, block or cripple the fuzzer itself? */
static int tame(long nr, uint64_t a[6], int own_handles)
{
	switch (nr) {
	case SYS_exit: case SYS_poweroff: case SYS_ipc_recv: case SYS_env_wait:
		return 1;
	case SYS_sleep:
		a[0] %= 3;
		return 0;
	case SYS_cputs:
		a[1] %= 3;   /* keep the console readable */
		return 0;
	case SYS_bind_signal:
		a[1] = rnd() % 2 ? 0 : (uint64_t)libos_upcall_entry;
		return a[0] == EXO_SIG_EXC;   /* keep the probe handler */
	case SYS_revoke_resource: case SYS_resource_transfer:
		return a[0] < (uint64_t)own_handles;
	case SYS_page_unmap:
		return a[1] < 0x10000000UL || a[1] >= EXO_USER_STACK_TOP - EXO_USER_STACK_SIZE;
	default:
		return 0;
	}
}

int role_fuzz(int argc, char **argv)
{
	long calls = arg_num(argc, argv, "calls", 10000);
	int own = (int)(book_self()->pages + book_self()->slices);
	long done = 0;

	static long ok[SYS_COUNT + 3];
	state = 0x9e3779b97f4a7c15UL ^ (uint64_t)arg_num(argc, argv, "seed", 1);
	while (done < calls) {
		long nr = (long)(rnd() % (SYS_COUNT + 3));
		uint64_t a[6];
		for (int i = 0; i < 6; i++)
			a[i] = arg();
		if (rnd() % 2)
			shape(nr, a);
		if (tame(nr, a, own))
			continue;
		long r = syscall6(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3],
				  (long)a[4], (long)a[5]);
		ok[nr] += r >= 0;
		if (r >= 0 && (nr == SYS_bind_resource || nr == SYS_resource_transfer))
			handles[nhandles++ % 32] = (uint64_t)r;
		if (r > 0 && nr == SYS_env_create)
			children[nchildren++ % 8] = (uint64_t)r;
		nhandles = nhandles > 32 ? 32 : nhandles;
		nchildren = nchildren > 8 ? 8 : nchildren;
		done++;
	}
	/* How deep the random arguments got: calls that succeeded, by kind. */
	long total = 0;
	for (int i = 0; i < SYS_COUNT + 3; i++)
		total += ok[i];
	printf("exotest: fuzz: %ld calls, %ld succeeded: bind %ld, release %ld, map %ld, "
	       "unmap %ld, grant %ld, transfer %ld, create %ld, start %ld, yield %ld, ipc %ld\n",
	       done, total, ok[SYS_bind_resource], ok[SYS_revoke_resource], ok[SYS_page_map],
	       ok[SYS_page_unmap], ok[SYS_page_grant], ok[SYS_resource_transfer],
	       ok[SYS_env_create], ok[SYS_env_start], ok[SYS_yield], ok[SYS_ipc_send]);
	return 0;
}
