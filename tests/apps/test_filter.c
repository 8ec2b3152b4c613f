/*
 * The DPF filters netapp builds for the stack's requests
 * (libos/netapp_filter.c), run by the kernel's own DPF code (verifier,
 * trie, interpreter; host build) in front of each side of the simulated
 * link: every frame the two stacks exchange while serving echo traffic
 * (ARP, TCP handshakes, data and closes, UDP with fragments) must be
 * steered to the side it is for by the filters that side asked for, the
 * rest being dropped as the kernel would; frames for other ports or
 * addresses must not be steered; and when the traffic is over only the
 * long-lived filters remain.
 */
#include "simnet.h"

#include "../../apps/tcpecho/tcpecho.h"
#include "../../apps/udpecho/udpecho.h"
#include "../../kernel/dpf/dpf.h"
#include "../../tools/lib/dpf_host_env.h"

#define MAXF 128

struct demux {
	struct dpf_trie *trie;
	struct tcpip_filter f[MAXF];
	uint32_t id[MAXF];
	uint32_t next_id;
	unsigned installs, removes, steered, unsteered;
};

static struct demux dm[2];
static struct dpf_filter vf;   /* large: not on the stack */

static int d_install(struct simside *s, const struct tcpip_filter *f)
{
	struct demux *d = &dm[s->idx];
	uint8_t prog[NETAPP_FILTER_MAX];
	struct dpf_error err;
	size_t len = netapp_filter_dpf(f, prog, sizeof prog);

	assert_true(len > 0);
	if (dpf_verify(prog, len, &vf, &err) != 0)
		fail_msg("filter kind %u: %s", f->kind, err.msg);
	int i = 0;
	while (i < MAXF && d->id[i])
		i++;
	assert_true(i < MAXF);
	/* One owner per side: a stack's own filters may overlap (a listener
	 * and its connections), as the kernel allows for one env. */
	if (dpf_trie_insert(d->trie, &vf, ++d->next_id, (uint32_t)s->idx + 1, 0, &err) != 0)
		fail_msg("filter kind %u refused: %s", f->kind, err.msg);
	d->f[i] = *f;
	d->id[i] = d->next_id;
	d->installs++;
	return 0;
}

static bool same(const struct tcpip_filter *a, const struct tcpip_filter *b)
{
	return a->kind == b->kind && a->local_ip == b->local_ip &&
	       a->local_port == b->local_port && a->remote_ip == b->remote_ip &&
	       a->remote_port == b->remote_port;
}

static void d_remove(struct simside *s, const struct tcpip_filter *f)
{
	struct demux *d = &dm[s->idx];
	for (int i = 0; i < MAXF; i++)
		if (d->id[i] && same(&d->f[i], f)) {
			assert_int_equal(dpf_trie_delete(d->trie, d->id[i]), 0);
			d->id[i] = 0;
			d->removes++;
			return;
		}
	fail_msg("removal of a filter never installed (kind %u port %u)", f->kind, f->local_port);
}

/* An ARP announcement (sender = target address) is for nobody's stack in
 * particular; the stacks do not need the other's. */
static bool is_announcement(const uint8_t *p, size_t len)
{
	return len >= 42 && p[12] == 0x08 && p[13] == 0x06 && !memcmp(p + 28, p + 38, 4);
}

/* UDP to port 9, where nothing listens: the one kind of frame the test
 * sends that no filter should take. */
static bool is_udp_discard(const uint8_t *p, size_t len)
{
	return len >= 42 && p[12] == 0x08 && p[13] == 0x00 && p[23] == 17 &&
	       p[14 + (p[14] & 15) * 4 + 2] == 0 && p[14 + (p[14] & 15) * 4 + 3] == 9;
}

/* The kernel's job: deliver what a filter takes, drop the rest. */
static bool d_deliver(struct simside *s, const uint8_t *p, size_t len)
{
	struct demux *d = &dm[s->idx];
	if (dpf_interp(d->trie, p, (uint32_t)len, (uint32_t)len) != DPF_NO_MATCH) {
		d->steered++;
		return true;
	}
	d->unsteered++;
	if (!is_announcement(p, len) && !is_udp_discard(p, len))
		fail_msg("side %d: a frame of %zu bytes (type %02x%02x, ip proto %u) matches "
			 "none of its filters", s->idx, len, p[12], p[13], len > 23 ? p[23] : 0);
	return false;
}

