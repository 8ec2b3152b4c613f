/*
 * The two policy checks of the network path, pure so that
 * tests/kernel/net/test_netpolicy.c runs them on the host:
 *
 *  - which filters are catch-alls (binding one needs EXO_CAP_NET_ANY);
 *  - the transmit check: which frames an env without EXO_CAP_NET_ANY may
 *    send (its source addresses must be the machine's own).
 */
#ifndef NET_NETPOLICY_H
#define NET_NETPOLICY_H

#include <stddef.h>
#include <stdint.h>

struct dpf_filter;

/*
 * A filter is a catch-all if one of its paths fixes no packet byte: it
 * has no EQ comparison of a packet field (LEN does not count) under a
 * mask of at least 8 bits. Such a path takes whole classes of traffic
 * ("every frame", "every frame longer than 60 bytes", "every frame with
 * this bit set"), which only a monitor holding the capability may ask for.
 */
int netpolicy_catch_all(const struct dpf_filter *f);

enum netpolicy_tx {
	TX_OK = 0,
	TX_BAD_SRC_MAC,   /* Ethernet source is not the NIC's MAC */
	TX_BAD_SRC_IP,    /* IPv4 source is not the configured address */
	TX_BAD_ARP,       /* ARP sender MAC/IP is not the machine's */
	TX_SHORT,         /* too short for the header its type announces */
};

/*
 * Check frame[0, len) (len >= 14) for a sender bound to (mac, ip): the
 * Ethernet source must be mac; an IPv4 packet's source (and an ARP
 * packet's sender protocol address) must be ip, unless ip is 0 (none
 * configured: only the MAC is checked); an ARP packet's sender hardware
 * address must be mac. Other ethertypes are checked by MAC only.
 */
int netpolicy_tx_check(const uint8_t *frame, size_t len,
		       const uint8_t mac[6], uint32_t ip);

/* A message for a netpolicy_tx result. */
const char *netpolicy_tx_str(int why);

#endif /* NET_NETPOLICY_H */
