/*
 * The multi-env tests, driven by init: it starts the roles of
 * apps/exotest from the initrd, plays its own part (it holds
 * EXO_CAP_RECLAIM, so it is the env that "needs" resources back), and
 * checks what the bookkeeping window shows. Every check prints what it
 * saw when it fails; each test returns its number of failures.
 */
#include <string.h>

#include <exo/book.h>
#include <fmt.h>
#include <libos/exec.h>
#include <libos/libos.h>

#include "init.h"

#define SCRATCH_VA 0x0000500000000000UL

static long ticks(void)
{
	return (long)*(const volatile uint64_t *)&exo_book()->ticks;
}

static long role(const char *r, unsigned caps, unsigned slices, const char *a,
		 const char *b, const char *c)
{
	static char buf[4][48];
	static int n;
	char *s = buf[n++ % 4];

	fmt_snprintf(s, sizeof(buf[0]), "role=%s", r);
	return spawn("exotest", caps, slices, s, a, b, c, NULL);
}

/* Bind frame, map it, check it reads as zero, write and read it back. */
static int use_frame(uint32_t frame, const char *who)
{
	int failures = 0;
	int h = bind_resource((int)EXO_NAME_PAGE(frame));

	CHECK(h >= 0, "%s: bind frame %#x: %d\n", who, frame, h);
	if (h < 0)
		return failures;
	CHECK(sys_page_map(0, h, (void *)SCRATCH_VA, EXO_PERM_W) == 0,
	      "%s: map frame %#x\n", who, frame);
	volatile uint64_t *p = (volatile uint64_t *)SCRATCH_VA;
	uint64_t nonzero = 0;
	for (int i = 0; i < 512; i++)
		nonzero |= p[i];
	CHECK(nonzero == 0, "%s: frame %#x not cleared for its new owner\n", who, frame);
	for (int i = 0; i < 512; i++)
		p[i] = 0x5a5a0000u + (uint64_t)i;
	for (int i = 0; i < 512; i++)
		if (p[i] != 0x5a5a0000u + (uint64_t)i)
			nonzero = ~0UL;
	CHECK(nonzero == 0, "%s: frame %#x does not hold what was written\n", who, frame);
	sys_page_unmap(0, (void *)SCRATCH_VA);
	CHECK(revoke_resource(h) == 0, "%s: release frame %#x\n", who, frame);
	printf("init: %s: bound, used and released frame %#x\n", who, frame);
	return failures;
}

/* Wait until frame is free (or timeout ticks pass); the tick it was seen free. */
static long wait_free(uint32_t frame, long timeout)
{
	long t0 = ticks();

	while (book_owners()[frame] != EXO_OWNER_FREE && ticks() - t0 < timeout)
		sys_sleep(1);
	return book_owners()[frame] == EXO_OWNER_FREE ? ticks() : -1;
}

int test_single(const char *name)
{
	return child_ok(role(name, 0, 1, NULL, NULL, NULL), name) ? 0 : 1;
}

int test_exec(void)
{
	int failures = 0;
	const struct exo_book *b = exo_book();

	CHECK(initrd_list() >= 3, "the initrd should hold exotest, bench, hello\n");
	CHECK(child_ok(spawn("hello", 0, 1, "greeting=first", NULL), "hello"),
	      "hello did not run\n");
	uint64_t free0 = b->free_pages;
	long id = spawn("hello", 0, 2, "greeting=second", NULL);
	CHECK(id > 0 && book_env(id) && book_env(id)->slices == 2,
	      "a child should hold the 2 slices it was given\n");
	CHECK(child_ok(id, "hello"), "hello did not run twice\n");
	CHECK(b->free_pages == free0, "a child's memory did not all come back: %lu -> %lu\n",
	      (unsigned long)free0, (unsigned long)b->free_pages);
	static const char junk[4096] = "not an ELF file";
	const char *argv[] = { "junk" };
	CHECK(exec_image(junk, sizeof(junk), argv, 1, 0, 1) < 0,
	      "exec of a non-ELF image should fail\n");
	CHECK(b->free_pages == free0, "a failed exec leaked pages\n");
	CHECK(spawn("hello", 0x80, 1, NULL) < 0, "a child cannot get a capability init lacks\n");
	uint32_t first = b->initrd_frame;
	uint64_t before = b->free_pages;
	uint32_t n = initrd_release();
	CHECK(n == b->initrd_pages && b->free_pages == before + n,
	      "releasing the initrd should free %u pages: %lu -> %lu\n", n,
	      (unsigned long)before, (unsigned long)b->free_pages);
	CHECK(book_owners()[first] == EXO_OWNER_FREE, "initrd frames are free again\n");
	printf("init: exec: initrd released, %u pages back in the free pool\n", n);
	return failures;
}

int test_isolation(void)
{
	int failures = 0;
	uint64_t m[3];
	long a = role("iso-owner", 0, 1, NULL, NULL, NULL);

	CHECK(a > 0 && ipc_wait(m) == 0 && (long)m[0] == a, "no frame from the owner\n");
	long b = role("iso-peer", 0, 1, num_arg("owner", a), num_arg("frame", (long)m[1]),
		      num_arg("va", (long)m[2]));
	CHECK(child_ok(b, "iso-peer"), "the peer failed\n");
	CHECK(child_ok(a, "iso-owner"), "the owner failed\n");
	return failures;
}

