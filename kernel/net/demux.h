/*
 * The demultiplexer: one demux point per RX ring of every NIC. A point
 * holds the merged DPF trie of the filters bound to that ring and its
 * JIT-compiled image; the ring's receive handler runs the image on each
 * frame and hands an accepted frame to the filter's owner
 * (net/netres.h). Counters go to the NIC section of the bookkeeping
 * window (exo/net.h), where every env can read them.
 */
#ifndef NET_DEMUX_H
#define NET_DEMUX_H

#include <stdint.h>

#include <dpf/dpf.h>
#include <exo/net.h>

struct netdev;

struct demux_point {
	struct netdev *dev;
	uint8_t devno, ring;
	struct dpf_trie *trie;
	struct dpf_jit *jit;            /* image of the trie; NULL: no filters */
	volatile dpf_jit_fn fn;         /* its entry, what the RX path calls */
	struct exo_nic_ring *stats;     /* in the bookkeeping window */
};

/* After net_init's attach and book_init: a point per ring, handlers on. */
void demux_init(void);

/* The point of (device, RX ring), or NULL. */
struct demux_point *demux_point(unsigned dev, unsigned ring);

/* The kernel's view of the NIC section of the bookkeeping window. */
struct exo_book_nic *demux_book(void);

/*
 * Recompile p's trie and switch the RX path to the new image (with
 * interrupts off for the switch only), then free the old image. On
 * failure the old image stays and *err says why; -EXO_ENOMEM.
 */
int demux_rebuild(struct demux_point *p, struct dpf_error *err);

/* Publish driver counters (rx_errors, ...) of every device in the window. */
void demux_sync_stats(void);

/* The RX path's classification, for the in-VM benchmark (net-demux-bench). */
uint32_t demux_classify(const struct demux_point *p, const uint8_t *frame,
			uint32_t len);

#endif /* NET_DEMUX_H */
