/*
 * The dpf-bench workload: per-connection filters and the packets they
 * demultiplex.
 *
 * Synthesized (default): BENCH_MAX_CONNS TCP connections to a server
 * (10.0.0.1-4, ports 80/443/8080) from distinct remote (address, port)
 * pairs, and a packet mix, fixed by a seeded generator:
 *   55% TCP segments of installed connections      (IPv4, no options)
 *    5% TCP segments of installed connections      (IPv4 with options)
 *   10% TCP segments of other connections          (port 25)
 *   12% UDP (DNS, NTP, other)   5% ICMP echo   5% ARP   8% IPv6 TCP/UDP
 * For N filters, the connection packets are re-aimed at the first N
 * connections (workload_aim), so a good share of the traffic always hits
 * installed filters whatever N is.
 *
 * From a capture (-r): its packets, repeated up to the requested count,
 * and filters for the first distinct TCP/IPv4 4-tuples it contains.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void) /* xorshift64*: fixed seed, same mix every run */
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 32);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static size_t ether(uint8_t *p, uint16_t type)
{
	static const uint8_t macs[12] = { 0x02, 0, 0, 0, 0, 0x01,
					  0x02, 0, 0, 0, 0, 0x02 };

	memcpy(p, macs, 12);
	put16(p + 12, type);
	return 14;
}

/* IPv4 header with `optwords` 32-bit option words (NOPs). */
static size_t ipv4(uint8_t *p, uint8_t proto, uint32_t src, uint32_t dst,
		   unsigned optwords, size_t payload)
{
	size_t hl = 20 + 4 * optwords;

	memset(p, 0, hl);
	p[0] = (uint8_t)(0x40 | (hl / 4));
	put16(p + 2, (uint16_t)(hl + payload));
	put16(p + 4, (uint16_t)rnd());
	p[6] = 0x40; /* DF */
	p[8] = 64;
	p[9] = proto;
	put32(p + 12, src);
	put32(p + 16, dst);
	memset(p + 20, 1, 4 * optwords); /* NOP options */
	return hl;
}

static size_t tcp(uint8_t *p, uint16_t sport, uint16_t dport)
{
	memset(p, 0, 20);
	put16(p, sport);
	put16(p + 2, dport);
	put32(p + 4, rnd());
	p[12] = 5 << 4;
	p[13] = 0x10; /* ACK */
	put16(p + 14, 65535);
	return 20;
}

static size_t udp(uint8_t *p, uint16_t sport, uint16_t dport, size_t payload)
{
	put16(p, sport);
	put16(p + 2, dport);
	put16(p + 4, (uint16_t)(8 + payload));
	put16(p + 6, 0);
	return 8;
}

static int add(struct workload *w, uint8_t *buf, size_t len)
{
	struct pcap_pkthdr h = { .caplen = (uint32_t)len, .len = (uint32_t)len };

	return pktfile_add(&w->pf, &h, buf);
}