int test_revoke_coop(void)
{
	int failures = 0;
	uint64_t m[3];
	long v = role("revoke-coop", 0, 1, NULL, NULL, NULL);

	CHECK(v > 0 && ipc_wait(m) == 0, "no frame from the victim\n");
	uint32_t frame = (uint32_t)m[1];
	long slice = (long)(m[2] & 0xffffffff), slice_h = (long)(m[2] >> 32);
	long t0 = ticks();
	long err = sys_revoke_demand(frame, 200);
	CHECK(err == 0, "revoke_demand: %ld\n", err);
	/* A second demand on the same frame is refused while the first is
	 * pending; a quick victim may already have given the frame back, and
	 * then the demand is refused because the frame is free. */
	err = sys_revoke_demand(frame, 200);
	CHECK(err == -EXO_EEXIST || (err == -EXO_ENOENT && book_owners()[frame] == 0),
	      "a second demand is refused: %ld\n", err);
	/* The slice through the test hook, which names the victim's handle. */
	CHECK(sys_test_ctl(EXO_TEST_REVOKE, v, slice_h, 200) == 0, "test hook on slice %ld\n",
	      slice);
	CHECK(sys_test_ctl(EXO_TEST_REVOKE, v, 999, 200) == -EXO_EBADF, "hook, bad handle\n");
	long t1 = wait_free(frame, 2000);
	CHECK(t1 >= 0 && t1 - t0 < 200, "released after %ld ticks (deadline 200)\n", t1 - t0);
	const struct exo_book_env *be = book_env(v);
	for (long t = ticks(); exo_book()->slice_owner[slice] && ticks() - t < 200;)
		sys_sleep(1);
	CHECK(exo_book()->slice_owner[slice] == 0, "slice %ld not given back\n", slice);
	CHECK(be && be->revoked_coop == 2 && be->repo_count == 0,
	      "book: %lu cooperative, %u repossessions (want 2, 0)\n",
	      be ? (unsigned long)be->revoked_coop : 0UL, be ? be->repo_count : 0);
	printf("init: revoke-coop: frame %#x given back after %ld ticks\n", frame, t1 - t0);
	failures += use_frame(frame, "revoke-coop");
	sys_ipc_send(v, 1, 0);
	CHECK(child_ok(v, "revoke-coop"), "the victim failed\n");
	return failures;
}

int test_revoke_abort(void)
{
	int failures = 0;
	uint64_t m[3];
	long by = role("bystander", 0, 1, NULL, NULL, NULL);
	long u = role("revoke-abort", 0, 1, num_arg("grace", 50), NULL, NULL);

	CHECK(u > 0 && ipc_wait(m) == 0 && (long)m[0] == u, "no frame from the victim\n");
	uint32_t frame = (uint32_t)m[1];
	long t0 = ticks();
	/* 50 ticks from when the victim is told (it checks that itself); it
	 * may take a while to be told on a loaded host, but at most
	 * REVOKE_DELIVERY_MAX (1000) ticks. */
	CHECK(sys_revoke_demand(frame, 50) == 0, "revoke_demand refused\n");
	CHECK(sys_revoke_demand(EXO_NAME_PAGE(frame), 0) == -EXO_EINVAL, "0 ticks is refused\n");
	long t1 = wait_free(frame, 3000);
	CHECK(t1 >= 0 && t1 - t0 >= 50 && t1 - t0 < 50 + 1000 + 300,
	      "taken after %ld ticks (deadline 50 after delivery)\n", t1 - t0);
	const struct exo_book_env *be = book_env(u);
	CHECK(be && be->repo_count == 1 && be->repo[0].name == frame && be->revoked_coop == 0,
	      "repossession vector: %u entries, first %#x\n", be ? be->repo_count : 0,
	      be ? be->repo[0].name : 0);
	printf("init: revoke-abort: frame %#x repossessed after %ld ticks\n", frame, t1 - t0);
	failures += use_frame(frame, "revoke-abort");
	CHECK(child_ok(u, "revoke-abort"), "the victim did not see its loss\n");
	CHECK(child_ok(by, "bystander"), "the bystander was disturbed\n");
	CHECK(sys_test_ctl(EXO_TEST_CHECK, 0, 0, 0) == 0, "kernel tables inconsistent\n");
	return failures;
}

