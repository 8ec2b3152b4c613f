/*
 * The network ABI shared by the kernel and every libOS (docs/net.md,
 * "Demux"): the layout of a packet ring, the NIC section of the
 * bookkeeping window, and the flags of the net_* system calls
 * (docs/syscalls.md, "Network").
 *
 * A packet ring is npages consecutive pages of the env's own memory,
 * mapped read-write by the env: page 0 is the header, pages 1.. hold
 * slots of EXO_PKT_SLOT bytes, two to a page, so a slot never straddles
 * a page. The kernel is the only producer, the libOS the only consumer:
 *
 *   kernel: if head - tail < nslots: fill slot head % nslots, then head++
 *   libOS : while tail != head: read slot tail % nslots, then tail++
 *
 * head and tail run freely (32-bit, wrapping). The kernel keeps its own
 * copy of head and never trusts the header's; it reads tail once per
 * packet, and a tail that claims more free slots than exist is taken to
 * mean "full" (the packet is dropped and counted), so a libOS that
 * scribbles over its header loses its own packets and nothing else.
 */
#ifndef EXO_NET_H
#define EXO_NET_H

#include <stdint.h>

#define EXO_PKTRING_MAGIC   0x474e4952544b5045ULL  /* "EPKTRING" */
#define EXO_PKT_SLOT        2048
#define EXO_PKT_SLOTS_PER_PAGE 2
#define EXO_PKTRING_MIN_PAGES 2     /* header + one page of slots */
#define EXO_PKTRING_MAX_PAGES 129   /* header + 128 pages: 256 slots */

/* Page 0 of a ring. The kernel writes the fields marked K, the libOS U. */
struct exo_pktring {
	uint64_t magic;            /* K: EXO_PKTRING_MAGIC once set up */
	uint32_t nslots;           /* K */
	uint32_t slot_size;        /* K: EXO_PKT_SLOT */
	volatile uint32_t head;    /* K: slots produced */
	volatile uint32_t tail;    /* U: slots consumed */
	volatile uint32_t want_upcall; /* U: nonzero: post EXO_SIG_PACKET on each delivery */
	uint32_t reserved;
	volatile uint64_t delivered;   /* K: packets written into this ring */
	volatile uint64_t dropped;     /* K: packets refused: ring full */
	char last_error[160];      /* K: why the last net_filter_bind failed */
};

/* One slot. len is the frame's length (destination MAC up, no FCS). */
struct exo_pktslot {
	uint16_t len;
	uint8_t dev;               /* netdev index */
	uint8_t ring;              /* its RX ring */
	uint32_t filter;           /* the accepting filter's name */
	uint64_t tsc;              /* when the kernel demultiplexed it */
	uint8_t data[EXO_PKT_SLOT - 16];
};

_Static_assert(sizeof(struct exo_pktring) <= 4096, "pktring header fits page 0");
_Static_assert(sizeof(struct exo_pktslot) == EXO_PKT_SLOT, "pktslot layout");
_Static_assert(EXO_PKT_SLOT * EXO_PKT_SLOTS_PER_PAGE == 4096, "slots per page");

/* Slots of a ring of npages pages (header included). */
static inline uint32_t exo_pktring_slots(uint32_t npages)
{
	return npages < EXO_PKTRING_MIN_PAGES ? 0 :
	       (npages - 1) * EXO_PKT_SLOTS_PER_PAGE;
}

/* Page (counted from the ring's first page) and offset of slot i. */
static inline uint32_t exo_pktslot_page(uint32_t i)
{
	return 1 + i / EXO_PKT_SLOTS_PER_PAGE;
}

static inline uint32_t exo_pktslot_off(uint32_t i)
{
	return (i % EXO_PKT_SLOTS_PER_PAGE) * EXO_PKT_SLOT;
}

/* Free slots seen by the producer; 0 also when tail is inconsistent. */
static inline uint32_t exo_pktring_room(uint32_t head, uint32_t tail,
					uint32_t nslots)
{
	uint32_t used = head - tail;

	return used >= nslots ? 0 : nslots - used;
}