/* One packet of the mix; *hit set when it belongs to a connection. */
static size_t synth_one(uint8_t *b, int *hit)
{
	unsigned kind = rnd() % 100, pay = rnd() % 3 ? 0 : rnd() % 120;
	uint32_t remote = 0xac100000u | (rnd() & 0xfffff);
	size_t n = 14;

	*hit = kind < 60;
	if (kind < 70) { /* TCP: placeholders until workload_aim */
		n = ether(b, 0x0800);
		n += ipv4(b + n, 6, remote, 0x0a000001, kind >= 55 && kind < 60 ?
			  1 + rnd() % 3 : 0, 20 + pay);
		n += tcp(b + n, (uint16_t)(1024 + rnd() % 60000),
			 kind < 60 ? 80 : 25);
	} else if (kind < 82) {
		static const uint16_t ports[] = { 53, 123, 5353, 9999 };
		uint16_t port = ports[rnd() % 4];

		n = ether(b, 0x0800);
		n += ipv4(b + n, 17, remote, 0x0a000001, 0, 8 + pay);
		n += udp(b + n, (uint16_t)(1024 + rnd() % 60000), port, pay);
	} else if (kind < 87) {
		n = ether(b, 0x0800);
		n += ipv4(b + n, 1, remote, 0x0a000001, 0, 8 + pay);
		memset(b + n, 0, 8);
		b[n] = 8; /* echo request */
		n += 8;
	} else if (kind < 92) {
		n = ether(b, 0x0806);
		put16(b + n, 1);          /* Ethernet */
		put16(b + n + 2, 0x0800); /* IPv4 */
		b[n + 4] = 6;
		b[n + 5] = 4;
		put16(b + n + 6, 1);      /* request */
		memset(b + n + 8, 0, 20);
		put32(b + n + 14, remote);
		put32(b + n + 24, 0x0a000001);
		n += 28;
	} else {
		n = ether(b, 0x86dd);
		memset(b + n, 0, 40);
		b[n] = 0x60;
		put16(b + n + 4, (uint16_t)(20 + pay));
		b[n + 6] = kind % 2 ? 6 : 17;
		b[n + 7] = 64;
		b[n + 8] = 0x20;
		b[n + 9] = 0x01;
		put32(b + n + 20, rnd());
		b[n + 24] = 0x20;
		b[n + 25] = 0x01;
		b[n + 39] = 1;
		n += 40;
		n += tcp(b + n, (uint16_t)(1024 + rnd() % 60000), 443);
	}
	memset(b + n, 'p', pay);
	n += pay;
	if (n < 60) { /* Ethernet minimum frame (without FCS) */
		memset(b + n, 0, 60 - n);
		n = 60;
	}
	return n;
}

static void make_conns(struct workload *w)
{
	static const uint16_t ports[] = { 80, 443, 8080 };
	uint8_t *seen = calloc(1u << 20, 32); /* (remote host, port) pairs */
	size_t i;

	for (i = 0; i < BENCH_MAX_CONNS; i++) {
		struct conn *c = &w->conns[i];
		uint32_t h, p, key;

		do { /* distinct remote (address, port): distinct 4-tuples */
			h = rnd() & 0xfffff;
			p = rnd() % 256;
			key = h << 8 | p;
		} while (seen && (seen[key / 8] & (1u << (key % 8))));
		if (seen)
			seen[key / 8] |= (uint8_t)(1u << (key % 8));
		c->saddr = 0xac100000u | h;
		c->sport = (uint16_t)(32768 + p * 97 + i % 97);
		c->daddr = 0x0a000001u + (uint32_t)(i % 4);
		c->dport = ports[i % 3];
	}
	w->nconns = BENCH_MAX_CONNS;
	free(seen);
}

int workload_synth(struct workload *w, size_t npkts)
{
	uint8_t buf[256];
	size_t i, n;
	int hit;

	memset(w, 0, sizeof(*w));
	w->synthetic = 1;
	make_conns(w);
	w->hit_idx = malloc(npkts * sizeof(*w->hit_idx));
	w->seq = malloc(npkts * sizeof(*w->seq));
	if (!w->hit_idx || !w->seq)
		return -1;
	for (i = 0; i < npkts; i++) {
		n = synth_one(buf, &hit);
		if (add(w, buf, n) < 0)
			return -1;
		if (hit)
			w->hit_idx[w->nhits++] = i;
	}
	pktfile_finish(&w->pf);
	for (i = 0; i < npkts; i++)
		w->seq[i] = &w->pf.pkts[i];
	w->n = npkts;
	snprintf(w->describe, sizeof(w->describe),
		 "%zu synthesized packets (%.1f MB), %zu of them (%.0f%%) on "
		 "installed connections", npkts, w->pf.used / 1e6, w->nhits,
		 100.0 * w->nhits / npkts);
	return 0;
}

