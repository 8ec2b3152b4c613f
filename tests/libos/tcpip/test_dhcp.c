/*
 * The DHCP client against a scripted server (QEMU user networking's
 * addresses): DISCOVER, OFFER, REQUEST, ACK; renewal at T1 (unicast),
 * rebinding at T2 (broadcast), expiry; NAK; retransmission backoff; and
 * replies that must be ignored.
 */
#include "harness.h"

#define SRV_IP TCPIP_IP4(10, 0, 2, 2)
#define YI_IP TCPIP_IP4(10, 0, 2, 15)
#define DNS_IP TCPIP_IP4(10, 0, 2, 3)
static const uint8_t SRV_MAC[6] = { 0x52, 0x55, 0x0a, 0, 2, 2 };

struct dmsg {
	uint8_t type;
	uint32_t xid, ciaddr, req_ip, server;
	bool bcast_flag;
	uint32_t dst_ip;
	const uint8_t *dst_mac;
};

/* Pop the next frame, skipping ARP; it must be a DHCP request. */
static void expect_dhcp(struct node *n, struct dmsg *d)
{
	struct pkt p;
	do
		expect_frame(n, &p);
	while (p.ethtype == ETH_TYPE_ARP);
	assert_int_equal(p.proto, IP_PROTO_UDP);
	assert_int_equal(p.sport, DHCP_CLIENT_PORT);
	assert_int_equal(p.dport, DHCP_SERVER_PORT);
	assert_true(p.len >= 300);
	const struct dhcp_msg *m = (const void *)p.data;
	assert_int_equal(m->op, 1);
	assert_memory_equal(m->chaddr, NODE_MAC, 6);
	assert_int_equal(get32(m->magic), DHCP_MAGIC);
	memset(d, 0, sizeof *d);
	d->xid = get32(m->xid);
	d->ciaddr = get32(m->ciaddr);
	d->bcast_flag = get16(m->flags) & 0x8000;
	d->dst_ip = p.dst;
	static uint8_t mac[6];
	memcpy(mac, p.dst_mac, 6);
	d->dst_mac = mac;
	const uint8_t *o = p.data + sizeof *m;
	size_t n_ = p.len - sizeof *m;
	for (size_t i = 0; i < n_ && o[i] != 255;) {
		if (o[i] == 0) {
			i++;
			continue;
		}
		if (o[i] == 53)
			d->type = o[i + 2];
		if (o[i] == 50)
			d->req_ip = get32(o + i + 2);
		if (o[i] == 54)
			d->server = get32(o + i + 2);
		i += 2u + o[i + 1];
	}
}

static void server_reply(struct node *n, uint8_t type, uint32_t xid, uint32_t lease,
			 const uint8_t *chaddr)
{
	uint8_t msg[400] = { 0 };
	struct dhcp_msg *m = (struct dhcp_msg *)msg;
	m->op = 2;
	m->htype = 1;
	m->hlen = 6;
	put32(m->xid, xid);
	if (type != 6)
		put32(m->yiaddr, YI_IP);
	memcpy(m->chaddr, chaddr, 6);
	put32(m->magic, DHCP_MAGIC);
	uint8_t *o = msg + sizeof *m;
	*o++ = 53, *o++ = 1, *o++ = type;
	*o++ = 54, *o++ = 4;
	put32(o, SRV_IP), o += 4;
	*o++ = 51, *o++ = 4;
	put32(o, lease), o += 4;
	*o++ = 1, *o++ = 4;
	put32(o, TCPIP_IP4(255, 255, 255, 0)), o += 4;
	*o++ = 3, *o++ = 4;
	put32(o, SRV_IP), o += 4;
	*o++ = 6, *o++ = 4;
	put32(o, DNS_IP), o += 4;
	*o++ = 255;
	uint8_t f[600];
	size_t len = build_udp(f, SRV_IP, 67, 0xffffffffu, 68, msg, (size_t)(o - msg));
	memcpy(f + 6, SRV_MAC, 6);
	node_input(n, f, len, true);
}

static struct node *bind_node(uint32_t lease)
{
	struct node *n = node_new(NODE_MAC, 0, true);
	struct dmsg d;
	tcpip_start(n->st);
	expect_dhcp(n, &d);
	server_reply(n, 2, d.xid, lease, NODE_MAC);
	expect_dhcp(n, &d);
	server_reply(n, 5, d.xid, lease, NODE_MAC);
	node_drain(n);
	return n;
}

