/*
 * The libOS filter builders (libos/net_filter.c) as the kernel's filter
 * table sees them: their bytecode verifies, the trie built from them (the
 * table of one demux point, owners as envs) gives the verdicts nettest
 * relies on in both engines, the overlap rule admits different ports and
 * refuses a port, all of IPv4 or a catch-all taken from another owner,
 * and deleting a filter (release, revocation, death) frees its port.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <dpf/dpf.h>
#include <libos/net.h>
#include "dpf_host_env.h"

static struct dpf_host_env henv;
static struct dpf_filter filt;
static const uint8_t ip_b[4] = { 10, 77, 0, 2 };

static uint32_t guest_ip(void)
{
	uint32_t v;
	memcpy(&v, ip_b, 4);
	return v;
}

/* Verify bytecode and insert it under (id, owner); the dpf result. */
static int insert(struct dpf_trie *t, const uint8_t *prog, size_t len, uint32_t id,
		  uint32_t owner, uint32_t flags)
{
	struct dpf_error err;

	assert_true(len > 0);
	assert_int_equal(dpf_verify(prog, len, &filt, &err), 0);
	return dpf_trie_insert(t, &filt, id, owner, flags, &err);
}

static size_t udp_pkt(uint8_t *p, uint16_t port, uint8_t ihl)
{
	memset(p, 0, 128);
	p[12] = 0x08;
	p[14] = (uint8_t)(0x40 | ihl);
	p[23] = 17;
	memcpy(p + 30, ip_b, 4);
	size_t u = 14 + (size_t)ihl * 4;
	p[u + 2] = (uint8_t)(port >> 8);
	p[u + 3] = (uint8_t)port;
	return u + 8 + 4;
}

static size_t arp_pkt(uint8_t *p)
{
	memset(p, 0, 128);
	p[12] = 0x08;
	p[13] = 0x06;
	memcpy(p + 38, ip_b, 4);
	return 42;
}

/* Both engines must agree. */
static uint32_t lookup(struct dpf_trie *t, const uint8_t *p, size_t len)
{
	struct dpf_error err;
	struct dpf_jit *j = dpf_jit_compile(t, &err);
	uint32_t v = dpf_interp(t, p, (uint32_t)len, (uint32_t)len);

	assert_non_null(j);
	assert_int_equal(dpf_jit_entry(j)(p, (uint32_t)len, (uint32_t)len), v);
	dpf_jit_free(j);
	return v;
}

static void verdicts(void **state)
{
	struct dpf_trie *t = dpf_trie_create(&henv.env);
	uint8_t prog[256], pkt[128];

	(void)state;
	assert_int_equal(insert(t, prog, net_filter_udp(prog, sizeof(prog), guest_ip(), 7001),
				1, 2, 0), 0);
	assert_int_equal(insert(t, prog, net_filter_arp(prog, sizeof(prog), guest_ip()), 2, 2, 0), 0);
	assert_int_equal(insert(t, prog, net_filter_udp(prog, sizeof(prog), guest_ip(), 7002),
				3, 3, 0), 0);
	assert_int_equal(lookup(t, pkt, udp_pkt(pkt, 7001, 5)), 1);
	assert_int_equal(lookup(t, pkt, udp_pkt(pkt, 7001, 7)), 1);   /* IPv4 options */
	assert_int_equal(lookup(t, pkt, udp_pkt(pkt, 7002, 5)), 3);
	assert_int_equal(lookup(t, pkt, udp_pkt(pkt, 7101, 5)), DPF_NO_MATCH);
	assert_int_equal(lookup(t, pkt, arp_pkt(pkt)), 2);
	size_t len = udp_pkt(pkt, 7001, 5);
	pkt[33] = 3;                                   /* to 10.77.0.3 */
	assert_int_equal(lookup(t, pkt, len), DPF_NO_MATCH);
	udp_pkt(pkt, 7001, 5);
	assert_int_equal(lookup(t, pkt, 30), DPF_NO_MATCH);   /* truncated */
	dpf_trie_destroy(t);
}

static void overlap_between_envs(void **state)
{
	struct dpf_trie *t = dpf_trie_create(&henv.env);
	uint8_t prog[256], pkt[128];

	(void)state;
	assert_int_equal(insert(t, prog, net_filter_udp(prog, sizeof(prog), guest_ip(), 7001),
				1, 2, 0), 0);
	/* Another env: the same port, all of IPv4, a catch-all: refused. */
	assert_int_equal(insert(t, prog, net_filter_udp(prog, sizeof(prog), guest_ip(), 7001),
				2, 3, 0), DPF_E_OVERLAP);
	assert_int_equal(insert(t, prog, net_filter_ethertype(prog, sizeof(prog), 0x0800),
				2, 3, 0), DPF_E_OVERLAP);
	assert_int_equal(insert(t, prog, net_filter_all(prog, sizeof(prog)), 2, 3, 0),
			 DPF_E_OVERLAP);
	/* ARP is disjoint from UDP: allowed. */
	assert_int_equal(insert(t, prog, net_filter_arp(prog, sizeof(prog), guest_ip()), 2, 3, 0), 0);
	/* The same owner may overlap itself. */
	assert_int_equal(insert(t, prog, net_filter_ethertype(prog, sizeof(prog), 0x0800),
				3, 2, 0), 0);
	/* A monitor with the capability: its catch-all loses to the specific. */
	assert_int_equal(insert(t, prog, net_filter_all(prog, sizeof(prog)), 4, 1,
				DPF_INS_OVERLAP_OK), 0);
	assert_int_equal(lookup(t, pkt, udp_pkt(pkt, 7001, 5)), 1);
	assert_int_equal(lookup(t, pkt, udp_pkt(pkt, 9, 5)), 3);
	pkt[12] = 0x86;
	assert_int_equal(lookup(t, pkt, 60), 4);
	/* Releasing the holder's filters frees the port for another env. */
	assert_int_equal(dpf_trie_delete(t, 4), 0);
	assert_int_equal(dpf_trie_delete(t, 3), 0);
	assert_int_equal(dpf_trie_delete(t, 1), 0);
	assert_int_equal(insert(t, prog, net_filter_udp(prog, sizeof(prog), guest_ip(), 7001),
				5, 3, 0), 0);
	assert_int_equal(lookup(t, pkt, udp_pkt(pkt, 7001, 5)), 5);
	dpf_trie_destroy(t);
}

static void builders_bounded(void **state)
{
	uint8_t small[20];

	(void)state;
	assert_int_equal(net_filter_udp(small, sizeof(small), guest_ip(), 1), 0);
	assert_int_equal(net_filter_arp(small, sizeof(small), guest_ip()), 0);
}

static int teardown(void **state)
{
	(void)state;
	dpf_host_env_trim(&henv);
	return henv.live_blocks == 0 && henv.live_code == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(verdicts, teardown),
		cmocka_unit_test_teardown(overlap_between_envs, teardown),
		cmocka_unit_test(builders_bounded),
	};
	dpf_host_env_init(&henv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
