/*
 * The network demux tests, driven by init (tests/qemu/cases/demux-*.test):
 * init starts apps/nettest roles without capabilities, so every filter
 * they bind goes through the overlap and catch-all checks, and plays the
 * privileged part itself (it holds EXO_CAP_NET_ANY).
 */
#include <string.h>

#include <exo/errno.h>
#include <libos/libos.h>
#include <libos/net.h>

#include "init.h"

/* Wait until env id has a filter in the bookkeeping window. */
static int wait_filter_of(long id, long ticks)
{
	long end = sys_ticks() + ticks;
	const struct exo_book *b = exo_book();

	while (sys_ticks() < end) {
		for (int s = 0; s < EXO_BOOK_NENV; s++) {
			if (b->env[s].id != id)
				continue;
			for (int f = 0; f < EXO_NIC_NFILTER; f++)
				if (net_book()->filter[f].owner == s + 1)
					return 1;
		}
		sys_sleep(5);
	}
	return 0;
}

/* Two envs, one port: only the first gets it; a monitor with the
 * capability may bind a catch-all; an env's death frees its filters. */
static int demux_refuse(void)
{
	int failures = 0;
	long holder = spawn("nettest", 0, 1, "role=rx", "port=7001", "count=10",
			    "hold=2000", NULL);

	CHECK(holder > 0 && wait_filter_of(holder, 10000), "the holder bound nothing\n");
	CHECK(child_ok(spawn("nettest", 0, 1, "role=refuse", "port=7001", NULL), "refuse"),
	      "refusals\n");

	struct net_ring r;
	uint8_t prog[64];
	CHECK(net_ring_open(&r, 2) == 0, "init's ring\n");
	size_t len = net_filter_all(prog, sizeof(prog));
	long h = net_bind(&r, 0, prog, len);
	CHECK(h >= 0, "init holds EXO_CAP_NET_ANY: catch-all: %ld (%s)\n", h, r.hdr->last_error);
	printf("init: demux-refuse: catch-all with the capability: handle %ld\n", h);
	CHECK(net_ring_close(&r) == 0, "release init's ring and filter\n");

	CHECK(child_ok(holder, "holder"), "the holder did not get its datagrams\n");
	for (int forced = 0; forced < 2; forced++) {
		long id = spawn("nettest", 0, 1, "role=revokee", forced ? "ignore=1" : "ignore=0",
				NULL);
		uint64_t msg[3] = { 0, 0, 0 };
		CHECK(id > 0 && ipc_wait(msg) == 0 && (long)msg[0] == id, "no handle from %ld\n", id);
		/* Cooperative: revoke_demand by the filter's name, as any env with
		 * EXO_CAP_RECLAIM may; forced: the test hook, by handle. */
		long r = forced ? sys_test_ctl(EXO_TEST_REVOKE, id, (long)msg[1], 50) :
				  sys_revoke_demand((long)msg[2], 50);
		CHECK(r == 0, "revocation request for filter %#lx (handle %ld): %ld\n",
		      (unsigned long)msg[2], (long)msg[1], r);
		CHECK(child_ok(id, "revokee"), "revocation of a filter (%s)\n",
		      forced ? "forced" : "cooperative");
	}
	/* bind leaves its filter bound when it exits: the exit must free it. */
	CHECK(child_ok(spawn("nettest", 0, 1, "role=bind", "port=7001", NULL), "bind"),
	      "bind after the holder\n");
	CHECK(child_ok(spawn("nettest", 0, 1, "role=bind", "port=7001", NULL), "bind"),
	      "bind after an env died holding the port\n");
	return failures;
}

/* Two envs with disjoint filters, at the same time. */
static int demux_iso(void)
{
	int failures = 0;
	long a = spawn("nettest", 0, 1, "role=rx", "port=7001", "count=30", NULL);
	long b = spawn("nettest", 0, 1, "role=rx", "port=7002", "count=30", NULL);

	CHECK(child_ok(a, "rx 7001"), "env A\n");
	CHECK(child_ok(b, "rx 7002"), "env B\n");
	return failures;
}

/* role=member's IPC (apps/nettest/nettest.h). */
#define SHARE_BOUND 1
#define SHARE_ROUND 100
#define SHARE_ARPS 12      /* ARP requests per round */

/* Start a shared-ARP member; its filter slot in *slot. */
static long member(const char *rounds, const char *end, int *slot)
{
	uint64_t m[3] = { 0, 0, 0 };
	long id = spawn("nettest", 0, 1, "role=member", rounds, end,
			num_arg("count", SHARE_ARPS), NULL);

	if (id <= 0 || ipc_wait(m) != 0 || (long)m[0] != id || m[1] != SHARE_BOUND)
		return -1;
	*slot = (int)m[2];
	return id;
}

/* Does every listed filter slot show group `lead` (1 + its slot)? */
static int shows_group(const int *slot, int n, int lead)
{
	for (int i = 0; i < n; i++)
		if (net_book()->filter[slot[i]].owner == 0 ||
		    net_book()->filter_share[slot[i]] != lead)
			return 0;
	return 1;
}

/* Have the peer send a round of ARP requests; wait for every member's
 * report of round k (IPC from ids[0..n)) and check each got them all. */