static void test_discover_offer_request_ack(void **state)
{
	(void)state;
	struct node *n = node_new(NODE_MAC, 0, true);
	struct dmsg d;
	struct tcpip_ipconfig c;
	tcpip_start(n->st);
	/* Only ARP and the DHCP port are steered here before an address. */
	assert_int_equal(n->filters_active, 2);
	expect_dhcp(n, &d);
	assert_int_equal(d.type, 1);
	assert_true(d.bcast_flag);
	assert_int_equal(d.dst_ip, 0xffffffffu);
	assert_memory_equal(d.dst_mac, "\xff\xff\xff\xff\xff\xff", 6);
	tcpip_get_ipconfig(n->st, &c);
	assert_string_equal(c.dhcp_state, "selecting");
	server_reply(n, 2, d.xid, 120, NODE_MAC);
	uint32_t xid = d.xid;
	expect_dhcp(n, &d);
	assert_int_equal(d.type, 3);
	assert_int_equal(d.xid, xid);
	assert_int_equal(d.req_ip, YI_IP);
	assert_int_equal(d.server, SRV_IP);
	server_reply(n, 5, d.xid, 120, NODE_MAC);
	tcpip_get_ipconfig(n->st, &c);
	assert_string_equal(c.dhcp_state, "bound");
	assert_int_equal(c.ip, YI_IP);
	assert_int_equal(c.netmask, TCPIP_IP4(255, 255, 255, 0));
	assert_int_equal(c.gateway, SRV_IP);
	assert_int_equal(c.dns, DNS_IP);
	assert_int_equal(c.lease_s, 120);
	assert_int_equal(n->ip_changes, 1);
	assert_int_equal(n->filters_active, 4); /* + ICMP and fragments to the address */
	/* Announced with a gratuitous ARP. */
	struct pkt p;
	expect_frame(n, &p);
	assert_int_equal(p.ethtype, ETH_TYPE_ARP);
	assert_int_equal(p.arp_spa, YI_IP);
	assert_int_equal(p.arp_tpa, YI_IP);
	assert_int_equal(tcpip_get_stats(n->st)->rx[RX_DHCP_OK], 2);
	node_free(n);
}

static void test_renew_rebind_expire(void **state)
{
	(void)state;
	struct node *n = bind_node(100);
	struct dmsg d;
	struct tcpip_ipconfig c;
	/* T1 = 50 s: REQUEST unicast to the server, after resolving it. */
	node_advance(n, 49999);
	expect_none(n);
	node_advance(n, 1);
	struct pkt p;
	expect_frame(n, &p);
	assert_int_equal(p.ethtype, ETH_TYPE_ARP);
	assert_int_equal(p.arp_tpa, SRV_IP);
	uint8_t f[64];
	size_t len = build_arp(f, ARP_OP_REPLY, SRV_MAC, SRV_IP, NODE_MAC, YI_IP, NODE_MAC);
	node_input(n, f, len, false);
	expect_dhcp(n, &d);
	assert_int_equal(d.type, 3);
	assert_int_equal(d.ciaddr, YI_IP);
	assert_int_equal(d.req_ip, 0);
	assert_int_equal(d.dst_ip, SRV_IP);
	assert_memory_equal(d.dst_mac, SRV_MAC, 6);
	tcpip_get_ipconfig(n->st, &c);
	assert_string_equal(c.dhcp_state, "renewing");
	/* Unanswered: T2 = 87.5 s brings REBINDING, broadcast. */
	for (int i = 0; i < 40; i++)
		node_advance(n, 1000);
	tcpip_get_ipconfig(n->st, &c);
	assert_string_equal(c.dhcp_state, "rebinding");
	struct frame *fr;
	bool saw_bcast = false;
	while ((fr = node_pop(n))) {
		parse_frame(fr, &p);
		if (p.proto == IP_PROTO_UDP && p.dst == 0xffffffffu)
			saw_bcast = true;
		free(fr);
	}
	assert_true(saw_bcast);
	/* At the end of the lease the address goes, and DISCOVER starts over. */
	for (int i = 0; i < 20; i++)
		node_advance(n, 1000);
	tcpip_get_ipconfig(n->st, &c);
	assert_int_equal(c.ip, 0);
	assert_string_equal(c.dhcp_state, "selecting");
	assert_int_equal(n->ip_changes, 2);
	node_drain(n);
	node_free(n);
}

