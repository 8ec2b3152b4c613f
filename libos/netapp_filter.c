/*
 * The DPF filter for each demultiplexing request of the stack
 * (struct tcpip_filter, tcpip.h), so that the kernel steers to this
 * libOS exactly the frames its stack needs (docs/apps.md, docs/dpf.md).
 *
 * Offsets are those of an untagged Ethernet II frame: ethertype at 12
 * (IEEE 802.3 3.2.6); in the IPv4 header at 14 (RFC 791 3.1) the flags and
 * fragment offset at 20, protocol at 23, source at 26, destination at 30;
 * UDP and TCP ports at 0 (source) and 2 (destination) of their header
 * (RFC 768, RFC 9293 3.1), reached past the IPv4 options by a SHIFT on the
 * header length. The ARP target protocol address is at 24 of the ARP
 * packet (RFC 826). Multi-byte fields are compared in network order.
 */
#include <dpf/dpf.h>
#include <libos/netapp.h>

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define IP_OFFMASK 0x1fff       /* fragment offset bits of the flags word */

static void ipv4_to(struct dpf_builder *b, uint32_t ip)
{
	dpf_build_cmp(b, 0, 12, DPF_W16, 0xffff, DPF_EQ, ETHERTYPE_IPV4);
	if (ip)
		dpf_build_cmp(b, 0, 30, DPF_W32, 0xffffffffu, DPF_EQ, ip);
}

/* UDP or TCP: first fragments only (later ones carry no ports; the FRAG
 * filter takes them), the ports past the options. */
static void transport(struct dpf_builder *b, const struct tcpip_filter *f, uint8_t proto)
{
	ipv4_to(b, f->local_ip);
	dpf_build_cmp(b, 0, 23, DPF_W8, 0xff, DPF_EQ, proto);
	dpf_build_cmp(b, 0, 20, DPF_W16, IP_OFFMASK, DPF_EQ, 0);
	if (f->remote_ip)
		dpf_build_cmp(b, 0, 26, DPF_W32, 0xffffffffu, DPF_EQ, f->remote_ip);
	dpf_build_shift(b, 0, 14, DPF_W8, 0x0f, 2, 14);
	dpf_build_cmp(b, DPF_F_REL, 2, DPF_W16, 0xffff, DPF_EQ, f->local_port);
	if (f->remote_port)
		dpf_build_cmp(b, DPF_F_REL, 0, DPF_W16, 0xffff, DPF_EQ, f->remote_port);
}

size_t netapp_filter_dpf(const struct tcpip_filter *f, void *buf, size_t cap)
{
	struct dpf_builder b;

	dpf_build_init(&b, buf, cap);
	dpf_build_path(&b);
	switch (f->kind) {
	case TCPIP_FILTER_ARP:
		/* Every ARP frame, whatever the address: the program must be
		 * the same in every stack on this machine, before DHCP has an
		 * address and after, for the kernel to share it among them
		 * (docs/apps.md). The stack answers only requests for its own
		 * address and learns from the rest. */
		dpf_build_cmp(&b, 0, 12, DPF_W16, 0xffff, DPF_EQ, ETHERTYPE_ARP);
		break;
	case TCPIP_FILTER_ICMP:
		/* First fragments only, as for UDP and TCP: the later ones are
		 * the FRAG filter's, which other stacks share (docs/apps.md). */
		ipv4_to(&b, f->local_ip);
		dpf_build_cmp(&b, 0, 23, DPF_W8, 0xff, DPF_EQ, 1);
		dpf_build_cmp(&b, 0, 20, DPF_W16, IP_OFFMASK, DPF_EQ, 0);
		break;
	case TCPIP_FILTER_FRAG:
		ipv4_to(&b, f->local_ip);
		dpf_build_cmp(&b, 0, 20, DPF_W16, IP_OFFMASK, DPF_NE, 0);
		break;
	case TCPIP_FILTER_UDP:
		transport(&b, f, 17);
		break;
	case TCPIP_FILTER_TCP:
		transport(&b, f, 6);
		break;
	default:
		return 0;
	}
	return dpf_build_finish(&b);
}
