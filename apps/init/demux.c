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
	for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		if (strcmp(test, one[i].name) == 0)
			return child_ok(spawn("nettest", 0, 1, one[i].args[0], one[i].args[1],
					      one[i].args[2], NULL), test) ? 0 : 1;
	return -1;
}
