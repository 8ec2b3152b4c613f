/*
 * Capture files into memory (see pktfile.h). libpcap does the parsing and
 * its own sanity checks (magic, version, a caplen above the snap length or
 * its 256 KiB ceiling): anything it refuses is reported with its message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pktfile.h"

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 256;
	void *q;

	while (c < need)
		c *= 2;
	if (c == *cap)
		return 0;
	q = realloc(*p, c * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

int pktfile_add(struct pktfile *pf, const struct pcap_pkthdr *h,
		const uint8_t *data)
{
	struct pkt *k;

	if (grow((void **)&pf->pkts, &pf->cap, pf->n + 1, sizeof(*pf->pkts)) ||
	    grow((void **)&pf->arena, &pf->size, pf->used + h->caplen + 1, 1))
		return -1;
	memcpy(pf->arena + pf->used, data, h->caplen);
	k = &pf->pkts[pf->n++];
	k->caplen = h->caplen;
	k->wirelen = h->len;
	k->hdr = *h;
	k->off = pf->used;
	k->data = NULL; /* the arena may still move: see pktfile_finish */
	pf->used += h->caplen;
	return 0;
}

void pktfile_finish(struct pktfile *pf)
{
	size_t i;

	for (i = 0; i < pf->n; i++)
		pf->pkts[i].data = pf->arena + pf->pkts[i].off;
}

int pktfile_load(const char *path, struct pktfile *pf, char *err,
		 size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int r;

	memset(pf, 0, sizeof(*pf));
	p = pcap_open_offline(path, ebuf);
	if (!p) {
		snprintf(err, errlen, "%s: %s", path, ebuf);
		return -1;
	}
	pf->linktype = pcap_datalink(p);
	pf->snaplen = pcap_snapshot(p);
	if (pf->linktype != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(pf->linktype);

		snprintf(err, errlen, "%s: link type %d (%s) is not Ethernet; "
			 "only DLT_EN10MB captures are supported", path,
			 pf->linktype, name ? name : "unknown");
		pcap_close(p);
		return -1;
	}
	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		if (pktfile_add(pf, h, data) < 0) {
			snprintf(err, errlen, "%s: out of memory", path);
			pcap_close(p);
			pktfile_finish(pf);
			pktfile_free(pf);
			return -1;
		}
	}
	if (r == PCAP_ERROR)
		snprintf(pf->warning, sizeof(pf->warning),
			 "%s: %s (after %zu packets)", path, pcap_geterr(p),
			 pf->n);
	pcap_close(p);
	pktfile_finish(pf);
	return 0;
}

void pktfile_free(struct pktfile *pf)
{
	free(pf->pkts);
	free(pf->arena);
	memset(pf, 0, sizeof(*pf));
}
