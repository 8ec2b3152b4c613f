/*
 * netif_open() over the kernel's datapath (docs/net.md, "Demux";
 * docs/apps.md, "Integration"): the machine's first NIC through one packet
 * ring, the stack's filter requests bound as DPF programs, transmit by the
 * checked net_tx.
 *
 * Receive without copies: the kernel takes slots back in ring order only,
 * while the stack may keep frames and free them in any order, so frames
 * are handed over with a NULL cookie (valid until the next rx call; the
 * stack copies what it keeps) and rx returns the previous slot before it
 * looks at the next.
 *
 * Waiting: with `want_upcall` set in the ring header, the kernel posts an
 * EXO_SIG_PACKET upcall on every delivery, which ends a sleep at once (the
 * blocked env is made runnable, sys_sleep returns -EXO_EAGAIN, the upcall
 * handler only counts). So a frame is answered as soon as it arrives, not
 * at the next timer tick.
 */
#include <exo/errno.h>
#include <fmt.h>
#include <libos/libos.h>
#include <libos/net.h>
#include <libos/netapp.h>

#define DEV_RING_PAGES 65              /* 128 slots: a few TCP windows of full frames */
#define DEV_FILTERS EXO_NIC_NFILTER    /* every slot the kernel has */
#define DEV_SLEEP_MAX 1000             /* ticks per sleep: re-check the clock */

struct bound {
	struct tcpip_filter f;
	long handle;            /* the kernel's filter handle */
	bool used;
};

struct netdev_ctx {
	struct net_ring ring;
	unsigned dev;
	bool holding;           /* a slot is lent to the stack */
	uint64_t rng;
	struct bound filters[DEV_FILTERS];
	uint64_t refused;       /* filter binds the kernel refused */
	volatile uint64_t wakeups;   /* packet upcalls taken */
};

static struct netdev_ctx devctx;

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void give_back(struct netdev_ctx *c)
{
	if (c->holding) {
		net_recv_done(&c->ring);
		c->holding = false;
	}
}

static int dev_rx(void *ctx, const void **frame, size_t *len, void **cookie)
{
	struct netdev_ctx *c = ctx;

	give_back(c);
	const struct exo_pktslot *s = net_peek(&c->ring);
	if (!s)
		return 0;
	c->holding = true;
	*frame = s->data;
	*len = s->len;
	*cookie = 0;
	return 1;
}

static void dev_rx_release(void *ctx, void *cookie)
{
	(void)ctx, (void)cookie;   /* no cookies are lent */
}

static int dev_tx(void *ctx, const void *frame, size_t len)
{
	struct netdev_ctx *c = ctx;
	return net_send(c->dev, frame, len) < 0;
}

static uint64_t dev_now(void *ctx)
{
	(void)ctx;
	return exo_book()->ticks;   /* 1 ms ticks, read without a system call */
}

static uint32_t dev_random(void *ctx)
{
	struct netdev_ctx *c = ctx;
	/* xorshift64*, reseeded from the TSC's low bits on every call. */
	c->rng ^= rdtsc() & 0xffff;
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return (uint32_t)((c->rng * 0x2545f4914f6cdd1dULL) >> 32);
}

static void dev_wait(void *ctx, uint64_t deadline)
{
	struct netdev_ctx *c = ctx;
	volatile struct exo_pktring *h = c->ring.hdr;

	give_back(c);
	uint64_t now = dev_now(c);
	if (deadline <= now)
		return;
	uint64_t ticks = deadline - now;
	if (ticks > DEV_SLEEP_MAX)
		ticks = DEV_SLEEP_MAX;
	/* Ask first, then look: a frame that lands in between posts the
	 * upcall, and sys_sleep returns at once when one is pending. */
	h->want_upcall = 1;
	__asm__ volatile("mfence" ::: "memory");
	if (h->head == h->tail)
		sys_sleep(ticks);
	h->want_upcall = 0;
}

/* EXO_SIG_PACKET: its only job was to end the sleep; count it. */
static void dev_packet(int64_t ring, uint64_t filter)
{
	(void)ring, (void)filter;
	devctx.wakeups++;
}

