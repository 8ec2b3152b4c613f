/*
 * CPU roles: spinners counting their progress, infinite loops (one that
 * ignores its epilogue, one with no handlers at all) that keep x87/SSE
 * state live across forced preemptions, and a directed-yield ping-pong.
 */
#include <exo/book.h>

#include "exotest.h"

static void count_prologue(uint64_t slice)
{
	(void)slice;   /* counted by the dispatcher */
}

/*
 * Count loop iterations between two ticks; report the count and the
 * slice upcalls seen (prologues << 32 | epilogues) to the parent.
 */
int role_spin(int argc, char **argv)
{
	uint64_t start = (uint64_t)arg_num(argc, argv, "start", 0);
	uint64_t end = (uint64_t)arg_num(argc, argv, "end", 0);
	const volatile uint64_t *ticks = &exo_book()->ticks;
	uint64_t count = 0;

	libos_handlers.prologue = count_prologue;
	sys_bind_signal(EXO_SIG_PROLOGUE, (void *)libos_upcall_entry);
	while (*ticks < start)
		;
	while (*ticks < end)
		count++;
	uint64_t slices = libos_upcall_counts[EXO_SIG_PROLOGUE] << 32 |
			  (libos_upcall_counts[EXO_SIG_EPILOGUE] & 0xffffffff);
	return send_retry(book_parent_id(), count, slices) == 0 ? 0 : 1;
}

static int refuse_epilogue(uint64_t slice)
{
	(void)slice;
	return 0;   /* keep running: the kernel must preempt by force */
}

/*
 * Count in a double and an integer forever; if the x87/SSE registers were
 * not saved across a preemption by the other looper, they part ways.
 */
static int loop_forever(void)
{
	double d = 0.0;
	uint64_t i = 0;

	for (;;) {
		__asm__ volatile("" : "+x"(d));
		d += 1.0;
		i++;
		if (d != (double)i) {
			printf("exotest: %s: x87/SSE state lost after %lu rounds\n", exotest_role,
			       (unsigned long)i);
			return 1;
		}
	}
}

int role_loop(int argc, char **argv)
{
	(void)argc, (void)argv;
	libos_handlers.epilogue = refuse_epilogue;
	return loop_forever();
}

int role_loop_bare(int argc, char **argv)
{
	(void)argc, (void)argv;
	sys_bind_signal(EXO_SIG_EPILOGUE, 0);
	sys_bind_signal(EXO_SIG_REVOC_REQ, 0);
	sys_bind_signal(EXO_SIG_EXC, 0);
	return loop_forever();
}

int role_ping(int argc, char **argv)
{
	int failures = 0;
	long peer = arg_num(argc, argv, "peer", 0);
	const struct exo_book_env *pe = book_env(peer);
	const int n = 1000;
	int exact = 0;

	CHECK(sys_yield(99999) == -EXO_ESRCH, "yield to nobody\n");
	CHECK(sys_yield(0) == 0 && sys_yield(sys_env_self()) == 0, "plain yield\n");
	CHECK(sys_yield(book_parent_id()) == -EXO_EAGAIN || book_parent_id() < 0,
	      "yield to a blocked env\n");
	send_retry(peer, 0, 0);   /* pong learns who to yield back to */
	for (int i = 0; i < n; i++) {
		uint64_t r0 = pe->runs;
		long r = sys_yield(peer);
		if (r == 0 && pe->runs == r0 + 1)
			exact++;
	}
	printf("exotest: ping: %d of %d directed yields ran the peer exactly once before returning\n",
	       exact, n);
	CHECK(exact >= n * 95 / 100, "only %d exact hand-offs\n", exact);
	return failures;
}

int role_pong(int argc, char **argv)
{
	(void)argc, (void)argv;
	uint64_t m[3];

	ipc_wait(m);
	while (sys_yield((long)m[0]) == 0)
		;
	return 0;   /* ping is gone */
}