int test_sched_ratio(void)
{
	int failures = 0;
	long start = ticks() + 100, end = start + 1000;
	long a = role("spin", 0, 3, num_arg("start", start), num_arg("end", end), NULL);
	long b = role("spin", 0, 1, num_arg("start", start), num_arg("end", end), NULL);
	uint64_t ca = 0, cb = 0, m[3], ua = 0, ub = 0;

	for (int i = 0; i < 2; i++) {
		CHECK(ipc_wait(m) == 0, "no count\n");
		if ((long)m[0] == a)
			ca = m[1], ua = m[2];
		else if ((long)m[0] == b)
			cb = m[1], ub = m[2];
	}
	/* ~50 rounds of 20 ms: each spinner starts and ends a slice each round. */
	CHECK((ua >> 32) >= 20 && (ub >> 32) >= 20 && (ua & 0xffffffff) >= 20 &&
	      (ub & 0xffffffff) >= 20,
	      "slice upcalls: 3 slices %lu prologues %lu epilogues, 1 slice %lu / %lu\n",
	      (unsigned long)(ua >> 32), (unsigned long)(ua & 0xffffffff),
	      (unsigned long)(ub >> 32), (unsigned long)(ub & 0xffffffff));
	CHECK(child_ok(a, "spin x3"), "A failed\n");
	CHECK(child_ok(b, "spin x1"), "B failed\n");
	uint64_t pct = cb ? ca * 100 / cb : 0;
	printf("init: sched-ratio: 3 slices: %lu, 1 slice: %lu, ratio %lu.%02lu (want 3 +-10%%); "
	       "prologues %lu/%lu, epilogues %lu/%lu\n",
	       (unsigned long)ca, (unsigned long)cb, (unsigned long)(pct / 100),
	       (unsigned long)(pct % 100), (unsigned long)(ua >> 32), (unsigned long)(ub >> 32),
	       (unsigned long)(ua & 0xffffffff), (unsigned long)(ub & 0xffffffff));
	CHECK(pct >= 270 && pct <= 330, "ratio %lu%% outside 270..330\n", (unsigned long)pct);
	return failures;
}

int test_sched_preempt(void)
{
	int failures = 0;
	uint64_t h0 = exo_book()->idle_halts;

	sys_sleep(20);
	CHECK(exo_book()->idle_halts > h0, "the CPU did not halt while init slept alone\n");
	long l1 = role("loop", 0, 1, NULL, NULL, NULL);
	long l2 = role("loop-bare", 0, 1, NULL, NULL, NULL);
	long t0 = ticks();
	sys_sleep(200);
	long t1 = ticks();
	CHECK(t1 - t0 < 600, "init slept 200 ticks but woke after %ld\n", t1 - t0);
	const struct exo_book_env *e1 = book_env(l1), *e2 = book_env(l2);
	CHECK(e1 && e1->preempted > 0 && e1->upcalls > 0,
	      "the looper that ignores its epilogue was not preempted by force\n");
	CHECK(e2 && e2->runs > 1, "the looper without handlers did not run repeatedly\n");
	if (e1 && e2)
		printf("init: sched-preempt: loop: %lu runs, %lu epilogues, %lu forced; loop-bare: %lu runs\n",
		       (unsigned long)e1->runs, (unsigned long)e1->upcalls,
		       (unsigned long)e1->preempted, (unsigned long)e2->runs);
	CHECK(sys_env_destroy(l1) == 0 && sys_env_destroy(l2) == 0, "destroy failed\n");
	CHECK(wait_env(l1) == EXO_WAIT_KILLED && wait_env(l2) == EXO_WAIT_KILLED,
	      "the loopers should have been killed, not have exited (FPU state lost?)\n");
	return failures;
}

int test_sched_yield(void)
{
	int failures = 0;
	long pong = role("pong", 0, 1, NULL, NULL, NULL);
	long ping = role("ping", 0, 1, num_arg("peer", pong), NULL, NULL);

	CHECK(child_ok(ping, "ping"), "ping failed\n");
	CHECK(child_ok(pong, "pong"), "pong failed\n");
	return failures;
}

int test_fuzz(void)
{
	int failures = 0, runs = 0, died = 0;
	uint64_t total = 0;

	while (total < 100000 && runs < 200) {
		long id = role("fuzz", 0, 1, num_arg("seed", 1000 + runs), num_arg("calls", 20000),
			       NULL);
		const struct exo_book_env *be = book_env(id);
		if (id < 0 || be == NULL) {
			CHECK(0, "fuzz env %d did not start (%ld)\n", runs, id);
			break;
		}
		long st = wait_env(id);
		total += be->syscalls;
		died += st != 0;
		runs++;
	}
	printf("init: syscall-fuzz: %lu random system calls from %d envs (%d ended early)\n",
	       (unsigned long)total, runs, died);
	CHECK(total >= 100000, "only %lu calls\n", (unsigned long)total);
	CHECK(sys_test_ctl(EXO_TEST_CHECK, 0, 0, 0) == 0, "kernel tables inconsistent\n");
	uint32_t frame;
	int h = page_bind_free(&frame);
	CHECK(h >= 0, "no free page after the fuzz\n");
	if (h >= 0) {
		revoke_resource(h);
		failures += use_frame(frame, "after fuzz");
	}
	return failures;
}

int test_bench(void)
{
	long peer = spawn("bench", 0, 1, "role=peer", NULL);
	long b = spawn("bench", 0, 1, num_arg("peer", peer), NULL);
	int ok = child_ok(b, "bench");
	return ok && child_ok(peer, "bench peer") ? 0 : 1;
}