/* ---- The NIC section of the bookkeeping window (exo/book.h nic_off) ---- */

#define EXO_NIC_MAGIC    0x3143494e4f584555ULL  /* "UEXONIC1": 1 adds filter_share */
#define EXO_NIC_NDEV     4
#define EXO_NIC_NRING    4      /* RX rings per device */
#define EXO_NIC_NFILTER  96     /* filters bound by envs, all devices */

/*
 * Per RX ring. Every frame the driver hands up is counted once in
 * `received` and once in exactly one of delivered, unmatched, dropped:
 *   received == delivered + unmatched + dropped
 * (read the four with the ring quiet, or allow for one frame in flight).
 */
struct exo_nic_ring {
	uint64_t received;
	uint64_t delivered;        /* written into the owner's packet ring (a shared
	                              filter's frame: into at least one binder's) */
	uint64_t unmatched;        /* no filter accepted it */
	uint64_t dropped;          /* accepted, but no owner's ring took it (full or gone) */
	uint64_t demux_cycles;     /* TSC cycles spent in the demux, all frames */
	uint32_t filters;          /* trie entries: a shared filter's binders count once */
	uint32_t jit_bytes;        /* size of the current JIT image */
	uint64_t jit_compiles;
};

struct exo_nic_dev {
	char name[16];             /* "e1000", "virtio-net"; "" = no device */
	uint8_t mac[6];
	uint8_t link;
	uint8_t nrings;
	uint32_t ip;               /* the address envs may send from (network order); 0: any */
	uint64_t rx_errors, rx_missed;   /* driver counters (netdev_stats) */
	uint64_t tx_packets;       /* frames envs sent */
	uint64_t tx_refused;       /* net_tx refusals: ownership, length, spoofing */
	struct exo_nic_ring ring[EXO_NIC_NRING];
};

/* Per bound filter; the slot index is the filter's name index. */
struct exo_nic_filter {
	uint16_t owner;            /* env slot + 1; 0: free */
	uint8_t dev, ring;
	uint32_t natoms;
	uint64_t delivered;
	uint64_t dropped;          /* ring full or gone */
};

struct exo_book_nic {
	uint64_t magic;
	uint32_t ndev;
	uint32_t nfilter;          /* EXO_NIC_NFILTER */
	struct exo_nic_dev dev[EXO_NIC_NDEV];
	struct exo_nic_filter filter[EXO_NIC_NFILTER];
	/* Per filter slot, beside filter[] (its row has no room left):
	 * 0 if the filter is not shared, else 1 + the slot of the group
	 * member whose id the demux returns (EXO_NETF_SHARED). Every member
	 * of one group shows the same value. */
	uint8_t filter_share[EXO_NIC_NFILTER];
};

_Static_assert(sizeof(struct exo_nic_ring) == 56, "exo_nic_ring layout");
_Static_assert(sizeof(struct exo_nic_filter) == 24, "exo_nic_filter layout");
_Static_assert(sizeof(struct exo_book_nic) <= 4096, "NIC section fits its page");

/* ---- net_filter_bind flags ---------------------------------------------- */

#define EXO_NETF_RING_SHIFT 0      /* bits 0-7: the device's RX ring */
#define EXO_NETF_RING_MASK  0xff
/*
 * Bit 8: a shared filter. Any number of envs may bind byte-identical
 * shared programs on one (device, RX ring); they form one group with one
 * trie entry, and every frame it accepts is copied into every binder's
 * ring (each binder's own counters and upcall). For the overlap rule the
 * group is an owner of its own: it conflicts with any other overlapping
 * filter, the binders' own included, unless the binder holds
 * EXO_CAP_NET_ANY. For what every stack on one address needs: ARP, DHCP
 * replies, IP fragments (docs/net.md, "Shared filters").
 */
#define EXO_NETF_SHARED     (1u << 8)

#endif /* EXO_NET_H */
