/*
 * A capture file held in memory: every record of a pcap or pcapng file
 * (read through libpcap), for the host tools that run many filters over the
 * same packets (dpf-replay, pcap-count, dpf-bench).
 */
#ifndef PKTFILE_H
#define PKTFILE_H

#include <stddef.h>
#include <stdint.h>
#include <pcap/pcap.h>

struct pkt {
	const uint8_t *data;  /* caplen bytes (set by pktfile_finish) */
	size_t off;           /* where they are in the arena */
	uint32_t caplen;
	uint32_t wirelen;     /* length on the wire: BPF's `len` */
	struct pcap_pkthdr hdr;
};

struct pktfile {
	struct pkt *pkts;
	size_t n, cap;
	uint8_t *arena;       /* all packet bytes, back to back */
	size_t used, size;
	int linktype;
	int snaplen;
	char warning[PCAP_ERRBUF_SIZE + 64]; /* set if the file was cut short */
};

/* Read every record of path. Only Ethernet (DLT_EN10MB) is accepted.
 * Returns 0 (pf->warning non-empty if the file ended in a broken record:
 * the records before it are kept), or -1 with err set: the file cannot be
 * opened, is not a capture file, or has another link type. */
int pktfile_load(const char *path, struct pktfile *pf, char *err,
		 size_t errlen);
void pktfile_free(struct pktfile *pf);

/* Build a packet set by hand (dpf-bench): append copies, then call
 * pktfile_finish once to set the data pointers. 0, or -1 on no memory. */
int pktfile_add(struct pktfile *pf, const struct pcap_pkthdr *h,
		const uint8_t *data);
void pktfile_finish(struct pktfile *pf);

#endif /* PKTFILE_H */
