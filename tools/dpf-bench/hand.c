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

#define HAND_BITS 18 /* 2^18 slots for up to 65536 connections */

struct slot {
	uint32_t saddr, daddr;
	uint32_t ports; /* sport << 16 | dport */
	uint32_t id;    /* 0: empty */
};

struct hand {
	struct slot *tab;
};

static struct hand hand_self;

static inline uint32_t hash4(uint32_t s, uint32_t d, uint32_t ports)
{
	uint64_t h = (s * 0x9e3779b97f4a7c15ull) ^ (d * 0xc2b2ae3d27d4eb4full) ^
		     (ports * 0x165667b19e3779f9ull);

	return (uint32_t)(h >> (64 - HAND_BITS));
}

static int hand_setup(void *self, const struct workload *w,
		      const struct bpf_program *progs, size_t n, char *err,
		      size_t errlen)
{
	struct hand *h = self;
	size_t i;

	(void)progs, (void)err, (void)errlen;
	free(h->tab);
	h->tab = calloc(1u << HAND_BITS, sizeof(*h->tab));
	if (!h->tab)
		return -1;
	for (i = 0; i < n; i++) {
		const struct conn *c = &w->conns[i];
		uint32_t ports = (uint32_t)c->sport << 16 | c->dport;
		uint32_t at = hash4(c->saddr, c->daddr, ports);

		while (h->tab[at].id)
			at = (at + 1) & ((1u << HAND_BITS) - 1);
		h->tab[at] = (struct slot){ c->saddr, c->daddr, ports,
					    (uint32_t)i + 1 };
	}
	return 0;
}

static inline uint32_t be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return __builtin_bswap32(v);
}

static inline uint32_t classify(const struct slot *tab, const uint8_t *p,
				uint32_t caplen)
{
	uint32_t s, d, ports, at, l4;

	if (caplen < 34 || p[12] != 0x08 || p[13] != 0x00 || p[23] != 6 ||
	    (p[20] & 0x1f) || p[21])
		return 0;
	l4 = 14 + (uint32_t)(p[14] & 0xf) * 4;
	if (caplen < l4 + 4)
		return 0;
	s = be32(p + 26);
	d = be32(p + 30);
	ports = be32(p + l4);
	for (at = hash4(s, d, ports); tab[at].id;
	     at = (at + 1) & ((1u << HAND_BITS) - 1))
		if (tab[at].saddr == s && tab[at].daddr == d &&
		    tab[at].ports == ports)
			return tab[at].id;
	return 0;
}

static void hand_run(void *self, const struct workload *w, size_t first,
		     size_t stride, size_t count, uint32_t *out)
{
	const struct slot *tab = ((struct hand *)self)->tab;
	size_t i, at = first;

	for (i = 0; i < count; i++, at += stride)
		out[i] = classify(tab, w->seq[at]->data, w->seq[at]->caplen);
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
