/*
 * nettest: the shared-filter roles (EXO_NETF_SHARED, docs/net.md "Shared
 * filters"), driven by init's demux-shared test (apps/init/demux.c).
 *
 *   role=member rounds=R count=N end=release|exit
 *       bind the shared ARP filter for this address (as every TCP/IP
 *       stack on it does), tell init (IPC: SHARE_BOUND, filter slot);
 *       then R times: receive exactly N ARP requests (init has the peer
 *       send them), nothing more, and report (SHARE_ROUND, count). Every
 *       frame comes with a packet upcall naming this ring, and the
 *       filter's own row counts it. Then release the filter and check its
 *       row is gone (end=release), or exit holding it (end=exit: the
 *       kernel's teardown of a dying env releases it).
 *   role=shrefuse
 *       while the group exists: a different overlapping shared program,
 *       the identical program without the flag, and (after joining) the
 *       same program twice and an own overlapping exclusive filter are
 *       refused with the documented errors; the member that joined
 *       leaves again without disturbing the group.
 */
#include <string.h>

#include <exo/errno.h>
#include <libos/args.h>
#include <libos/libos.h>

#include "nettest.h"

static uint16_t self_tag(void)
{
	return (uint16_t)(book_self() - exo_book()->env + 1);
}

/* To init, whose mailbox holds one message: retry while it is full. */
static void tell_parent(long w0, long w1)
{
	long parent = book_parent_id();

	while (sys_ipc_send(parent, w0, w1) == -EXO_EAGAIN)
		sys_sleep(1);
}

/* The slot of this env's (one) shared filter row, or -1. */
static int my_shared_slot(void)
{
	for (int i = 0; i < EXO_NIC_NFILTER; i++)
		if (net_book()->filter[i].owner == self_tag() &&
		    net_book()->filter_share[i] != 0)
			return i;
	return -1;
}

static int is_our_arp(const uint8_t *f, size_t len)
{
	return len >= 42 && rd16(f + 12) == 0x0806 && memcmp(f + 38, &me.ip, 4) == 0;
}

static volatile uint64_t upcalls;
static volatile int64_t upcall_ring;
static volatile uint64_t upcall_filter;

static void on_packet(int64_t ring, uint64_t filter)
{
	upcall_ring = ring;
	upcall_filter = filter;
	upcalls++;
}

/* Exactly n of our ARP requests, then 300 ms of silence; the count. */
static long one_round(struct net_ring *r, long n, uint32_t fname)
{
	long got = 0, other = 0, end = sys_ticks() + 20000;

	while (got < n && sys_ticks() < end) {
		const struct exo_pktslot *s = net_recv(r, end - sys_ticks());
		if (s == NULL)
			break;
		if (is_our_arp(s->data, s->len) && s->filter == fname)
			got++;
		else
			other++;
		net_recv_done(r);
	}
	const struct exo_pktslot *extra = net_recv(r, 300);
	CHECK(extra == NULL, "an extra frame of %u bytes\n", extra ? extra->len : 0);
	CHECK(other == 0, "%ld frames that are not our ARP (or name another filter)\n",
	      other);
	if (extra)
		net_recv_done(r);
	return got;
}

