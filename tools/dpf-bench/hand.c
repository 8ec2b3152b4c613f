/*
 * The hand-written classifier: what a programmer would write for exactly
 * this filter set and nothing else, the practical limit for any general
 * engine. Parse Ethernet/IPv4/TCP the way the filters do (first fragments
 * only, IHL from the header, every read inside the captured bytes), then
 * one probe of an open-addressing hash table keyed on the 4-tuple.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

struct slot {
	uint64_t addrs; /* saddr << 32 | daddr */
	uint32_t ports; /* sport << 16 | dport */
	uint32_t id;    /* 0: empty */
};

/* Open addressing, linear probing, with the load the DPF JIT's tables
 * use (kernel/dpf/jit_group.c): at most a quarter full while the table
 * takes at most 512 KB, else at most half full. */
struct hand {
	struct slot *tab;
	unsigned bits;
};

static struct hand hand_self;

static inline uint32_t hash4(uint64_t addrs, uint32_t ports, unsigned bits)
{
	uint64_t h = (addrs ^ (uint64_t)ports << 17) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> (64 - bits));
}

static int hand_setup(void *self, const struct workload *w,
		      const struct bpf_program *progs, size_t n, char *err,
		      size_t errlen)
{
	struct hand *h = self;
	size_t i;

	(void)progs, (void)err, (void)errlen;
	free(h->tab);
	for (h->bits = 4; (1u << h->bits) < 4 * n; h->bits++)
		;
	if ((sizeof(*h->tab) << h->bits) > (512u << 10))
		h->bits--;
	h->tab = calloc(1u << h->bits, sizeof(*h->tab));
	if (!h->tab)
		return -1;
	for (i = 0; i < n; i++) {
		const struct conn *c = &w->conns[i];
		uint64_t addrs = (uint64_t)c->saddr << 32 | c->daddr;
		uint32_t ports = (uint32_t)c->sport << 16 | c->dport;
		uint32_t at = hash4(addrs, ports, h->bits);

		while (h->tab[at].id)
			at = (at + 1) & ((1u << h->bits) - 1);
		h->tab[at] = (struct slot){ addrs, ports, (uint32_t)i + 1 };
	}
	return 0;
}

static inline uint32_t be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return __builtin_bswap32(v);
}

/* Called once per packet, as every other engine is (the JIT's function
 * pointer, dpf_interp, bpf_filter, DPDK's JIT): not inlined into the
 * benchmark loop, which would spare it the call and let the compiler
 * overlap packets in ways no demux point called per packet can. */
__attribute__((noinline)) static uint32_t classify(const struct hand *h,
						   const uint8_t *p,
						   uint32_t caplen)
{
	uint32_t ports, at, l4, mask = (1u << h->bits) - 1;
	uint64_t addrs;

	if (caplen < 34 || p[12] != 0x08 || p[13] != 0x00 || p[23] != 6 ||
	    (p[20] & 0x1f) || p[21])
		return 0;
	l4 = 14 + (uint32_t)(p[14] & 0xf) * 4;
	if (caplen < l4 + 4)
		return 0;
	addrs = (uint64_t)be32(p + 26) << 32 | be32(p + 30);
	ports = be32(p + l4);
	for (at = hash4(addrs, ports, h->bits); h->tab[at].id;
	     at = (at + 1) & mask)
		if (!((h->tab[at].addrs ^ addrs) | (h->tab[at].ports ^ ports)))
			return h->tab[at].id;
	return 0;
}

static void hand_run(void *self, const struct workload *w, size_t first,
		     size_t stride, size_t count, uint32_t *out)
{
	const struct hand *h = self;
	size_t i, at = first;

	for (i = 0; i < count; i++, at += stride)
		out[i] = classify(h, w->seq[at]->data, w->seq[at]->caplen);
}

static void hand_teardown(void *self)
{
	struct hand *h = self;

	free(h->tab);
	h->tab = NULL;
}

struct engine engine_hand = {
	"hand", hand_setup, hand_run, hand_teardown, &hand_self, 0,
};
