/*
 * The common half of every network device (net/netdev.h,
 * net/netdev_driver.h): registry, transmit checks, receive handlers and
 * the interrupt/poll state machine. State shared between an interrupt
 * handler and ordinary kernel code (the TX ring, the handlers) is touched
 * with interrupts off: there is one CPU, and nothing here ever waits.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <console/console.h>
#include <exo/errno.h>
#include <mm/phys.h>
#include <mm/pmem.h>
#include <net/netdev_driver.h>
#include <sched/sched.h>
#include <string.h>
#include <time/timer.h>

static struct netdev *devs[NETDEV_MAX];
static unsigned ndevs;
static int tick_hooked;
/* Idle polling: the TSC of the last frame received, the window in cycles. */
static uint64_t last_rx_tsc, idle_poll_cycles;

static int drop_frame(void *arg, struct netdev *dev, unsigned ring,
		      const uint8_t *frame, size_t len)
{
	(void)arg; (void)dev; (void)ring; (void)frame; (void)len;
	return 0;
}

unsigned netdev_count(void)
{
	return ndevs;
}

struct netdev *netdev_get(unsigned i)
{
	return i < ndevs ? devs[i] : NULL;
}

const char *netdev_name(const struct netdev *dev)
{
	return dev->name;
}

void netdev_mac(const struct netdev *dev, uint8_t mac[ETH_ALEN])
{
	memcpy(mac, dev->mac, ETH_ALEN);
}

int netdev_link_up(struct netdev *dev)
{
	return dev->ops->link_up(dev);
}

unsigned netdev_rx_rings(const struct netdev *dev)
{
	return dev->nrx;
}

int netdev_uses_irq(const struct netdev *dev)
{
	return dev->use_irq;
}

unsigned netdev_tx_ring_size(const struct netdev *dev)
{
	return dev->tx_size;
}

int netdev_set_rx_handler(struct netdev *dev, unsigned ring, netdev_rx_fn fn,
			  void *arg)
{
	if (ring >= dev->nrx)
		return -EXO_EINVAL;
	uint64_t f = irq_save();
	dev->rx[ring].fn = fn ? fn : drop_frame;
	dev->rx[ring].arg = fn ? arg : NULL;
	irq_restore(f);
	return 0;
}

int netdev_tx(struct netdev *dev, const void *frame, size_t len)
{
	uint8_t pad[ETH_ZLEN];
	int wire = netdev_tx_len(len);

	if (wire < 0) {
		dev->stats.tx_bad_len++;
		return -EXO_EINVAL;
	}
	if ((size_t)wire != len) {
		memcpy(pad, frame, len);
		memset(pad + len, 0, (size_t)wire - len);
		frame = pad;
	}
	uint64_t f = irq_save();
	int r = dev->ops->xmit(dev, frame, (size_t)wire);
	if (r == -EXO_EAGAIN) {
		dev->ops->tx_reclaim(dev);  /* completions not yet collected? */
		r = dev->ops->xmit(dev, frame, (size_t)wire);
	}
	if (r == 0) {
		dev->stats.tx_packets++;
		dev->stats.tx_bytes += (uint64_t)wire;
	} else if (r == -EXO_EAGAIN) {
		dev->stats.tx_ring_full++;
	}
	irq_restore(f);
	return r;
}

void netdev_tx_hold(struct netdev *dev, int hold)
{
	uint64_t f = irq_save();

	dev->ops->tx_hold(dev, hold);
	irq_restore(f);
}

void netdev_rx_deliver(struct netdev *dev, unsigned ring, const uint8_t *frame,
		       size_t len)
{
	if (len < ETH_HLEN || len > ETH_RX_MAX || ring >= dev->nrx) {
		dev->stats.rx_errors++;
		return;
	}
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += len;
	last_rx_tsc = rdtsc();
	if (dev->rx[ring].fn(dev->rx[ring].arg, dev, ring, frame, len))
		dev->stats.rx_consumed++;
	else
		dev->stats.rx_dropped++;
}

/* One pass; 1 if the budget ran out (more frames are probably waiting). */
static int poll_pass(struct netdev *dev)
{
	unsigned done = 0;

	for (unsigned r = 0; r < dev->nrx && done < NETDEV_BUDGET; r++)
		done += dev->ops->rx_poll(dev, r, NETDEV_BUDGET - done);
	dev->ops->tx_reclaim(dev);
	dev->stats.polls++;
	if (done >= NETDEV_BUDGET) {
		dev->stats.poll_full++;
		return 1;
	}
	return 0;
}

