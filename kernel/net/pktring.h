/*
 * Packet rings, the kernel's side (layout and protocol: exo/net.h). A ring
 * is built from pages an env owns; the kernel reaches them through the
 * direct map, so delivering a frame is one copy into the owner's memory
 * (docs/net.md says why not zero-copy). Pure logic: the pages are kernel
 * pointers supplied by the caller, so tests/kernel/net/test_pktring.c runs
 * it on malloc'd pages. Whether the pages still belong to the owner is
 * the caller's check (net/netres.c), made before every delivery.
 */
#ifndef NET_PKTRING_H
#define NET_PKTRING_H

#include <stddef.h>
#include <stdint.h>

#include <exo/net.h>

struct pktring {
	uint8_t *page[EXO_PKTRING_MAX_PAGES];  /* kernel addresses of the pages */
	uint32_t frame[EXO_PKTRING_MAX_PAGES]; /* their frame numbers */
	uint32_t npages;
	uint32_t nslots;
	uint32_t head;          /* the kernel's own producer index */
	uint64_t delivered, dropped;
};

/* Set up the ring over npages pages (checked by the caller): clears the
 * header and writes magic, nslots, slot size. 0, or -1 for a bad count. */
int pktring_init(struct pktring *r, uint32_t npages);

/*
 * Copy one frame into the next free slot and publish it (head++). Returns
 * 1 if delivered, 0 if dropped because the ring is full (or its tail is
 * inconsistent), -1 if len does not fit a slot (dropped too).
 */
int pktring_put(struct pktring *r, const uint8_t *frame, size_t len,
		uint8_t dev, uint8_t ring, uint32_t filter, uint64_t tsc);

/* The shared header (page 0). */
static inline struct exo_pktring *pktring_hdr(const struct pktring *r)
{
	return (struct exo_pktring *)r->page[0];
}

#endif /* NET_PKTRING_H */
