/*
 * nettest (nettest.h): transmit and load roles.
 *
 *   role=tx count=N     N frames of known bytes to the host (the peer
 *       captures them with tcpdump and answers "tx-ok" only if every one
 *       arrived byte-exact), then frames the kernel must refuse.
 *   role=replay         the peer replays every frame of the pcaps into
 *       the tap; afterwards the ring counters add up.
 *   role=flood secs=S   a two-slot ring under a flood of S seconds: drops
 *       are counted, the env still answers an echo afterwards, and the
 *       free page count returns to its baseline.
 *   role=pps secs=S     receive as fast as possible; prints packets/s.
 */
#include <string.h>

#include <exo/errno.h>
#include <fmt.h>
#include <libos/libos.h>

#include "nettest.h"

static uint8_t frame[1600];

/* Frame i of the transmit test: the peer builds the same bytes. */
static size_t tx_frame(unsigned i, const uint8_t hmac[6], uint32_t hip)
{
	static uint8_t data[1500];
	size_t n = 18 + (i * 37) % 1400;

	for (size_t j = 0; j < n; j++)
		data[j] = (uint8_t)(i * 7 + j);
	return udp_frame(frame, hmac, hip, TX_SPORT, TX_DPORT, (uint16_t)i, data, n);
}

static long send_retry(const void *f, size_t len)
{
	long r;

	for (int tries = 0; (r = net_send(me.dev, f, len)) == -EXO_EAGAIN && tries < 100; tries++)
		sys_sleep(1);
	return r;
}

/* The host's address: 10.77.0.1 is the guest's network with host part 1. */
static uint32_t host_ip(void)
{
	uint32_t ip = me.ip;
	uint8_t *b = (uint8_t *)&ip;

	b[3] = 1;
	return ip;
}

static void refusals(const uint8_t hmac[6])
{
	uint32_t hip = host_ip();
	const struct exo_nic_dev *d = &net_book()->dev[me.dev];
	uint64_t refused0 = d->tx_refused;
	long r;

	size_t len = tx_frame(1, hmac, hip);
	frame[11] ^= 0x02;                        /* someone else's MAC */
	CHECK((r = net_send(me.dev, frame, len)) == -EXO_EPERM, "spoofed MAC: %ld\n", r);
	len = tx_frame(1, hmac, hip);
	frame[14 + 15] = 99;                      /* source 10.77.0.99 */
	CHECK((r = net_send(me.dev, frame, len)) == -EXO_EPERM, "spoofed IPv4 source: %ld\n", r);
	/* An ARP reply claiming the host's address for this MAC. */
	memcpy(frame, hmac, 6);
	memcpy(frame + 6, me.mac, 6);
	wr16(frame + 12, 0x0806);
	static const uint8_t arp_hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 2 };
	memcpy(frame + 14, arp_hdr, 8);
	memcpy(frame + 22, me.mac, 6);
	memcpy(frame + 28, &hip, 4);
	memcpy(frame + 32, hmac, 6);
	memcpy(frame + 38, &hip, 4);
	CHECK((r = net_send(me.dev, frame, 42)) == -EXO_EPERM, "ARP spoof: %ld\n", r);
	CHECK((r = net_send(me.dev, frame, 1515)) == -EXO_EINVAL, "1515 bytes: %ld\n", r);
	CHECK((r = net_send(me.dev, frame, 13)) == -EXO_EINVAL, "13 bytes: %ld\n", r);
	CHECK((r = net_send(me.dev, (void *)0x1000, 60)) == -EXO_EFAULT, "unmapped: %ld\n", r);
	CHECK((r = net_send(me.dev, (void *)EXO_BOOK_BASE, 60)) == -EXO_EPERM,
	      "from the bookkeeping window (not this env's page): %ld\n", r);
	CHECK((r = net_send(me.dev, (void *)0xffff800000000000UL, 60)) < 0,
	      "kernel address: %ld\n", r);
	CHECK((r = net_send(7, frame, 60)) == -EXO_ENODEV, "device 7: %ld\n", r);
	CHECK(d->tx_refused - refused0 >= 8, "tx_refused counted %lu\n",
	      (unsigned long)(d->tx_refused - refused0));
	printf("nettest: tx: %lu refusals counted\n", (unsigned long)(d->tx_refused - refused0));
}

