/*
 * Receive tests fed by tests/qemu/net_frames.py over a datagram netdev
 * (QEMU -netdev dgram on Unix sockets), so the host decides every byte:
 *
 *   test=net-rx-sizes  frames of every length, from 1 byte to 16000, come
 *                   in from tests/qemu/net_frames.py over a datagram
 *                   netdev: every frame of 18..1518 bytes is delivered once,
 *                   intact, with its length (runts padded only by the
 *                   device); nothing longer reaches a handler; the kernel
 *                   stays up and the closing frame arrives.
 *   test=net-flood  frames as fast as QEMU takes them: all arrive in order
 *                   and intact while the poll budget keeps the tick alive.
 */
#include <arch/cpu.h>
#include <console/console.h>
#include <fmt.h>
#include <net/netdev.h>
#include <string.h>
#include <test/ktest.h>
#include <test/net_test.h>
#include <time/timer.h>

/*
 * Frames from net_frames.py: ethertype 0x88b5 (IEEE local experimental),
 * then big-endian seq and size, then byte i = (seq + i) & 0xff. The last
 * one carries "END" and the number of frames of 18..1518 bytes it sent.
 */
#define ETH_P_EXP 0x88b5
#define SIZES_MAX 64

struct size_catch {
	unsigned heard, good, bad, oversize, runts, others, ends, expect;
	unsigned ready_sent;
	uint8_t seen[SIZES_MAX];
};

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static int check_pattern(const uint8_t *f, size_t len, unsigned seq, unsigned size)
{
	for (size_t i = 18; i < len; i++) {
		uint8_t want = i < size ? (uint8_t)(seq + i) : 0;  /* device padding is zero */
		if (f[i] != want)
			return 0;
	}
	return 1;
}

static int catch_sizes(void *arg, struct netdev *dev, unsigned ring,
		       const uint8_t *f, size_t len)
{
	struct size_catch *c = arg;

	(void)dev; (void)ring;
	c->heard++;
	if (len < 18 || be16(f + 12) != ETH_P_EXP || memcmp(f, want_mac, ETH_ALEN) != 0) {
		c->others++;
		return 0;
	}
	if (memcmp(f + 14, "END", 3) == 0 && len >= 19) {
		c->expect = f[17] | (unsigned)f[18] << 8;
		c->ends++;
		return 1;
	}
	unsigned seq = be16(f + 14), size = be16(f + 16);
	if (size < 18)
		c->runts++;  /* cut short before its size field; the device padded it */
	else if (size > ETH_RX_MAX)
		c->oversize++;
	else if (seq >= SIZES_MAX || c->seen[seq] ||
		 !(len == size || (size < ETH_ZLEN && len == ETH_ZLEN)) ||
		 !check_pattern(f, len, seq, size))
		c->bad++;
	else {
		c->seen[seq] = 1;
		c->good++;
	}
	return 1;
}

/*
 * Tell net_frames.py we listen: READY every 250 ms until anything comes
 * from it (its socket may not exist when the first one leaves), then wait
 * for its closing frame, `secs` seconds in all.
 */
static unsigned handshake(struct netdev *d, volatile unsigned *heard,
			  volatile unsigned *ends, unsigned secs)
{
	uint8_t ready[ETH_ZLEN];
	unsigned sent = 0;

	memset(ready, 0, sizeof(ready));
	memset(ready, 0xff, ETH_ALEN);
	memcpy(ready + 6, want_mac, ETH_ALEN);
	ready[12] = ETH_P_EXP >> 8;
	ready[13] = ETH_P_EXP & 0xff;
	memcpy(ready + 14, "READY", 5);
	for (unsigned i = 0; i < secs * 4 && *ends == 0; i++) {
		if (*heard == 0) {
			netdev_tx(d, ready, sizeof(ready));
			sent++;
		}
		wait_for(ends, 1, 250);
	}
	return sent;
}

void ktest_net_rx_sizes(void)
{
	struct netdev *d = bring_up();
	static struct size_catch c;
	struct netdev_stats s;
	char pass[40];

	netdev_set_rx_handler(d, 0, catch_sizes, &c);
	c.ready_sent = handshake(d, &c.heard, &c.ends, 10);
	netdev_stats(d, &s);
	print_stats(d);
	printk("ktest: net %s: sizes: %u intact, %u bad, %u oversize delivered, %u padded runts, "
	       "%u other, sender announced %u\n", netdev_name(d), c.good, c.bad, c.oversize,
	       c.runts, c.others, c.expect);
	if (c.ends == 0)
		ktest_fail("net %s: no closing frame from net_frames.py (%u READY sent)",
			   netdev_name(d), c.ready_sent);
	if (c.bad || c.oversize)
		ktest_fail("net %s: %u damaged and %u oversize frames reached the handler",
			   netdev_name(d), c.bad, c.oversize);
	if (c.good != c.expect)
		ktest_fail("net %s: %u of %u valid-length frames arrived", netdev_name(d),
			   c.good, c.expect);
	netdev_set_rx_handler(d, 0, NULL, NULL);
	fmt_snprintf(pass, sizeof(pass), "net rx sizes %s", short_name(d));
	ktest_pass(pass);
}

struct flood_catch {
	unsigned heard, good, bad, ends, expect;
	uint16_t next;
};

static int catch_flood(void *arg, struct netdev *dev, unsigned ring,
		       const uint8_t *f, size_t len)
{
	struct flood_catch *c = arg;

	(void)dev; (void)ring;
	c->heard++;
	if (len < 18 || be16(f + 12) != ETH_P_EXP)
		return 0;
	if (memcmp(f + 14, "END", 3) == 0 && len >= 19) {
		c->expect = f[17] | (unsigned)f[18] << 8;
		c->ends++;
	} else if (be16(f + 14) == c->next && check_pattern(f, len, c->next, 60)) {
		c->next++;
		c->good++;
	} else {
		c->bad++;  /* lost, reordered or damaged */
		c->next = (uint16_t)(be16(f + 14) + 1);
	}
	return 1;
}

/*
 * test=net-flood: net_frames.py sends frames as fast as QEMU takes them
 * (it stops reading the socket while the RX ring is full). All must arrive
 * in order and intact; the poll budget keeps the tick alive meanwhile.
 */
void ktest_net_flood(void)
{
	struct netdev *d = bring_up();
	static struct flood_catch c;
	struct netdev_stats s;
	char pass[40];

	netdev_set_rx_handler(d, 0, catch_flood, &c);
	uint64_t t0 = timer_ticks();
	handshake(d, &c.heard, &c.ends, 20);
	uint64_t ms = (timer_ticks() - t0) * 1000 / TIMER_HZ;
	netdev_stats(d, &s);
	print_stats(d);
	printk("ktest: net %s: flood: %u in order, %u lost or out of order, sender announced %u, "
	       "%lu ms\n", netdev_name(d), c.good, c.bad, c.expect, (unsigned long)ms);
	if (c.ends == 0)
		ktest_fail("net %s: flood did not finish (%u frames so far)", netdev_name(d), c.good);
	if (c.bad || c.good != c.expect)
		ktest_fail("net %s: flood: %u of %u frames in order, %u not", netdev_name(d),
			   c.good, c.expect, c.bad);
	if (s.rx_consumed < c.good)
		ktest_fail("net %s: counters: %lu consumed < %u received", netdev_name(d),
			   (unsigned long)s.rx_consumed, c.good);
	netdev_set_rx_handler(d, 0, NULL, NULL);
	fmt_snprintf(pass, sizeof(pass), "net flood %s", short_name(d));
	ktest_pass(pass);
}
