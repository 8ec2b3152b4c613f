/*
 * Network driver tests on QEMU user networking (slirp: the guest is
 * 10.0.2.15, the gateway 10.0.2.2 answers ARP). The same tests run for
 * every NIC; the case files pick the device (NIC=e1000 / NIC=virtio).
 *
 *   test=net-arp    the first netdev comes up with link and the MAC QEMU
 *                   was given, sends an ARP request for the gateway through
 *                   netdev_tx() and receives the reply through its RX
 *                   handler (by interrupt when the device has one); the
 *                   reply's bytes are checked field by field.
 *   test=net-burst  with the doorbell held, queue more frames than the TX
 *                   ring has slots: exactly the ring's worth is accepted and
 *                   each further one is refused with -EXO_EAGAIN and counted;
 *                   bad lengths are refused. After the release the ring
 *                   drains, transmit works again and the gateway's many
 *                   replies come back through the poll budget.
 *   test=net-rx-sizes, test=net-flood: see net_inject_test.c.
 */
#include <arch/cpu.h>
#include <console/console.h>
#include <exo/errno.h>
#include <fmt.h>
#include <net/netdev.h>
#include <string.h>
#include <test/ktest.h>
#include <test/net_test.h>
#include <time/timer.h>

const uint8_t want_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t guest_ip[4] = { 10, 0, 2, 15 };
static const uint8_t gw_ip[4] = { 10, 0, 2, 2 };

#define ARP_LEN 42   /* 14-byte Ethernet header + 28-byte ARP for IPv4 */

struct arp_catch {
	unsigned replies;     /* well-formed replies from the gateway */
	unsigned others;      /* any other frame */
	uint8_t gw_mac[ETH_ALEN];
	size_t last_len;
};

const char *short_name(struct netdev *d)
{
	return strcmp(netdev_name(d), "virtio-net") == 0 ? "virtio" : netdev_name(d);
}

/* ARP request (RFC 826) for gw_ip from our MAC and guest_ip. */
static void arp_request(uint8_t *f, const uint8_t mac[ETH_ALEN])
{
	static const uint8_t hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 1 }; /* Ethernet, IPv4, request */

	memset(f, 0xff, ETH_ALEN);
	memcpy(f + 6, mac, ETH_ALEN);
	f[12] = 0x08; f[13] = 0x06;
	memcpy(f + 14, hdr, 8);
	memcpy(f + 22, mac, ETH_ALEN);
	memcpy(f + 28, guest_ip, 4);
	memset(f + 32, 0, ETH_ALEN);
	memcpy(f + 38, gw_ip, 4);
}

/* Is f a reply from the gateway to us? Checks every field. */
static int is_gw_reply(const uint8_t *f, size_t len, uint8_t gw_mac[ETH_ALEN])
{
	static const uint8_t hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 2 };  /* reply */

	if (len < ARP_LEN || memcmp(f, want_mac, ETH_ALEN) != 0 ||
	    f[12] != 0x08 || f[13] != 0x06 || memcmp(f + 14, hdr, 8) != 0 ||
	    memcmp(f + 28, gw_ip, 4) != 0 || memcmp(f + 32, want_mac, ETH_ALEN) != 0 ||
	    memcmp(f + 38, guest_ip, 4) != 0 || memcmp(f + 6, f + 22, ETH_ALEN) != 0)
		return 0;
	memcpy(gw_mac, f + 22, ETH_ALEN);
	return 1;
}

static int catch_arp(void *arg, struct netdev *dev, unsigned ring,
		     const uint8_t *frame, size_t len)
{
	struct arp_catch *c = arg;

	(void)dev; (void)ring;
	if (is_gw_reply(frame, len, c->gw_mac)) {
		c->replies++;
		c->last_len = len;
		return 1;
	}
	c->others++;
	return 0;
}

/* Interrupts on, sleep until *count >= want or ms elapse. */
int wait_for(volatile unsigned *count, unsigned want, unsigned ms)
{
	uint64_t end = timer_ticks() + (uint64_t)ms * TIMER_HZ / 1000;
	int ok;

	while (*count < want && timer_ticks() < end)
		sti_hlt();
	ok = *count >= want;
	cli();
	return ok;
}

struct netdev *bring_up(void)
{
	uint8_t mac[ETH_ALEN];