/* netstat's line about the ring, its filters and the wake-ups. */
static void dev_report(void *ctx, tcpip_print_fn fn, void *arg)
{
	struct netdev_ctx *c = ctx;
	const struct exo_pktring *h = c->ring.hdr;
	unsigned bound = 0;
	char line[200];

	for (unsigned i = 0; i < DEV_FILTERS; i++)
		bound += c->filters[i].used;
	int n = fmt_snprintf(line, sizeof line,
			     "netif: %s slots %u delivered %lu dropped %lu filters %u "
			     "refused %lu wakeups %lu\n",
			     net_book()->dev[c->dev].name, h->nslots,
			     (unsigned long)h->delivered, (unsigned long)h->dropped, bound,
			     (unsigned long)c->refused, (unsigned long)c->wakeups);
	if (n > 0)
		fn(arg, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	/* The kernel's demultiplexer on this device's first RX ring, for
	 * every env: frames seen, accepted by no filter, dropped. */
	const struct exo_nic_ring *kr = &net_book()->dev[c->dev].ring[0];
	n = fmt_snprintf(line, sizeof line,
			 "demux: received %lu delivered %lu unmatched %lu dropped %lu filters %u "
			 "rx_errors %lu rx_missed %lu\n",
			 (unsigned long)kr->received, (unsigned long)kr->delivered,
			 (unsigned long)kr->unmatched, (unsigned long)kr->dropped, kr->filters,
			 (unsigned long)net_book()->dev[c->dev].rx_errors,
			 (unsigned long)net_book()->dev[c->dev].rx_missed);
	if (n > 0)
		fn(arg, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	/* How the kernel's idle loop waited: frames found by polling the NICs
	 * against halts until an interrupt (docs/net.md, "Idle polling"). */
	n = fmt_snprintf(line, sizeof line, "kernel: idle_polls %lu idle_halts %lu\n",
			 (unsigned long)exo_book()->idle_polls,
			 (unsigned long)exo_book()->idle_halts);
	if (n > 0)
		fn(arg, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static bool same_filter(const struct tcpip_filter *a, const struct tcpip_filter *b)
{
	return a->kind == b->kind && a->local_ip == b->local_ip &&
	       a->local_port == b->local_port && a->remote_ip == b->remote_ip &&
	       a->remote_port == b->remote_port;
}

static int dev_filter_install(void *ctx, const struct tcpip_filter *f)
{
	struct netdev_ctx *c = ctx;
	uint8_t prog[NETAPP_FILTER_MAX];
	struct bound *slot = 0;

	for (unsigned i = 0; i < DEV_FILTERS && !slot; i++)
		if (!c->filters[i].used)
			slot = &c->filters[i];
	size_t len = netapp_filter_dpf(f, prog, sizeof prog);
	if (!slot || len == 0)
		return -1;
	long h = f->shared ? net_bind_shared(&c->ring, c->dev, prog, len) :
			     net_bind(&c->ring, c->dev, prog, len);
	if (h < 0) {
		if (f->kind == TCPIP_FILTER_ICMP && h == -EXO_EBUSY)
			printf("netif: ICMP to this address is another env's: it answers pings\n");
		else if (c->refused++ < 8)
			printf("netif: filter kind %u port %u refused (%ld): %s\n", f->kind,
			       f->local_port, h, c->ring.hdr->last_error);
		return -1;
	}
	slot->f = *f;
	slot->handle = h;
	slot->used = true;
	return 0;
}

static void dev_filter_remove(void *ctx, const struct tcpip_filter *f)
{
	struct netdev_ctx *c = ctx;

	for (unsigned i = 0; i < DEV_FILTERS; i++)
		if (c->filters[i].used && same_filter(&c->filters[i].f, f)) {
			net_unbind(c->filters[i].handle);
			c->filters[i].used = false;
			return;
		}
}

int netif_open(struct netif *nif)
{
	struct netdev_ctx *c = &devctx;
	const struct exo_book_nic *nic = net_book();

	if (exo_book()->nic_off == 0 || nic->magic != EXO_NIC_MAGIC || nic->ndev == 0 ||
	    nic->dev[0].name[0] == 0)
		return -EXO_ENODEV;
	if (c->ring.hdr)
		return -EXO_EBUSY;   /* one interface per program */
	int r = net_ring_open(&c->ring, DEV_RING_PAGES);
	if (r < 0)
		return r;
	/* Register the wake-up upcall, but ask for it only while asleep
	 * (dev_wait): a frame that arrives while the loop runs is found by
	 * the next rx without one. */
	r = net_ring_upcall(&c->ring, dev_packet);
	c->ring.hdr->want_upcall = 0;
	if (r < 0) {
		net_ring_close(&c->ring);
		return r;
	}
	c->dev = 0;
	c->rng = rdtsc() | 1;
	*nif = (struct netif){
		.ctx = c, .rx = dev_rx, .rx_release = dev_rx_release, .tx = dev_tx,
		.now_ms = dev_now, .random = dev_random, .wait = dev_wait,
		.filter_install = dev_filter_install, .filter_remove = dev_filter_remove,
		.report = dev_report,
	};
	for (int i = 0; i < 6; i++)
		nif->mac[i] = nic->dev[0].mac[i];
	c->rng ^= (uint64_t)nif->mac[5] << 40 | (uint64_t)nif->mac[4] << 32;
	return 0;
}