static const struct simnet_filters hooks = { d_install, d_remove, d_deliver };

static int setup(void **state)
{
	(void)state;
	memset(dm, 0, sizeof dm);
	for (int i = 0; i < 2; i++)
		assert_non_null(dm[i].trie = dpf_trie_create(dpf_host_env()));
	simnet_filters = &hooks;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	simnet_filters = NULL;
	for (int i = 0; i < 2; i++)
		dpf_trie_destroy(dm[i].trie);
	return 0;
}

static void test_steering(void **state)
{
	(void)state;
	struct simnet *sn = simnet_new(21, 2, 10, 2);
	struct netapp *c = sim_client(sn);
	struct udpecho *u = calloc(1, sizeof *u);
	struct tcpecho *t = calloc(1, sizeof *t);
	assert_int_equal(udpecho_start(u, sim_server(sn), 7), 0);
	assert_int_equal(tcpecho_start(t, sim_server(sn), 7), 0);
	size_t base = dpf_trie_count(dm[0].trie);
	assert_int_equal(base, 5);   /* ARP, ICMP, FRAG, UDP 7, TCP 7 */

	/* TCP: connections with data both ways, closed by either side. */
	for (int i = 0; i < 20; i++) {
		char buf[3000], back[3000];
		memset(buf, 'a' + i, sizeof buf);
		int sd = sim_connect(sn, 7);
		assert_int_equal(netapp_send_all(c, sd, buf, sizeof buf, 10000), sizeof buf);
		assert_int_equal(netapp_recv_all(c, sd, back, sizeof back, 10000), sizeof back);
		assert_memory_equal(back, buf, sizeof buf);
		if (i % 2)
			tcpip_shutdown(c->st, sd, TCPIP_SHUT_WR);
		assert_int_equal(tcpip_close(c->st, sd), 0);
	}
	/* UDP, with datagrams that IP fragments both ways. */
	int us = tcpip_socket(c->st, TCPIP_SOCK_DGRAM);
	struct tcpip_sockaddr_in to = sim_addr(SIM_SERVER_IP, 7), from;
	static uint8_t dg[4000], in[4000];
	for (int i = 0; i < 100; i++) {
		size_t len = i % 10 == 9 ? 3500 : (size_t)(1 + i * 13);
		memset(dg, i, len);
		assert_int_equal(tcpip_sendto(c->st, us, dg, len, 0, &to), (long)len);
		long n = netapp_recvfrom(c, us, in, sizeof in, &from, 2000);
		if (n == TCPIP_ETIMEDOUT)
			continue;   /* lost on the link: UDP */
		assert_int_equal(n, (long)len);
	}
	/* A port nobody bound: the demultiplexer drops these, so the stack
	 * never sees them (and sends no ICMP error). */
	struct tcpip_sockaddr_in closed = sim_addr(SIM_SERVER_IP, 9);
	unsigned before = dm[0].unsteered;
	for (int i = 0; i < 5; i++)
		tcpip_sendto(c->st, us, "x", 1, 0, &closed);
	simnet_run(sn, 500);
	assert_true(dm[0].unsteered > before);
	tcpip_close(c->st, us);
	simnet_run(sn, 70000);
	print_message("steered %u + %u frames, %u + %u filters installed\n", dm[0].steered,
		      dm[1].steered, dm[0].installs, dm[1].installs);
	assert_true(dm[0].steered > 250 && dm[1].steered > 250);
	/* The per-connection filters went with their connections. */
	assert_int_equal(dpf_trie_count(dm[0].trie), base);
	assert_int_equal(dm[0].installs, base + 20);   /* one 4-tuple per connection */
	assert_int_equal(dm[1].installs, 3 + 20 + 1);  /* and the client's UDP socket */
	assert_int_equal(dpf_trie_count(dm[1].trie), 3);   /* ARP, ICMP, FRAG */
	udpecho_stop(u, sim_server(sn));
	tcpecho_stop(t, sim_server(sn));
	simnet_free(sn);
	free(u), free(t);
	assert_int_equal(dpf_trie_count(dm[0].trie), 0);
	assert_int_equal(dpf_trie_count(dm[1].trie), 0);
}

