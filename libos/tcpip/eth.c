/*
 * Ethernet II framing. Frames are accepted when addressed to our MAC or to
 * the broadcast address; multicast is not joined. Outgoing frames shorter
 * than the 60-byte minimum (IEEE 802.3 clause 4.2.3.3, 64 with the FCS the
 * NIC appends) are padded with zeros.
 */
#include "priv.h"

const uint8_t eth_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

#define ETH_MIN_FRAME 60

int eth_input(struct tcpip *st, uint8_t *frame, size_t len)
{
	if (len < ETH_HLEN)
		return RX_ETH_SHORT;
	const struct eth_hdr *eh = (const struct eth_hdr *)frame;
	if (tcpip_memcmp(eh->dst, st->mac, 6) != 0 && tcpip_memcmp(eh->dst, eth_bcast, 6) != 0)
		return RX_ETH_NOT_US;
	switch (get16(eh->type)) {
	case ETH_TYPE_IPV4:
		return ip_input(st, frame + ETH_HLEN, len - ETH_HLEN);
	case ETH_TYPE_ARP:
		return arp_input(st, frame + ETH_HLEN, len - ETH_HLEN);
	default:
		return RX_ETH_BAD_TYPE; /* including 802.1Q tags: no VLANs here */
	}
}

/* frame has len bytes including the header, which is filled in here. */
void eth_output(struct tcpip *st, const uint8_t dst[6], uint16_t type, uint8_t *frame,
		size_t len)
{
	struct eth_hdr *eh = (struct eth_hdr *)frame;

	tcpip_memcpy(eh->dst, dst, 6);
	tcpip_memcpy(eh->src, st->mac, 6);
	put16(eh->type, type);
	if (len < ETH_MIN_FRAME) {
		tcpip_memset(frame + len, 0, ETH_MIN_FRAME - len);
		len = ETH_MIN_FRAME;
	}
	EV(st, TX_FRAMES);
	st->env.output(st->env.ctx, frame, len);
}