	if (netdev_count() == 0)
		ktest_fail("net: no network device attached");
	struct netdev *d = netdev_get(0);
	netdev_mac(d, mac);
	if (memcmp(mac, want_mac, ETH_ALEN) != 0)
		ktest_fail("net %s: MAC %02x:%02x:%02x:%02x:%02x:%02x, want 52:54:00:12:34:56",
			   netdev_name(d), mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	uint64_t end = timer_ticks() + TIMER_HZ;
	while (!netdev_link_up(d) && timer_ticks() < end)
		sti_hlt();
	cli();
	if (!netdev_link_up(d))
		ktest_fail("net %s: link down after 1 s", netdev_name(d));
	printk("ktest: net %s: MAC 52:54:00:12:34:56, link up, %s\n", netdev_name(d),
	       netdev_uses_irq(d) ? "interrupts" : "polled");
	return d;
}

/* Send ARP requests (every 250 ms, up to 3 s) until `want` replies are in. */
static void arp_exchange(struct netdev *d, struct arp_catch *c, unsigned want)
{
	uint8_t f[ARP_LEN];

	arp_request(f, want_mac);
	for (int tries = 0; tries < 12 && c->replies < want; tries++) {
		int r = netdev_tx(d, f, sizeof(f));
		if (r < 0)
			ktest_fail("net %s: netdev_tx of an ARP request: %d", netdev_name(d), r);
		wait_for(&c->replies, want, 250);
	}
	if (c->replies < want)
		ktest_fail("net %s: no ARP reply from 10.0.2.2 (%u other frames)",
			   netdev_name(d), c->others);
}

void print_stats(struct netdev *d)
{
	struct netdev_stats s;

	netdev_stats(d, &s);
	printk("ktest: net %s: rx %lu (consumed %lu, dropped %lu, errors %lu, missed %lu), "
	       "tx %lu (ring full %lu, bad length %lu), irqs %lu, polls %lu (%lu at budget)\n",
	       netdev_name(d), (unsigned long)s.rx_packets, (unsigned long)s.rx_consumed,
	       (unsigned long)s.rx_dropped, (unsigned long)s.rx_errors,
	       (unsigned long)s.rx_missed, (unsigned long)s.tx_packets,
	       (unsigned long)s.tx_ring_full, (unsigned long)s.tx_bad_len,
	       (unsigned long)s.irqs, (unsigned long)s.polls, (unsigned long)s.poll_full);
}

static void test_arp(void)
{
	struct netdev *d = bring_up();
	static struct arp_catch c;
	struct netdev_stats s;
	char pass[32];

	netdev_set_rx_handler(d, 0, catch_arp, &c);
	arp_exchange(d, &c, 1);
	netdev_stats(d, &s);
	print_stats(d);
	printk("ktest: net %s: ARP reply: 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x (%zu bytes)\n",
	       netdev_name(d), c.gw_mac[0], c.gw_mac[1], c.gw_mac[2], c.gw_mac[3],
	       c.gw_mac[4], c.gw_mac[5], c.last_len);
	if (s.rx_consumed < 1 || s.tx_packets < 1)
		ktest_fail("net %s: counters disagree (rx consumed %lu, tx %lu)",
			   netdev_name(d), (unsigned long)s.rx_consumed,
			   (unsigned long)s.tx_packets);
	if (netdev_uses_irq(d) && s.irqs == 0)
		ktest_fail("net %s: the reply came without any interrupt", netdev_name(d));
	netdev_set_rx_handler(d, 0, NULL, NULL);
	fmt_snprintf(pass, sizeof(pass), "net %s", short_name(d));
	ktest_pass(pass);
}

static void test_burst(void)
{
	struct netdev *d = bring_up();
	static struct arp_catch c;
	struct netdev_stats before, after;
	uint8_t f[ARP_LEN], big[ETH_FRAME_MAX + 1];
	unsigned slots = netdev_tx_ring_size(d), extra = 10, ok = 0, full = 0;
	char pass[40];

	netdev_set_rx_handler(d, 0, catch_arp, &c);
	arp_request(f, want_mac);
	memset(big, 0, sizeof(big));
	if (netdev_tx(d, f, ETH_HLEN - 1) != -EXO_EINVAL ||
	    netdev_tx(d, big, sizeof(big)) != -EXO_EINVAL)
		ktest_fail("net %s: a 13-byte or 1515-byte frame was accepted", netdev_name(d));
	netdev_stats(d, &before);
	netdev_tx_hold(d, 1);
	for (unsigned i = 0; i < slots + extra; i++) {
		int r = netdev_tx(d, f, sizeof(f));
		if (r == 0)
			ok++;
		else if (r == -EXO_EAGAIN)
			full++;
		else
			ktest_fail("net %s: burst frame %u: unexpected error %d", netdev_name(d), i, r);
	}
	netdev_stats(d, &after);
	printk("ktest: net %s: burst of %u into %u slots: %u queued, %u refused\n",
	       netdev_name(d), slots + extra, slots, ok, full);
	if (ok != slots || full != extra || after.tx_ring_full - before.tx_ring_full != extra)
		ktest_fail("net %s: want %u queued and %u refused (counted %lu)", netdev_name(d),
			   slots, extra, (unsigned long)(after.tx_ring_full - before.tx_ring_full));
	netdev_tx_hold(d, 0);
	/* Released: the ring drains, and the gateway answers (a burst of replies). */
	wait_for(&c.replies, 1, 2000);
	arp_exchange(d, &c, c.replies + 1);
	print_stats(d);
	netdev_stats(d, &after);
	if (after.tx_bad_len != 2)
		ktest_fail("net %s: %lu bad-length refusals counted, want 2", netdev_name(d),
			   (unsigned long)after.tx_bad_len);
	netdev_set_rx_handler(d, 0, NULL, NULL);
	fmt_snprintf(pass, sizeof(pass), "net burst %s", short_name(d));
	ktest_pass(pass);
}

void ktest_net(const char *name)
{
	if (strcmp(name, "net-arp") == 0)
		test_arp();
	if (strcmp(name, "net-burst") == 0)
		test_burst();
	if (strcmp(name, "net-rx-sizes") == 0)
		ktest_net_rx_sizes();
	if (strcmp(name, "net-flood") == 0)
		ktest_net_flood();
	if (strcmp(name, "net-demux-bench") == 0)
		ktest_net_demux_bench();
}
