/*
 * The demultiplexer (net/demux.h): NIC ring -> JIT-compiled DPF trie ->
 * the owner's packet ring. The receive handler runs in interrupt context
 * with interrupts off; it calls only the current JIT image (which does
 * not refer to the trie, so a system call may edit the trie while an
 * older image is still in use) and the delivery in net/netres.c, and it
 * never allocates or waits. Every frame is counted once as received and
 * once as delivered, unmatched or dropped.
 */
#include <string.h>

#include <arch/cpu.h>
#include <arch/irq.h>
#include <exo/errno.h>
#include <mm/book.h>
#include <net/demux.h>
#include <net/dpf_kenv.h>
#include <net/netdev.h>
#include <net/netres.h>

static struct demux_point points[EXO_NIC_NDEV][EXO_NIC_NRING];
static struct exo_book_nic *nic;

struct exo_book_nic *demux_book(void)
{
	return nic;
}

struct demux_point *demux_point(unsigned dev, unsigned ring)
{
	if (dev >= EXO_NIC_NDEV || ring >= EXO_NIC_NRING || !points[dev][ring].trie)
		return NULL;
	return &points[dev][ring];
}

uint32_t demux_classify(const struct demux_point *p, const uint8_t *frame,
			uint32_t len)
{
	dpf_jit_fn fn = p->fn;

	return fn ? fn(frame, len, len) : DPF_NO_MATCH;
}

static int demux_rx(void *arg, struct netdev *dev, unsigned ring,
		    const uint8_t *frame, size_t len)
{
	struct demux_point *p = arg;
	struct exo_nic_ring *s = p->stats;
	uint64_t t0 = rdtsc();
	int r = 0;

	(void)dev;
	(void)ring;
	/* Driver counters (errors, misses) and the link state reach the
	 * window every 256 frames and on ring setup and filter binds. */
	if ((s->received++ & 255) == 0)
		demux_sync_stats();
	uint32_t id = demux_classify(p, frame, (uint32_t)len);
	if (id == DPF_NO_MATCH)
		s->unmatched++;
	else if ((r = netres_deliver(id, frame, len, p->devno, p->ring, t0)) == 1)
		s->delivered++;
	else
		s->dropped++;
	s->demux_cycles += rdtsc() - t0;
	return r == 1;
}

int demux_rebuild(struct demux_point *p, struct dpf_error *err)
{
	struct dpf_jit *j = NULL;

	if (dpf_trie_count(p->trie) > 0) {
		j = dpf_jit_compile(p->trie, err);
		if (j == NULL)
			return -EXO_ENOMEM;
	}
	uint64_t f = irq_save();
	struct dpf_jit *old = p->jit;
	p->jit = j;
	p->fn = j ? dpf_jit_entry(j) : NULL;
	irq_restore(f);
	if (old)
		dpf_jit_free(old);
	p->stats->filters = (uint32_t)dpf_trie_count(p->trie);
	p->stats->jit_bytes = j ? (uint32_t)dpf_jit_size(j) : 0;
	p->stats->jit_compiles++;
	return 0;
}

void demux_sync_stats(void)
{
	for (unsigned i = 0; i < netdev_count() && i < EXO_NIC_NDEV; i++) {
		struct netdev_stats ns;
		netdev_stats(netdev_get(i), &ns);
		nic->dev[i].rx_errors = ns.rx_errors;
		nic->dev[i].rx_missed = ns.rx_missed;
		nic->dev[i].link = (uint8_t)netdev_link_up(netdev_get(i));
	}
}

void demux_init(void)
{
	nic = (struct exo_book_nic *)((uint8_t *)book + book->nic_off);
	memset(nic, 0, sizeof(*nic));
	nic->nfilter = EXO_NIC_NFILTER;
	for (unsigned i = 0; i < netdev_count() && i < EXO_NIC_NDEV; i++) {
		struct netdev *d = netdev_get(i);
		struct exo_nic_dev *bd = &nic->dev[i];
		const char *nm = netdev_name(d);
		memcpy(bd->name, nm, strnlen(nm, sizeof(bd->name) - 1));
		netdev_mac(d, bd->mac);
		bd->ip = netres_config_ip();
		bd->nrings = (uint8_t)netdev_rx_rings(d);
		for (unsigned r = 0; r < bd->nrings && r < EXO_NIC_NRING; r++) {
			struct demux_point *p = &points[i][r];
			p->dev = d;
			p->devno = (uint8_t)i;
			p->ring = (uint8_t)r;
			p->stats = &bd->ring[r];
			p->trie = dpf_trie_create(dpf_kenv());
			if (p->trie == NULL)
				continue;   /* no memory: the ring keeps dropping */
			netdev_set_rx_handler(d, r, demux_rx, p);
		}
		nic->ndev = i + 1;
	}
	demux_sync_stats();
	nic->magic = EXO_NIC_MAGIC;
}