static int arp_round(int k, const long *ids, int n)
{
	int failures = 0;

	printf("init: demux-shared: round %d: %d members\n", k, n);
	printf("@peer arp %d\n", SHARE_ARPS);
	for (int got = 0; got < n; got++) {
		uint64_t m[3] = { 0, 0, 0 };
		CHECK(ipc_wait(m) == 0, "no report\n");
		int known = 0;
		for (int i = 0; i < n; i++)
			known |= (long)m[0] == ids[i];
		CHECK(known && m[1] == (uint64_t)(SHARE_ROUND + k) && m[2] == SHARE_ARPS,
		      "round %d: env %ld reports %lu: %lu frames\n", k, (long)m[0],
		      (unsigned long)m[1], (unsigned long)m[2]);
	}
	return failures;
}

/*
 * Three envs hold the shared ARP filter of the address (what every libOS
 * stack on it needs), a fourth env's refusals and its join and leave;
 * each member receives every ARP request; then the first binder (the
 * group's lead) releases, then the next lead dies, and the survivor still
 * receives everything; its release takes the filter out of the book.
 */
static int demux_shared(void)
{
	int failures = 0, sa = -1, sb = -1, sc = -1;
	uint32_t filters0 = net_book()->dev[0].ring[0].filters;
	long a = member("rounds=1", "end=release", &sa);
	long b = member("rounds=2", "end=exit", &sb);
	long c = member("rounds=3", "end=release", &sc);

	CHECK(a > 0 && b > 0 && c > 0, "members: %ld %ld %ld\n", a, b, c);
	if (failures)
		return failures;
	int all[3] = { sa, sb, sc };
	CHECK(shows_group(all, 3, sa + 1), "the book does not show one group led by %d\n", sa);
	CHECK(net_book()->dev[0].ring[0].filters == filters0 + 1,
	      "three members, %u trie entries (one expected)\n",
	      net_book()->dev[0].ring[0].filters - filters0);
	CHECK(child_ok(spawn("nettest", 0, 1, "role=shrefuse", NULL), "shrefuse"),
	      "refusals, join and leave\n");
	CHECK(shows_group(all, 3, sa + 1), "the group changed\n");
	CHECK(sys_test_ctl(EXO_TEST_CHECK, 0, 0, 0) == 0, "kernel tables inconsistent\n");

	long ids[3] = { a, b, c };
	failures += arp_round(1, ids, 3);
	CHECK(child_ok(a, "member a"), "the first binder\n");
	int bc[2] = { sb, sc };
	CHECK(net_book()->filter[sa].owner == 0 && shows_group(bc, 2, sb + 1),
	      "after the lead's release: rows %d %d show %u %u\n", sb, sc,
	      net_book()->filter_share[sb], net_book()->filter_share[sc]);
	CHECK(sys_test_ctl(EXO_TEST_CHECK, 0, 0, 0) == 0, "kernel tables inconsistent\n");
	printf("init: demux-shared: lead released, group now led by %d\n", sb);
	failures += arp_round(2, ids + 1, 2);
	CHECK(child_ok(b, "member b"), "the second binder\n");
	CHECK(net_book()->filter[sb].owner == 0 && shows_group(&sc, 1, sc + 1),
	      "after the lead's death: row %d shows %u\n", sc, net_book()->filter_share[sc]);
	printf("init: demux-shared: lead died, group now led by %d\n", sc);
	failures += arp_round(3, ids + 2, 1);
	CHECK(child_ok(c, "member c"), "the last binder\n");
	int left = 0;
	for (int i = 0; i < EXO_NIC_NFILTER; i++)
		left += net_book()->filter_share[i] != 0;
	CHECK(left == 0 && net_book()->filter[sc].owner == 0, "%d shared rows left\n", left);
	CHECK(net_book()->dev[0].ring[0].filters == filters0, "trie entries: %u, before %u\n",
	      net_book()->dev[0].ring[0].filters, filters0);
	CHECK(sys_test_ctl(EXO_TEST_CHECK, 0, 0, 0) == 0, "kernel tables inconsistent\n");
	printf("init: demux-shared: %d failures\n", failures);
	return failures;
}

int test_demux(const char *test)
{
	static const struct {
		const char *name;
		const char *args[3];
	} one[] = {
		{ "demux-rx", { "role=rx", "count=20", "arp=5" } },
		{ "demux-rx-upcall", { "role=rx", "count=20", "upcall=1" } },
		{ "demux-tx", { "role=tx", "count=50", NULL } },
		{ "demux-replay", { "role=replay", NULL, NULL } },
		{ "demux-flood", { "role=flood", "secs=10", NULL } },
		{ "demux-pps", { "role=pps", "secs=5", NULL } },
	};

	if (strcmp(test, "demux-refuse") == 0)
		return demux_refuse();
	if (strcmp(test, "demux-iso") == 0)
		return demux_iso();
	if (strcmp(test, "demux-shared") == 0)
		return demux_shared();
	for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		if (strcmp(test, one[i].name) == 0)
			return child_ok(spawn("nettest", 0, 1, one[i].args[0], one[i].args[1],
					      one[i].args[2], NULL), test) ? 0 : 1;
	return -1;
}
