/*
 * Filter builders (libos/net.h) over the DPF bytecode builder. Offsets
 * are those of an untagged Ethernet frame: ethertype at 12 (IEEE 802.3
 * 3.2.6), IPv4 protocol at 23 and destination at 30 (RFC 791 3.1), the
 * UDP destination port 2 bytes into the UDP header (RFC 768), found past
 * the IPv4 options with a SHIFT on the header length.
 */
#include <dpf/dpf.h>
#include <libos/net.h>

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP  0x0806

static uint32_t be32_of(uint32_t net_order)
{
	const uint8_t *b = (const uint8_t *)&net_order;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

size_t net_filter_udp(void *buf, size_t cap, uint32_t ip, uint16_t port)
{
	struct dpf_builder b;

	dpf_build_init(&b, buf, cap);
	dpf_build_path(&b);
	dpf_build_cmp(&b, 0, 12, DPF_W16, 0xffff, DPF_EQ, ETHERTYPE_IPV4);
	dpf_build_cmp(&b, 0, 23, DPF_W8, 0xff, DPF_EQ, 17);
	if (ip)
		dpf_build_cmp(&b, 0, 30, DPF_W32, 0xffffffff, DPF_EQ, be32_of(ip));
	dpf_build_shift(&b, 0, 14, DPF_W8, 0x0f, 2, 14);
	dpf_build_cmp(&b, DPF_F_REL, 2, DPF_W16, 0xffff, DPF_EQ, port);
	return dpf_build_finish(&b);
}

size_t net_filter_arp(void *buf, size_t cap, uint32_t ip)
{
	struct dpf_builder b;

	dpf_build_init(&b, buf, cap);
	dpf_build_path(&b);
	dpf_build_cmp(&b, 0, 12, DPF_W16, 0xffff, DPF_EQ, ETHERTYPE_ARP);
	/* RFC 826: target protocol address at 24 of the ARP packet. */
	dpf_build_cmp(&b, 0, 14 + 24, DPF_W32, 0xffffffff, DPF_EQ, be32_of(ip));
	return dpf_build_finish(&b);
}

size_t net_filter_all(void *buf, size_t cap)
{
	struct dpf_builder b;

	dpf_build_init(&b, buf, cap);
	dpf_build_path(&b);
	dpf_build_cmp(&b, 0, 0, DPF_W_LEN, 0xffffffff, DPF_GE, 0);
	return dpf_build_finish(&b);
}

size_t net_filter_ethertype(void *buf, size_t cap, uint16_t type)
{
	struct dpf_builder b;

	dpf_build_init(&b, buf, cap);
	dpf_build_path(&b);
	dpf_build_cmp(&b, 0, 12, DPF_W16, 0xffff, DPF_EQ, type);
	return dpf_build_finish(&b);
}
