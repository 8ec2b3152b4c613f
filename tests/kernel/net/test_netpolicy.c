/*
 * The network policy checks (kernel/net/netpolicy.c): which filters are
 * catch-alls (built with the libOS's own builders, so the test covers
 * what a libOS actually sends), and the transmit check on spoofed MAC,
 * IPv4 and ARP sources.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <dpf/dpf.h>
#include <net/netpolicy.h>

static struct dpf_filter f;

static int catch_all_of(void (*build)(struct dpf_builder *))
{
	uint8_t buf[1024];
	struct dpf_builder b;
	struct dpf_error err;

	dpf_build_init(&b, buf, sizeof(buf));
	build(&b);
	size_t len = dpf_build_finish(&b);
	assert_true(len > 0);
	assert_int_equal(dpf_verify(buf, len, &f, &err), 0);
	return netpolicy_catch_all(&f);
}

static void b_len(struct dpf_builder *b)
{
	dpf_build_path(b);
	dpf_build_cmp(b, 0, 0, DPF_W_LEN, 0xffffffff, DPF_GE, 0);
}

static void b_bit(struct dpf_builder *b)
{
	dpf_build_path(b);
	dpf_build_cmp(b, 0, 0, DPF_W8, 0x01, DPF_EQ, 1);   /* multicast bit only */
}

static void b_ne(struct dpf_builder *b)
{
	dpf_build_path(b);
	dpf_build_cmp(b, 0, 12, DPF_W16, 0xffff, DPF_NE, 0x0800);
}

static void b_arp(struct dpf_builder *b)
{
	dpf_build_path(b);
	dpf_build_cmp(b, 0, 12, DPF_W16, 0xffff, DPF_EQ, 0x0806);
}

static void b_udp_or_all(struct dpf_builder *b)
{
	dpf_build_path(b);
	dpf_build_cmp(b, 0, 12, DPF_W16, 0xffff, DPF_EQ, 0x0800);
	dpf_build_cmp(b, 0, 23, DPF_W8, 0xff, DPF_EQ, 17);
	dpf_build_path(b);
	dpf_build_cmp(b, 0, 0, DPF_W_LEN, 0xffffffff, DPF_GT, 20);
}

static void catch_alls(void **state)
{
	(void)state;
	assert_int_equal(catch_all_of(b_len), 1);
	assert_int_equal(catch_all_of(b_bit), 1);
	assert_int_equal(catch_all_of(b_ne), 1);
	assert_int_equal(catch_all_of(b_arp), 0);
	/* One broad path is enough to make the filter a catch-all. */
	assert_int_equal(catch_all_of(b_udp_or_all), 1);
}

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t ip_b[4] = { 10, 77, 0, 2 };

static uint32_t ip(void)
{
	uint32_t v;
	memcpy(&v, ip_b, 4);
	return v;
}

static void ipv4_frame(uint8_t *p)
{
	memset(p, 0, 60);
	memset(p, 0xff, 6);
	memcpy(p + 6, mac, 6);
	p[12] = 0x08;
	p[14] = 0x45;
	memcpy(p + 26, ip_b, 4);
}

static void arp_frame(uint8_t *p)
{
	memset(p, 0, 60);
	memcpy(p + 6, mac, 6);
	p[12] = 0x08;
	p[13] = 0x06;
	memcpy(p + 22, mac, 6);
	memcpy(p + 28, ip_b, 4);
}

static void tx_check(void **state)
{
	uint8_t p[60];

	(void)state;
	ipv4_frame(p);
	assert_int_equal(netpolicy_tx_check(p, 60, mac, ip()), TX_OK);
	assert_int_equal(netpolicy_tx_check(p, 60, mac, 0), TX_OK);
	assert_int_equal(netpolicy_tx_check(p, 33, mac, ip()), TX_SHORT);
	assert_int_equal(netpolicy_tx_check(p, 13, mac, ip()), TX_SHORT);
	p[29] = 3;    /* 10.77.0.3 */
	assert_int_equal(netpolicy_tx_check(p, 60, mac, ip()), TX_BAD_SRC_IP);
	assert_int_equal(netpolicy_tx_check(p, 60, mac, 0), TX_OK);
	ipv4_frame(p);
	p[11] ^= 1;
	assert_int_equal(netpolicy_tx_check(p, 60, mac, ip()), TX_BAD_SRC_MAC);

	arp_frame(p);
	assert_int_equal(netpolicy_tx_check(p, 60, mac, ip()), TX_OK);
	p[27] ^= 1;   /* sender hardware address */
	assert_int_equal(netpolicy_tx_check(p, 60, mac, ip()), TX_BAD_ARP);
	arp_frame(p);
	p[31] = 9;    /* sender protocol address */
	assert_int_equal(netpolicy_tx_check(p, 60, mac, ip()), TX_BAD_ARP);
	assert_int_equal(netpolicy_tx_check(p, 41, mac, ip()), TX_SHORT);

	/* Other ethertypes: MAC only. */
	ipv4_frame(p);
	p[12] = 0x86;
	p[13] = 0xdd;
	assert_int_equal(netpolicy_tx_check(p, 60, mac, ip()), TX_OK);
	assert_string_equal(netpolicy_tx_str(TX_BAD_SRC_IP),
			    "IPv4 source is not the configured address");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catch_alls),
		cmocka_unit_test(tx_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