/* Frames that are not the server's business match none of its filters. */
static void test_not_steered(void **state)
{
	(void)state;
	struct simnet *sn = simnet_new(22, 0, 0, 1);
	struct udpecho *u = calloc(1, sizeof *u);
	struct tcpecho *t = calloc(1, sizeof *t);
	assert_int_equal(udpecho_start(u, sim_server(sn), 7), 0);
	assert_int_equal(tcpecho_start(t, sim_server(sn), 7), 0);
	struct dpf_trie *tr = dm[0].trie;
	/* A TCP SYN to 10.0.0.1:7 as the client's stack would build it. */
	static const uint8_t syn[] = {
		0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00,
		0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1,
		0xc3, 0x50, 0, 7, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
	};
	uint8_t f[sizeof syn];
	assert_int_not_equal(dpf_interp(tr, syn, sizeof syn, sizeof syn), DPF_NO_MATCH);
	memcpy(f, syn, sizeof f);
	f[37] = 8;                          /* another port */
	assert_int_equal(dpf_interp(tr, f, sizeof f, sizeof f), DPF_NO_MATCH);
	memcpy(f, syn, sizeof f);
	f[33] = 9;                          /* another address: the listener */
	assert_int_not_equal(dpf_interp(tr, f, sizeof f, sizeof f), DPF_NO_MATCH);
	f[23] = 1;                          /* bound to 0.0.0.0; ICMP is per address */
	assert_int_equal(dpf_interp(tr, f, sizeof f, sizeof f), DPF_NO_MATCH);
	f[33] = 1;
	assert_int_not_equal(dpf_interp(tr, f, sizeof f, sizeof f), DPF_NO_MATCH);
	memcpy(f, syn, sizeof f);
	f[23] = 17;                         /* UDP to port 7: the UDP filter */
	assert_int_not_equal(dpf_interp(tr, f, sizeof f, sizeof f), DPF_NO_MATCH);
	f[37] = 8;                          /* UDP to port 8: nobody */
	assert_int_equal(dpf_interp(tr, f, sizeof f, sizeof f), DPF_NO_MATCH);
	memcpy(f, syn, sizeof f);
	f[12] = 0x86, f[13] = 0xdd;         /* not IPv4 */
	assert_int_equal(dpf_interp(tr, f, sizeof f, sizeof f), DPF_NO_MATCH);
	memcpy(f, syn, sizeof f);
	f[20] = 0x00, f[21] = 0x10;         /* a later fragment: the FRAG filter */
	assert_int_not_equal(dpf_interp(tr, f, sizeof f, sizeof f), DPF_NO_MATCH);
	f[33] = 9;                          /* ... but not to another address */
	assert_int_equal(dpf_interp(tr, f, sizeof f, sizeof f), DPF_NO_MATCH);
	/* Truncated: the port is not in the captured bytes. */
	assert_int_equal(dpf_interp(tr, syn, 36, 36), DPF_NO_MATCH);
	udpecho_stop(u, sim_server(sn));
	tcpecho_stop(t, sim_server(sn));
	simnet_free(sn);
	free(u), free(t);
}

static void test_bad_request(void **state)
{
	(void)state;
	uint8_t prog[NETAPP_FILTER_MAX];
	struct tcpip_filter f = { .kind = 99 };
	assert_int_equal(netapp_filter_dpf(&f, prog, sizeof prog), 0);
	f = (struct tcpip_filter){ .kind = TCPIP_FILTER_TCP, .local_ip = 1, .local_port = 80,
				   .remote_ip = 2, .remote_port = 3 };
	size_t len = netapp_filter_dpf(&f, prog, sizeof prog);
	assert_true(len > 0 && len <= NETAPP_FILTER_MAX);
	assert_int_equal(netapp_filter_dpf(&f, prog, len - 1), 0);   /* too small */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_steering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_steered, setup, teardown),
		cmocka_unit_test(test_bad_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
