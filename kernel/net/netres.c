/*
 * Packet rings and filters as resources (net/netres.h).
 *
 * A ring records the frames of its pages when it is made, and before
 * every delivery checks that the header's frame and the slot's frame
 * still belong to the ring's owner in the ownership table. So an env
 * that releases or hands away a ring page cannot make the kernel write
 * into memory that is no longer its own: the ring goes dead and drops.
 *
 * Filters are verified, checked against the catch-all policy, inserted
 * into the demux point's trie under the owner's tag (the trie refuses an
 * overlap with another owner's filter unless the binder holds
 * EXO_CAP_NET_ANY), and the point is recompiled. A failed recompile
 * takes the insert back, so the trie and the image always agree.
 *
 * Shared filters (EXO_NETF_SHARED) form groups with one trie entry and
 * a copy of each frame for every member (net/netshare.c).
 */
#include <string.h>

#include <arch/irq.h>
#include <arch/paging.h>
#include <boot/boot.h>
#include <console/console.h>
#include <dpf/dpf.h>
#include <env/env.h>
#include <env/handle.h>
#include <env/upcall.h>
#include <exo/errno.h>
#include <exo/resource.h>
#include <mm/book.h>
#include <mm/phys.h>
#include <net/demux.h>
#include <net/netdev.h>
#include <net/netpolicy.h>
#include <net/netres_int.h>

struct nring net_rings[NETRES_NRING];
struct nfilter net_filters[EXO_NIC_NFILTER];
struct dpf_filter net_scratch;

uint32_t netres_config_ip(void)
{
	const char *s = cmdline_get(&boot_cmdline, "ip");
	uint8_t b[4];
	int i = 0;

	if (s == NULL)
		return 0;
	for (; i < 4; i++) {
		unsigned v = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || v > 255)
			return 0;
		b[i] = (uint8_t)v;
		if (i < 3 && *s++ != '.')
			return 0;
	}
	uint32_t ip;
	memcpy(&ip, b, 4);
	return ip;
}

/* ---- Rings ---------------------------------------------------------------- */

static int frame_in_ring(uint32_t frame)
{
	for (int r = 0; r < NETRES_NRING; r++)
		for (uint32_t i = 0; net_rings[r].owner && i < net_rings[r].pr.npages; i++)
			if (net_rings[r].pr.frame[i] == frame)
				return 1;
	return 0;
}

/* The frame behind user page va of e, if e owns it and may write it. */
static int own_page(struct env *e, uint64_t va, int write, uint32_t *frame)
{
	uint64_t pa, flags, need = PTE_P | PTE_U | (write ? PTE_W : 0);

	if (!pt_translate(e->as.pml4, va, &pa, &flags) || (flags & need) != need)
		return -EXO_EFAULT;
	uint64_t f = pa / PAGE_SIZE;
	if (f >= frame_owner.nframes || owner_get(&frame_owner, f) != env_tag(e))
		return -EXO_EPERM;
	*frame = (uint32_t)f;
	return 0;
}

int netres_ring_create(struct env *e, uint64_t va, uint64_t npages)
{
	uint32_t frames[EXO_PKTRING_MAX_PAGES];
	int slot = -1;

	if (npages < EXO_PKTRING_MIN_PAGES || npages > EXO_PKTRING_MAX_PAGES ||
	    (va & (PAGE_SIZE - 1)) || va >= EXO_USER_TOP ||
	    EXO_USER_TOP - va < npages * PAGE_SIZE)
		return -EXO_EINVAL;
	for (uint64_t i = 0; i < npages; i++) {
		int err = own_page(e, va + i * PAGE_SIZE, 1, &frames[i]);
		if (err)
			return err;
		if (frame_in_ring(frames[i]))
			return -EXO_EBUSY;
		for (uint64_t k = 0; k < i; k++)
			if (frames[k] == frames[i])
				return -EXO_EINVAL;   /* one frame mapped twice */
	}
	for (int r = 0; r < NETRES_NRING && slot < 0; r++)
		if (net_rings[r].owner == NULL)
			slot = r;
	if (slot < 0)
		return -EXO_ENOMEM;
	int h = handle_alloc(&e->ht, H_RING, EXO_NAME(EXO_RES_RING, slot), 0, 0);
	if (h < 0)
		return -EXO_ENOMEM;
	struct nring *nr = &net_rings[slot];
	for (uint64_t i = 0; i < npages; i++) {
		nr->pr.frame[i] = frames[i];
		nr->pr.page[i] = pa2va((uint64_t)frames[i] * PAGE_SIZE);
	}
	pktring_init(&nr->pr, (uint32_t)npages);
	nr->dead = 0;
	nr->handle = h;
	uint64_t f = irq_save();
	nr->owner = e;
	irq_restore(f);
	return h;
}

