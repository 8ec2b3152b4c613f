/* Packet rings, filters and transmit for a libOS: libos/net.h. */
#include <exo/errno.h>
#include <libos/libos.h>
#include <libos/net.h>

/* Which of the NET_RINGS_MAX address ranges hold a ring. Reusing a range
 * reuses its page tables, so opening and closing rings costs no memory. */
static uint8_t range_used[NET_RINGS_MAX];

int net_ring_open(struct net_ring *r, unsigned npages)
{
	unsigned k = 0;

	while (k < NET_RINGS_MAX && range_used[k])
		k++;
	if (npages < EXO_PKTRING_MIN_PAGES || npages > EXO_PKTRING_MAX_PAGES ||
	    k == NET_RINGS_MAX)
		return -EXO_EINVAL;
	uint64_t va = NET_RING_BASE + (uint64_t)k * NET_RING_SPAN;
	for (unsigned i = 0; i < npages; i++) {
		int err = page_alloc_at(va + i * PAGE_SIZE, EXO_PERM_W);
		if (err < 0) {
			while (i-- > 0)
				page_free((void *)(va + i * PAGE_SIZE));
			return err;
		}
	}
	long h = sys_net_ring_setup((void *)va, npages);
	if (h < 0) {
		for (unsigned i = 0; i < npages; i++)
			page_free((void *)(va + i * PAGE_SIZE));
		return (int)h;
	}
	*r = (struct net_ring){ (struct exo_pktring *)va, (uint8_t *)va, npages, h };
	range_used[k] = 1;
	return 0;
}

int net_ring_close(struct net_ring *r)
{
	int err = revoke_resource((int)r->handle);

	for (unsigned i = 0; i < r->npages; i++)
		page_free(r->base + i * PAGE_SIZE);
	range_used[((uint64_t)r->base - NET_RING_BASE) / NET_RING_SPAN] = 0;
	r->hdr = 0;
	return err;
}

long net_bind(struct net_ring *r, unsigned dev, const void *prog, size_t len)
{
	return sys_net_filter_bind(r->handle, dev, prog, len, 0);
}

long net_bind_shared(struct net_ring *r, unsigned dev, const void *prog, size_t len)
{
	return sys_net_filter_bind(r->handle, dev, prog, len, EXO_NETF_SHARED);
}

int net_unbind(long filter)
{
	return revoke_resource((int)filter);
}

const struct exo_pktslot *net_peek(const struct net_ring *r)
{
	uint32_t tail = r->hdr->tail;

	if (tail == r->hdr->head)
		return 0;
	/* The slot was written before head moved (exo/net.h). */
	__asm__ volatile("" ::: "memory");
	uint32_t i = tail % r->hdr->nslots;
	return (const struct exo_pktslot *)(r->base + exo_pktslot_page(i) * PAGE_SIZE +
					    exo_pktslot_off(i));
}

const struct exo_pktslot *net_recv(const struct net_ring *r, long ticks)
{
	long end = sys_ticks() + ticks;
	const struct exo_pktslot *s;

	while ((s = net_peek(r)) == 0 && sys_ticks() < end)
		sys_sleep(1);
	return s;
}

void net_recv_done(struct net_ring *r)
{
	__asm__ volatile("" ::: "memory");
	r->hdr->tail = r->hdr->tail + 1;
}

int net_ring_upcall(struct net_ring *r, void (*fn)(int64_t ring, uint64_t filter))
{
	if (fn) {
		libos_handlers.packet = fn;
		long err = sys_bind_signal(EXO_SIG_PACKET, (void *)libos_upcall_entry);
		if (err < 0)
			return (int)err;
	}
	r->hdr->want_upcall = fn != 0;
	return 0;
}

long net_send(unsigned dev, const void *frame, size_t len)
{
	return sys_net_tx(dev, frame, len);
}