int role_tx(int argc, char **argv)
{
	long count = arg_num(argc, argv, "count", 50);
	struct net_ring ctl;
	uint8_t hmac[6];
	char msg[64];

	CHECK(ctl_open(&ctl) == 0, "control ring\n");
	if (failures)
		return failures;
	printf("@peer tx %ld\n", count);
	CHECK(ctl_wait(&ctl, "ready", 30000, msg, sizeof(msg), hmac), "no 'ready' from the peer\n");
	if (failures)
		return failures;
	for (long i = 0; i < count; i++) {
		size_t len = tx_frame((unsigned)i, hmac, host_ip());
		long r = send_retry(frame, len);
		CHECK(r == 0, "frame %ld (%zu bytes): %ld\n", i, len, r);
	}
	printf("nettest: tx: %ld frames sent\n", count);
	refusals(hmac);
	printf("@peer txdone %ld\n", count);
	CHECK(ctl_wait(&ctl, "tx-", 30000, msg, sizeof(msg), NULL), "no verdict from the peer\n");
	printf("nettest: tx: peer says '%s'\n", msg);
	CHECK(strncmp(msg, "tx-ok", 5) == 0, "the peer did not see the frames byte-exact\n");
	net_ring_close(&ctl);
	return failures;
}

int role_replay(int argc, char **argv)
{
	struct net_ring ctl;
	char msg[64];

	(void)argc;
	(void)argv;
	CHECK(ctl_open(&ctl) == 0, "control ring\n");
	if (failures)
		return failures;
	struct exo_nic_ring a = ring_stats();
	printf("@peer replay\n");
	CHECK(ctl_wait(&ctl, "done", 240000, msg, sizeof(msg), NULL), "no 'done' from the peer\n");
	sys_sleep(200);
	struct exo_nic_ring b = ring_stats();
	const struct exo_nic_dev *d = &net_book()->dev[me.dev];
	printf("nettest: replay: peer '%s'; ring: received %lu = delivered %lu + "
	       "unmatched %lu + dropped %lu; device errors %lu, missed %lu\n", msg,
	       (unsigned long)(b.received - a.received), (unsigned long)(b.delivered - a.delivered),
	       (unsigned long)(b.unmatched - a.unmatched), (unsigned long)(b.dropped - a.dropped),
	       (unsigned long)d->rx_errors, (unsigned long)d->rx_missed);
	CHECK(ring_adds_up(&b), "counters do not add up\n");
	/* Most frames reach the demux; the rest are stopped before it, by the
	 * host (frames over the tap's MTU) or by the NIC model. */
	long sent = 0;
	for (const char *p = msg + 4; *p == ' ' || (*p >= '0' && *p <= '9'); p++)
		if (*p != ' ')
			sent = sent * 10 + (*p - '0');
	CHECK(sent > 0 && b.received - a.received >= (uint64_t)sent / 2,
	      "%lu of %ld frames reached the demux\n", (unsigned long)(b.received - a.received),
	      sent);
	net_ring_close(&ctl);
	return failures;
}

/* Answer one "echo-req" on ring r with "echo-rep"; 1 if answered. */
static int echo_once(struct net_ring *r, long ticks)
{
	long end = sys_ticks() + ticks;

	while (sys_ticks() < end) {
		const struct exo_pktslot *s = net_recv(r, end - sys_ticks());
		if (s == NULL)
			return 0;
		const uint8_t *u = udp_of(s->data, s->len);
		int hit = u && s->len >= (size_t)(u - s->data) + 16 &&
			  memcmp(u + 8, "echo-req", 8) == 0;
		if (hit) {
			uint8_t smac[6];
			uint32_t sip;
			memcpy(smac, s->data + 6, 6);
			memcpy(&sip, s->data + 26, 4);
			size_t len = udp_frame(frame, smac, sip, rd16(u + 2), rd16(u),
					       1, (const uint8_t *)"echo-rep", 8);
			net_recv_done(r);
			return send_retry(frame, len) == 0;
		}
		net_recv_done(r);
	}
	return 0;
}