int role_member(int argc, char **argv)
{
	long rounds = arg_num(argc, argv, "rounds", 1);
	long count = arg_num(argc, argv, "count", 10);
	const char *end = arg_value(argc, argv, "end");
	int release = end == NULL || strcmp(end, "exit") != 0;
	uint8_t prog[256];
	struct net_ring r;

	CHECK(net_ring_open(&r, 9) == 0, "ring setup\n");
	if (failures)
		return failures;
	size_t len = net_filter_arp(prog, sizeof(prog), me.ip);
	long h = net_bind_shared(&r, me.dev, prog, len);
	CHECK(h >= 0, "shared ARP filter: %ld (%s)\n", h, r.hdr->last_error);
	int slot = my_shared_slot();
	CHECK(slot >= 0, "no shared row of mine in the bookkeeping window\n");
	CHECK(net_ring_upcall(&r, on_packet) == 0, "packet upcalls\n");
	if (failures)
		return failures;
	uint32_t fname = EXO_NAME(EXO_RES_FILTER, (uint32_t)slot);
	const volatile struct exo_nic_filter *row = &net_book()->filter[slot];
	printf("nettest: member: shared ARP filter in slot %d, group led by slot %d\n",
	       slot, net_book()->filter_share[slot] - 1);
	tell_parent(SHARE_BOUND, slot);

	long total = 0;
	for (long k = 1; k <= rounds; k++) {
		long got = one_round(&r, count, fname);
		CHECK(got == count, "round %ld: %ld of %ld ARP requests\n", k, got, count);
		total += got;
		printf("nettest: member %d: round %ld: %ld ARP requests\n", slot, k, got);
		tell_parent(SHARE_ROUND + k, got);
	}
	CHECK(row->delivered == (uint64_t)total && row->dropped == 0,
	      "row says delivered %lu dropped %lu, received %ld\n",
	      (unsigned long)row->delivered, (unsigned long)row->dropped, total);
	CHECK(r.hdr->dropped == 0, "ring dropped %lu\n", (unsigned long)r.hdr->dropped);
	/* Upcalls that arrive while one is pending merge: 1..total. */
	CHECK(upcalls >= 1 && upcalls <= (uint64_t)total && upcall_ring == r.handle &&
	      upcall_filter == fname, "%lu upcalls, last for ring %ld filter %#lx\n",
	      (unsigned long)upcalls, (long)upcall_ring, (unsigned long)upcall_filter);
	printf("nettest: member %d: %ld frames, %lu packet upcalls\n", slot, total,
	       (unsigned long)upcalls);
	if (!release)
		return failures;       /* exit holding the filter */
	CHECK(net_unbind(h) == 0, "release the shared filter\n");
	CHECK(row->owner == 0 && net_book()->filter_share[slot] == 0,
	      "released filter still in the bookkeeping window\n");
	CHECK(net_ring_close(&r) == 0, "release the ring\n");
	return failures;
}

int role_shrefuse(int argc, char **argv)
{
	uint8_t prog[256], other[256];
	struct net_ring r, r2;
	long h;

	(void)argc, (void)argv;
	CHECK(net_ring_open(&r, 3) == 0 && net_ring_open(&r2, 2) == 0, "ring setup\n");
	if (failures)
		return failures;
	size_t len = net_filter_arp(prog, sizeof(prog), me.ip);
	size_t olen = net_filter_ethertype(other, sizeof(other), 0x0806);

	h = net_bind_shared(&r, me.dev, other, olen);
	CHECK(h == -EXO_EBUSY, "a different overlapping shared program (all ARP): %ld\n", h);
	printf("nettest: shrefuse: all ARP, shared: %ld (%s)\n", h, r.hdr->last_error);
	h = net_bind(&r, me.dev, prog, len);
	CHECK(h == -EXO_EBUSY, "the identical program without the flag: %ld\n", h);
	printf("nettest: shrefuse: identical, not shared: %ld (%s)\n", h, r.hdr->last_error);
	CHECK(sys_net_filter_bind(r.handle, me.dev, prog, len,
				  EXO_NETF_SHARED | (1u << 9)) == -EXO_EINVAL,
	      "an unknown flag next to EXO_NETF_SHARED\n");

	long joined = net_bind_shared(&r, me.dev, prog, len);
	CHECK(joined >= 0, "join the group: %ld (%s)\n", joined, r.hdr->last_error);
	int slot = my_shared_slot();
	CHECK(slot >= 0, "no shared row of mine\n");
	if (failures)
		return failures;
	uint8_t group = net_book()->filter_share[slot];
	CHECK(group != slot + 1 && net_book()->filter_share[group - 1] == group &&
	      net_book()->filter[group - 1].owner != self_tag(),
	      "row %d shows group %u: not the existing group's\n", slot, group);
	h = net_bind_shared(&r, me.dev, prog, len);
	CHECK(h == -EXO_EEXIST, "the same shared program twice: %ld\n", h);
	printf("nettest: shrefuse: twice: %ld (%s)\n", h, r.hdr->last_error);
	h = net_bind_shared(&r2, me.dev, prog, len);
	CHECK(h == -EXO_EEXIST, "the same shared program on another ring: %ld\n", h);
	h = net_bind(&r, me.dev, other, olen);
	CHECK(h == -EXO_EBUSY, "an own exclusive filter overlapping the group: %ld\n", h);
	printf("nettest: shrefuse: own overlapping exclusive: %ld (%s)\n", h,
	       r.hdr->last_error);

	CHECK(net_unbind(joined) == 0, "leave the group\n");
	CHECK(net_book()->filter[slot].owner == 0 && net_book()->filter_share[slot] == 0,
	      "left member still in the bookkeeping window\n");
	CHECK(net_book()->filter_share[group - 1] == group, "the group went with me\n");
	CHECK(net_ring_close(&r) == 0 && net_ring_close(&r2) == 0, "release the rings\n");
	printf("nettest: shrefuse: %d failures\n", failures);
	return failures;
}