/* Are the ring's header and slot i still in its owner's pages? */
static int ring_intact(const struct nring *nr, uint32_t i)
{
	uint16_t tag = env_tag(nr->owner);

	return owner_get(&frame_owner, nr->pr.frame[0]) == tag &&
	       owner_get(&frame_owner, nr->pr.frame[exo_pktslot_page(i)]) == tag;
}

/* One copy into the ring of filter slot i's owner; 1 if it is there. */
static int deliver_one(int i, const uint8_t *frame, size_t len, uint8_t dev,
		       uint8_t ring, uint64_t tsc)
{
	struct nfilter *nf = &net_filters[i];
	struct nring *nr = &net_rings[nf->ring];
	struct exo_nic_filter *bf = &demux_book()->filter[i];
	uint32_t name = EXO_NAME(EXO_RES_FILTER, (uint32_t)i);

	if (nf->owner == NULL)
		return 0;
	if (!nr->dead && !ring_intact(nr, nr->pr.head % nr->pr.nslots))
		nr->dead = 1;
	int r = nr->dead ? 0 :
		pktring_put(&nr->pr, frame, len, dev, ring, name, tsc);
	if (r == 1)
		bf->delivered++;
	else
		bf->dropped++;
	/* A libOS about to sleep asked to be woken (exo/net.h want_upcall):
	 * the upcall ends its sleep now, not at its deadline. */
	if (r == 1 && pktring_hdr(&nr->pr)->want_upcall)
		upcall_post(nr->owner, EXO_SIG_PACKET, (uint64_t)nr->handle, name, 0);
	return r == 1;
}

int netres_deliver(uint32_t id, const uint8_t *frame, size_t len,
		   uint8_t dev, uint8_t ring, uint64_t tsc)
{
	if (id == 0 || id > EXO_NIC_NFILTER || net_filters[id - 1].owner == NULL)
		return 0;
	if (!net_filters[id - 1].shared)
		return deliver_one((int)id - 1, frame, len, dev, ring, tsc);
	/* A group's frame: a copy for every member. id is the lead's, or an
	 * old lead's that forwards to its successor until the image that
	 * names the successor is in. */
	int got = 0;
	for (int m = net_filters[id - 1].lead; m >= 0; m = net_filters[m].next)
		got |= deliver_one(m, frame, len, dev, ring, tsc);
	return got;
}

/* ---- Filters -------------------------------------------------------------- */

static void ring_error(struct nring *nr, const char *msg)
{
	struct exo_pktring *h = pktring_hdr(&nr->pr);

	if (nr->dead || !ring_intact(nr, 0))
		return;
	size_t n = strnlen(msg, sizeof(h->last_error) - 1);
	memcpy(h->last_error, msg, n);
	h->last_error[n] = 0;
}

/* Publish slot's row in the bookkeeping window. */
static void book_row(int slot, struct env *e, unsigned dev, unsigned rxring,
		     int share)
{
	unsigned natoms = 0;

	for (unsigned p = 0; p < net_scratch.npaths; p++)
		natoms += net_scratch.natoms[p];
	demux_book()->filter[slot] = (struct exo_nic_filter){
		.owner = env_tag(e), .dev = (uint8_t)dev,
		.ring = (uint8_t)rxring, .natoms = natoms };
	demux_book()->filter_share[slot] = (uint8_t)share;
}