int role_flood(int argc, char **argv)
{
	long secs = arg_num(argc, argv, "secs", 10), port = 7001;
	struct net_ring ctl, data;
	uint8_t prog[256];
	char msg[64];

	CHECK(ctl_open(&ctl) == 0, "control ring\n");
	if (failures)
		return failures;
	size_t len = net_filter_udp(prog, sizeof(prog), me.ip, (uint16_t)port);
	/* Warm up once, so the kernel's size classes hold what a filter needs. */
	CHECK(net_ring_open(&data, 2) == 0 && net_bind(&data, me.dev, prog, len) >= 0,
	      "warm-up bind\n");
	net_ring_close(&data);
	uint64_t free0 = exo_book()->free_pages;

	CHECK(net_ring_open(&data, 2) == 0, "data ring\n");   /* 2 slots */
	long fh = net_bind(&data, me.dev, prog, len);
	CHECK(fh >= 0, "bind: %ld\n", fh);
	if (failures)
		return failures;
	struct exo_nic_ring a = ring_stats();
	printf("@peer flood %ld %ld\n", port, secs);
	CHECK(ctl_wait(&ctl, "done", (secs + 60) * 1000, msg, sizeof(msg), NULL),
	      "no 'done' from the peer\n");
	sys_sleep(200);
	struct exo_nic_ring b = ring_stats();
	printf("nettest: flood: peer '%s'; ring: received %lu = delivered %lu + "
	       "unmatched %lu + dropped %lu; the env's ring: %lu delivered, %lu dropped\n", msg,
	       (unsigned long)(b.received - a.received), (unsigned long)(b.delivered - a.delivered),
	       (unsigned long)(b.unmatched - a.unmatched), (unsigned long)(b.dropped - a.dropped),
	       (unsigned long)data.hdr->delivered, (unsigned long)data.hdr->dropped);
	CHECK(ring_adds_up(&b), "counters do not add up\n");
	CHECK(data.hdr->dropped > 0 && b.dropped > a.dropped, "a full ring should drop\n");
	CHECK(data.hdr->delivered == 2, "exactly the two slots should be filled\n");
	while (net_peek(&data))
		net_recv_done(&data);
	printf("@peer echo %ld\n", port);
	CHECK(echo_once(&data, 20000), "no echo request to answer\n");
	CHECK(ctl_wait(&ctl, "ok", 20000, msg, sizeof(msg), NULL), "the peer saw no echo reply\n");
	net_ring_close(&data);
	uint64_t free1 = exo_book()->free_pages;
	printf("nettest: flood: free pages %lu before, %lu after\n", (unsigned long)free0,
	       (unsigned long)free1);
	CHECK(free1 == free0, "pages leaked: %ld\n", (long)(free0 - free1));
	net_ring_close(&ctl);
	return failures;
}

int role_pps(int argc, char **argv)
{
	long secs = arg_num(argc, argv, "secs", 5), port = 7001;
	struct net_ring ctl, data;
	uint8_t prog[256];
	char msg[64];

	CHECK(ctl_open(&ctl) == 0, "control ring\n");
	CHECK(net_ring_open(&data, EXO_PKTRING_MAX_PAGES) == 0, "data ring\n");
	if (failures)
		return failures;
	size_t len = net_filter_udp(prog, sizeof(prog), me.ip, (uint16_t)port);
	CHECK(net_bind(&data, me.dev, prog, len) >= 0, "bind\n");
	struct exo_nic_ring a = ring_stats();
	printf("@peer blast %ld %ld\n", port, secs);
	uint64_t n = 0;
	long first = 0, last = 0, end = sys_ticks() + (secs + 60) * 1000;
	while (sys_ticks() < end) {
		const struct exo_pktslot *s = net_peek(&data);
		if (s) {
			if (n++ == 0)
				first = sys_ticks();
			last = sys_ticks();
			net_recv_done(&data);
			continue;
		}
		if (net_peek(&ctl) && ctl_wait(&ctl, "done", 1, msg, sizeof(msg), NULL))
			break;
		sys_yield(0);
	}
	struct exo_nic_ring b = ring_stats();
	uint64_t recv = b.received - a.received;
	long ms = last - first;
	printf("nettest: pps: %lu packets into the ring in %ld ms = %lu/s; "
	       "ring dropped %lu; demux %lu cycles/frame\n", (unsigned long)n, ms,
	       ms > 0 ? (unsigned long)(n * 1000 / (uint64_t)ms) : 0UL,
	       (unsigned long)data.hdr->dropped,
	       recv ? (unsigned long)((b.demux_cycles - a.demux_cycles) / recv) : 0UL);
	CHECK(n > 0, "nothing received\n");
	net_ring_close(&data);
	net_ring_close(&ctl);
	return failures;
}