static void test_renew_acked(void **state)
{
	(void)state;
	struct node *n = bind_node(100);
	struct dmsg d;
	node_advance(n, 50000);
	uint8_t f[64];
	size_t len = build_arp(f, ARP_OP_REPLY, SRV_MAC, SRV_IP, NODE_MAC, YI_IP, NODE_MAC);
	node_input(n, f, len, false);
	expect_dhcp(n, &d);
	server_reply(n, 5, d.xid, 100, NODE_MAC);
	struct tcpip_ipconfig c;
	tcpip_get_ipconfig(n->st, &c);
	assert_string_equal(c.dhcp_state, "bound");
	assert_int_equal(tcpip_next_deadline(n->st) - h_now, 50000);
	assert_int_equal(n->ip_changes, 1); /* same address: no change */
	node_free(n);
}

static void test_nak_restarts(void **state)
{
	(void)state;
	struct node *n = node_new(NODE_MAC, 0, true);
	struct dmsg d;
	tcpip_start(n->st);
	expect_dhcp(n, &d);
	server_reply(n, 2, d.xid, 100, NODE_MAC);
	expect_dhcp(n, &d);
	server_reply(n, 6, d.xid, 0, NODE_MAC);
	expect_dhcp(n, &d);
	assert_int_equal(d.type, 1);
	node_free(n);
}

static void test_retransmission_backoff(void **state)
{
	(void)state;
	struct node *n = node_new(NODE_MAC, 0, true);
	struct dmsg d;
	tcpip_start(n->st);
	expect_dhcp(n, &d);
	uint64_t gap = 8000; /* 4 s doubled at the first retry (RFC 2131 4.1) */
	node_advance(n, 4000);
	expect_dhcp(n, &d);
	for (int i = 0; i < 5; i++) {
		node_advance(n, gap - 1);
		expect_none(n);
		node_advance(n, 1);
		expect_dhcp(n, &d);
		assert_int_equal(d.type, 1);
		gap = gap * 2 > DHCP_RETRY_MAX_MS ? DHCP_RETRY_MAX_MS : gap * 2;
	}
	node_free(n);
}

static void test_ignored_replies(void **state)
{
	(void)state;
	struct node *n = node_new(NODE_MAC, 0, true);
	struct dmsg d;
	tcpip_start(n->st);
	expect_dhcp(n, &d);
	server_reply(n, 2, d.xid + 1, 100, NODE_MAC);             /* wrong xid */
	server_reply(n, 2, d.xid, 100, (const uint8_t *)"\x02\x01\x01\x01\x01\x01"); /* not us */
	server_reply(n, 5, d.xid, 100, NODE_MAC);                 /* ACK while selecting */
	/* Truncated, and an option running off the end. */
	uint8_t msg[300] = { 0 }, f[600];
	struct dhcp_msg *m = (struct dhcp_msg *)msg;
	m->op = 2;
	put32(m->xid, d.xid);
	memcpy(m->chaddr, NODE_MAC, 6);
	put32(m->magic, DHCP_MAGIC);
	size_t len = build_udp(f, SRV_IP, 67, 0xffffffffu, 68, msg, 100);
	node_input(n, f, len, false);
	msg[240] = 53;
	msg[241] = 200;
	len = build_udp(f, SRV_IP, 67, 0xffffffffu, 68, msg, 250);
	node_input(n, f, len, false);
	assert_int_equal(tcpip_get_stats(n->st)->rx[RX_DHCP_BAD], 5);
	expect_none(n);
	struct tcpip_ipconfig c;
	tcpip_get_ipconfig(n->st, &c);
	assert_string_equal(c.dhcp_state, "selecting");
	node_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discover_offer_request_ack),
		cmocka_unit_test(test_renew_rebind_expire),
		cmocka_unit_test(test_renew_acked),
		cmocka_unit_test(test_nak_restarts),
		cmocka_unit_test(test_retransmission_backoff),
		cmocka_unit_test(test_ignored_replies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