int netres_filter_bind(struct env *e, int ring, unsigned dev, unsigned rxring,
		       const void *prog, size_t len, int shared)
{
	struct handle *rh = handle_get(&e->ht, ring, H_RING);
	struct demux_point *dp = demux_point(dev, rxring);
	struct dpf_error err;
	int slot = -1;

	if (rh == NULL)
		return -EXO_EBADF;
	if (dp == NULL)
		return -EXO_ENODEV;
	struct nring *nr = &net_rings[EXO_NAME_INDEXOF(rh->name)];
	if (dpf_verify(prog, len, &net_scratch, &err) != 0) {
		ring_error(nr, err.msg);
		return -EXO_EINVAL;
	}
	int any = (e->caps & EXO_CAP_NET_ANY) != 0;
	if (!any && netpolicy_catch_all(&net_scratch)) {
		ring_error(nr, "catch-all filter: a path pins no packet byte "
			   "(needs EXO_CAP_NET_ANY)");
		return -EXO_EPERM;
	}
	for (int i = 0; i < EXO_NIC_NFILTER && slot < 0; i++)
		if (net_filters[i].owner == NULL)
			slot = i;
	if (slot < 0)
		return -EXO_ENOMEM;
	int lead = shared ? netshare_find(dp, prog, len) : -1;
	if (lead >= 0) {
		int r = netshare_may_join(e, lead, slot, any, &err);
		if (r != 0) {
			ring_error(nr, err.msg);
			return r;
		}
	}
	int h = handle_alloc(&e->ht, H_FILTER, EXO_NAME(EXO_RES_FILTER, slot), 0, 0);
	if (h < 0)
		return -EXO_ENOMEM;
	struct nfilter nf = { .owner = e, .handle = h,
			      .ring = (int)EXO_NAME_INDEXOF(rh->name), .dp = dp,
			      .shared = shared, .lead = lead >= 0 ? lead : slot,
			      .next = -1 };
	if (lead >= 0) {
		/* Join: no trie change; the member is in the book, then in the
		 * chain, at its end (the RX path walks it). */
		book_row(slot, e, dev, rxring, lead + 1);
		netshare_join(slot, &nf);
		return h;
	}
	if (shared && (nf.prog = netshare_prog_copy(prog, len)) == NULL) {
		handle_free(&e->ht, h);
		return -EXO_ENOMEM;
	}
	nf.plen = shared ? len : 0;
	int r = dpf_trie_insert(dp->trie, &net_scratch, (uint32_t)slot + 1,
				shared ? netshare_owner(slot) : env_tag(e),
				any ? DPF_INS_OVERLAP_OK : 0, &err);
	if (r == 0 && demux_rebuild(dp, &err) != 0) {
		dpf_trie_delete(dp->trie, (uint32_t)slot + 1);
		r = DPF_E_NOMEM;
	}
	if (r != 0) {
		if (nf.prog)
			netshare_prog_free(&nf);
		handle_free(&e->ht, h);
		ring_error(nr, err.msg);
		return r == DPF_E_OVERLAP ? -EXO_EBUSY :
		       r == DPF_E_NOMEM || r == DPF_E_JIT ? -EXO_ENOMEM : -EXO_EINVAL;
	}
	book_row(slot, e, dev, rxring, shared ? slot + 1 : 0);
	uint64_t f = irq_save();
	net_filters[slot] = nf;
	irq_restore(f);
	return h;
}

void netres_rebuild(struct demux_point *dp, int slot)
{
	struct dpf_error err;

	if (demux_rebuild(dp, &err) != 0)
		printk("net: filter %d: recompile after delete failed: %s\n", slot,
		       err.msg);
}

void netres_slot_free(struct env *e, int slot)
{
	struct nfilter *nf = &net_filters[slot];
	uint64_t f = irq_save();

	nf->owner = NULL;    /* an old image may still say `slot`: ignored now */
	nf->shared = 0;
	nf->next = -1;
	irq_restore(f);
	if (nf->prog)
		netshare_prog_free(nf);
	demux_book()->filter[slot].owner = 0;
	demux_book()->filter_share[slot] = 0;
	handle_free(&e->ht, nf->handle);
}

