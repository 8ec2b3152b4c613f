/*
 * The libOS side of the network datapath (docs/net.md, "Demux"):
 *
 *   struct net_ring r;
 *   net_ring_open(&r, 9);                      header + 8 pages = 16 slots
 *   net_filter_udp(&b, buf, sizeof buf, ip, 7001) -> bytecode
 *   long fh = net_bind(&r, 0, buf, len);       filter handle, or -EXO_E*
 *   const struct exo_pktslot *s = net_recv(&r, timeout);  poll
 *   net_recv_done(&r);                         give the slot back
 *   net_send(0, frame, len);                   checked transmit
 *   net_unbind(fh); net_ring_close(&r);        release
 *
 * A ring is made of pages this env binds and maps itself (libos/page.h);
 * the kernel copies each accepted frame into the next slot. The filter
 * builders below write DPF bytecode (kernel/dpf/build.c, compiled into
 * the libOS) for the common cases; anything else can be built with the
 * dpf_build_* calls directly.
 */
#ifndef LIBOS_NET_H
#define LIBOS_NET_H

#include <stddef.h>
#include <stdint.h>

#include <exo/book.h>
#include <exo/net.h>

#define NET_RING_BASE 0x0000310000000000UL  /* rings are mapped from here */
#define NET_RING_SPAN 0x0000000000100000UL  /* 1 MiB of addresses per ring */
#define NET_RINGS_MAX 8

struct net_ring {
	struct exo_pktring *hdr;     /* page 0 */
	uint8_t *base;
	uint32_t npages;
	long handle;                 /* the ring's H_RING handle */
};

/* The NIC section of the bookkeeping window. */
static inline const struct exo_book_nic *net_book(void)
{
	return (const struct exo_book_nic *)(EXO_BOOK_BASE + exo_book()->nic_off);
}

/* Bind and map npages fresh pages and make them a packet ring. 0 or -EXO_E*. */
int net_ring_open(struct net_ring *r, unsigned npages);

/* Release the ring (its filters go with it) and its pages. */
int net_ring_close(struct net_ring *r);

/* Bind filter prog[0, len) to the ring on device dev, RX ring 0. A filter
 * handle, or -EXO_E* (the kernel's reason is in r->hdr->last_error). */
long net_bind(struct net_ring *r, unsigned dev, const void *prog, size_t len);
/* The same as a shared filter (EXO_NETF_SHARED): other envs may bind the
 * identical program and every frame it accepts reaches each of them. */
long net_bind_shared(struct net_ring *r, unsigned dev, const void *prog, size_t len);

/* Release a filter handle. */
int net_unbind(long filter);

/* The oldest unread slot, or NULL if the ring is empty. */
const struct exo_pktslot *net_peek(const struct net_ring *r);

/* As net_peek, but poll (sleeping a tick at a time) for up to `ticks`. */
const struct exo_pktslot *net_recv(const struct net_ring *r, long ticks);

/* Hand the slot from net_peek/net_recv back to the kernel. */
void net_recv_done(struct net_ring *r);

/*
 * Ask for an EXO_SIG_PACKET upcall whenever the kernel puts a frame into
 * r (fn(ring handle, filter name) runs on the upcall stack; upcalls that
 * come while one is pending merge into it, so fn should drain or note
 * the ring, not count frames). fn NULL: back to polling only.
 */
int net_ring_upcall(struct net_ring *r, void (*fn)(int64_t ring, uint64_t filter));

/* Transmit frame[0, len) (from this env's own memory) on device dev. */
long net_send(unsigned dev, const void *frame, size_t len);

/* ---- Filter builders: bytecode length, or 0 if buf is too small ---------- */

/* IPv4 UDP to (ip, port); ip in network order, 0 = any destination. */
size_t net_filter_udp(void *buf, size_t cap, uint32_t ip, uint16_t port);

/* ARP (Ethernet/IPv4) whose target protocol address is ip. */
size_t net_filter_arp(void *buf, size_t cap, uint32_t ip);

/* Every frame: a catch-all, refused without EXO_CAP_NET_ANY. */
size_t net_filter_all(void *buf, size_t cap);

/* Every frame of one ethertype (broad: overlaps any filter on that type). */
size_t net_filter_ethertype(void *buf, size_t cap, uint16_t type);

#endif /* LIBOS_NET_H */
