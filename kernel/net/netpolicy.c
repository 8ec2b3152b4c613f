/* Catch-all filters and the transmit check: net/netpolicy.h. */
#include <dpf/dpf.h>
#include <dpf/dpf_env.h>
#include <net/netpolicy.h>

/* Does this atom pin at least one whole byte of the packet? */
static int pins_bytes(const struct dpf_atom *a)
{
	if (a->op != DPF_OP_CMP || a->cmp != DPF_EQ || a->width == DPF_W_LEN)
		return 0;
	uint32_t m = a->mask;
	int bits = 0;
	for (; m; m &= m - 1)
		bits++;
	return bits >= 8;
}

int netpolicy_catch_all(const struct dpf_filter *f)
{
	const struct dpf_atom *a = f->atoms;

	for (unsigned p = 0; p < f->npaths; p++) {
		int pinned = 0;
		for (unsigned i = 0; i < f->natoms[p]; i++)
			pinned |= pins_bytes(&a[i]);
		if (!pinned)
			return 1;
		a += f->natoms[p];
	}
	return 0;
}

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP  0x0806

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int netpolicy_tx_check(const uint8_t *frame, size_t len,
		       const uint8_t mac[6], uint32_t ip)
{
	if (len < 14)
		return TX_SHORT;
	if (dpf_memcmp(frame + 6, mac, 6) != 0)
		return TX_BAD_SRC_MAC;
	switch (be16(frame + 12)) {
	case ETHERTYPE_IPV4:
		/* RFC 791 3.1: the source address is at offset 12 of the header. */
		if (len < 14 + 20)
			return TX_SHORT;
		if (ip && dpf_memcmp(frame + 14 + 12, &ip, 4) != 0)
			return TX_BAD_SRC_IP;
		return TX_OK;
	case ETHERTYPE_ARP:
		/* RFC 826: sender hardware address at 8, protocol address at 14
		 * (for Ethernet/IPv4). */
		if (len < 14 + 28)
			return TX_SHORT;
		if (dpf_memcmp(frame + 14 + 8, mac, 6) != 0)
			return TX_BAD_ARP;
		if (ip && dpf_memcmp(frame + 14 + 14, &ip, 4) != 0)
			return TX_BAD_ARP;
		return TX_OK;
	default:
		return TX_OK;
	}
}

const char *netpolicy_tx_str(int why)
{
	switch (why) {
	case TX_OK: return "ok";
	case TX_BAD_SRC_MAC: return "Ethernet source is not the NIC's MAC";
	case TX_BAD_SRC_IP: return "IPv4 source is not the configured address";
	case TX_BAD_ARP: return "ARP sender is not this machine";
	case TX_SHORT: return "frame too short for its ethertype";
	default: return "?";
	}
}