static void filter_drop(struct env *e, int slot)
{
	struct nfilter *nf = &net_filters[slot];

	if (nf->shared && (nf->lead != slot || nf->next >= 0)) {
		netshare_leave(e, slot);     /* the group stays */
		return;
	}
	uint64_t f = irq_save();
	nf->owner = NULL;    /* the old image may still say `slot`: ignored now */
	irq_restore(f);
	dpf_trie_delete(nf->dp->trie, (uint32_t)slot + 1);
	netres_rebuild(nf->dp, slot);
	netres_slot_free(e, slot);
}

int netres_release(struct env *e, int h)
{
	struct handle *hd = handle_get(&e->ht, h, H_ANY);

	if (hd == NULL)
		return -EXO_EBADF;
	uint32_t idx = EXO_NAME_INDEXOF(hd->name);
	if (hd->type == H_FILTER && idx < EXO_NIC_NFILTER && net_filters[idx].owner == e) {
		filter_drop(e, (int)idx);
		return 0;
	}
	if (hd->type == H_RING && idx < NETRES_NRING && net_rings[idx].owner == e) {
		for (int i = 0; i < EXO_NIC_NFILTER; i++)
			if (net_filters[i].owner == e && net_filters[i].ring == (int)idx)
				filter_drop(e, i);
		uint64_t f = irq_save();
		net_rings[idx].owner = NULL;
		irq_restore(f);
		handle_free(&e->ht, h);
		return 0;
	}
	return -EXO_EBADF;
}

int netres_owner(uint32_t name)
{
	uint32_t i = EXO_NAME_INDEXOF(name);
	struct env *e;

	switch (EXO_NAME_TYPEOF(name)) {
	case EXO_RES_RING:
		if (i >= NETRES_NRING)
			return -1;
		e = net_rings[i].owner;
		break;
	case EXO_RES_FILTER:
		if (i >= EXO_NIC_NFILTER)
			return -1;
		e = net_filters[i].owner;
		break;
	default:
		return -1;
	}
	return e ? env_tag(e) : 0;
}

/* ---- Transmit ------------------------------------------------------------- */

int netres_tx(struct env *e, unsigned dev, uint64_t va, uint64_t len)
{
	uint8_t buf[ETH_FRAME_MAX];
	struct exo_book_nic *nic = demux_book();

	if (dev >= netdev_count() || dev >= EXO_NIC_NDEV)
		return -EXO_ENODEV;
	struct exo_nic_dev *bd = &nic->dev[dev];
	if (len < ETH_HLEN || len > ETH_FRAME_MAX || va >= EXO_USER_TOP ||
	    EXO_USER_TOP - va < len) {
		bd->tx_refused++;
		return -EXO_EINVAL;
	}
	/* Every byte from the env's own pages (not a grant, not the initrd). */
	for (uint64_t off = 0; off < len;) {
		uint64_t a = va + off;
		uint64_t n = PAGE_SIZE - (a & (PAGE_SIZE - 1));
		uint32_t frame;
		int err = own_page(e, a & ~(PAGE_SIZE - 1), 0, &frame);
		if (err) {
			bd->tx_refused++;
			return err;
		}
		if (n > len - off)
			n = len - off;
		memcpy(buf + off, (uint8_t *)pa2va((uint64_t)frame * PAGE_SIZE) +
		       (a & (PAGE_SIZE - 1)), n);
		off += n;
	}
	if (!(e->caps & EXO_CAP_NET_ANY) &&
	    netpolicy_tx_check(buf, len, bd->mac, bd->ip) != TX_OK) {
		bd->tx_refused++;
		return -EXO_EPERM;
	}
	int r = netdev_tx(netdev_get(dev), buf, len);
	if (r == 0)
		bd->tx_packets++;
	else
		bd->tx_refused++;
	return r;
}