/* Connection packets go to the first nfilters connections. */
void workload_aim(struct workload *w, size_t nfilters)
{
	size_t i;

	if (!w->synthetic)
		return;
	for (i = 0; i < w->nhits; i++) {
		const struct pkt *k = &w->pf.pkts[w->hit_idx[i]];
		uint8_t *p = w->pf.arena + k->off;
		const struct conn *c = &w->conns[(i * 2654435761u >> 7) %
						 nfilters];
		size_t l4 = 14 + (size_t)(p[14] & 0xf) * 4;

		put32(p + 26, c->saddr);
		put32(p + 30, c->daddr);
		put16(p + l4, c->sport);
		put16(p + l4 + 2, c->dport);
	}
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The TCP/IPv4 4-tuple of a first fragment, if the packet has one. */
static int tuple_of(const struct pkt *k, struct conn *c)
{
	const uint8_t *p = k->data;
	size_t l4;

	if (k->caplen < 34 || p[12] != 0x08 || p[13] != 0 || p[23] != 6 ||
	    ((p[20] << 8 | p[21]) & 0x1fff))
		return 0;
	l4 = 14 + (size_t)(p[14] & 0xf) * 4;
	if (k->caplen < l4 + 4)
		return 0;
	c->saddr = get32(p + 26);
	c->daddr = get32(p + 30);
	c->sport = (uint16_t)(p[l4] << 8 | p[l4 + 1]);
	c->dport = (uint16_t)(p[l4 + 2] << 8 | p[l4 + 3]);
	return 1;
}

int workload_pcap(struct workload *w, const char *path, size_t npkts,
		  char *err, size_t errlen)
{
	size_t i, j, found = 0;
	struct conn c;

	memset(w, 0, sizeof(*w));
	if (pktfile_load(path, &w->pf, err, errlen) < 0)
		return -1;
	if (!w->pf.n) {
		snprintf(err, errlen, "%s: no packets", path);
		return -1;
	}
	for (i = 0; i < w->pf.n && w->nconns < BENCH_MAX_CONNS; i++) {
		if (!tuple_of(&w->pf.pkts[i], &c))
			continue;
		for (j = 0; j < w->nconns && j < 4096; j++) /* cheap dedupe */
			if (!memcmp(&w->conns[j], &c, sizeof(c)))
				break;
		if (j == w->nconns || j == 4096)
			w->conns[w->nconns++] = c;
	}
	found = w->nconns;
	/* Pad with connections no packet of the file belongs to. */
	for (i = w->nconns; i < BENCH_MAX_CONNS; i++) {
		w->conns[i].saddr = 0xc6120000u | (uint32_t)i; /* 198.18/15 */
		w->conns[i].daddr = 0xc6130001u;
		w->conns[i].sport = (uint16_t)(1024 + i % 60000);
		w->conns[i].dport = 9;
	}
	w->nconns = BENCH_MAX_CONNS;
	w->n = npkts > w->pf.n ? npkts : w->pf.n;
	w->seq = malloc(w->n * sizeof(*w->seq));
	if (!w->seq) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < w->n; i++)
		w->seq[i] = &w->pf.pkts[i % w->pf.n];
	snprintf(w->describe, sizeof(w->describe),
		 "%zu packets of %s (%zu distinct), filters for its %zu TCP "
		 "connections first", w->n, path, w->pf.n, found);
	return 0;
}

void conn_expr(const struct conn *c, char *buf, size_t len)
{
	snprintf(buf, len, "tcp and dst host %u.%u.%u.%u and src host "
		 "%u.%u.%u.%u and dst port %u and src port %u",
		 c->daddr >> 24, c->daddr >> 16 & 255, c->daddr >> 8 & 255,
		 c->daddr & 255, c->saddr >> 24, c->saddr >> 16 & 255,
		 c->saddr >> 8 & 255, c->saddr & 255, c->dport, c->sport);
}

void workload_free(struct workload *w)
{
	pktfile_free(&w->pf);
	free(w->seq);
	free(w->hit_idx);
}