static int any_pending(struct netdev *dev)
{
	for (unsigned r = 0; r < dev->nrx; r++)
		if (dev->ops->rx_pending(dev, r))
			return 1;
	return 0;
}

/* Frames came in lately: the idle loop polls (netdev_idle_poll). */
static int idle_window_open(void)
{
	return idle_poll_cycles && rdtsc() - last_rx_tsc <= idle_poll_cycles;
}

/*
 * Interrupts are masked on entry; leave them masked under load, and while
 * the idle loop polls: its polls and the tick's take the frames then, and
 * an interrupt would only cost the device register writes (mask, unmask)
 * that a frame taken by polling does not need.
 */
static void poll_and_rearm(struct netdev *dev)
{
	if (poll_pass(dev) || idle_window_open()) {
		dev->polling = 1;  /* the tick (and the idle loop) continue */
		return;
	}
	dev->polling = 0;
	if (!dev->use_irq)
		return;
	dev->ops->irq_unmask(dev);
	if (any_pending(dev)) {
		/* Arrived after the pass but before the unmask: no interrupt
		 * is guaranteed for it, so keep polling from the tick. */
		dev->ops->irq_mask(dev);
		dev->polling = 1;
	}
}

void netdev_irq(struct netdev *dev)
{
	dev->stats.irqs++;
	dev->ops->irq_mask(dev);
	poll_and_rearm(dev);
}

void netdev_poll(struct netdev *dev)
{
	uint64_t f = irq_save();

	if (dev->use_irq && !dev->polling)
		dev->ops->irq_mask(dev);
	poll_and_rearm(dev);
	irq_restore(f);
}

/*
 * The scheduler's idle hook (sched_set_idle_poll): take what the rings
 * hold now: 1 if any device had frames; else 0 (poll again) while the
 * window after the last received frame is open, and once it has closed,
 * -1 (halt) after turning the devices' interrupts back on.
 *
 * Why: a device's interrupt can come long after its frame. QEMU's e1000
 * model moderates interrupts to the datasheet's guaranteed maximum rate,
 * 7813/s, so the next receive interrupt comes at least 128 us after the
 * previous one whatever ITR says; a request/response exchange over it is
 * capped near 7000 round trips/s however fast the guest is. Reading the
 * descriptor ring costs no exit, so a CPU with nothing else to do
 * notices the frame as soon as the device has written it.
 */
static int netdev_idle_poll(void)
{
	int open = idle_window_open(), found = 0;

	for (unsigned i = 0; i < ndevs; i++) {
		struct netdev *d = devs[i];
		if (any_pending(d)) {
			netdev_poll(d);
			found = 1;
		} else if (!open && d->polling) {
			poll_and_rearm(d);   /* the window closed: interrupts back on */
		}
	}
	return found ? 1 : open ? 0 : -1;
}

void netdev_set_idle_poll(unsigned us)
{
	idle_poll_cycles = timer_tsc_hz() / 1000000 * us;
	sched_set_idle_poll(us ? netdev_idle_poll : NULL);
}

/* Timer tick: devices under load, and devices without interrupts. */
static void netdev_tick(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < ndevs; i++) {
		struct netdev *d = devs[i];
		if (!d->polling && d->use_irq)
			continue;
		for (unsigned pass = 0; pass < NETDEV_TICK_PASSES; pass++) {
			poll_and_rearm(d);
			if (!d->polling)
				break;
		}
	}
}

int netdev_register(struct netdev *dev)
{
	if (ndevs == NETDEV_MAX)
		return -EXO_ENOMEM;
	for (unsigned r = 0; r < NETDEV_MAX_RX_RINGS; r++)
		dev->rx[r] = (struct netdev_rx_hook){ drop_frame, NULL };
	if (!tick_hooked && irq_tick_hook(netdev_tick, NULL) == 0)
		tick_hooked = 1;
	devs[ndevs++] = dev;
	return 0;
}

void netdev_stats(const struct netdev *dev, struct netdev_stats *out)
{
	uint64_t f = irq_save();

	*out = dev->stats;
	irq_restore(f);
}

void *netdev_dma_page(uint64_t *pa)
{
	uint64_t p = pmem_alloc();

	if (p == 0)
		return NULL;
	*pa = p;
	return pa2va(p);
}
