/*
 * Robustness: thousands of random and mutated frames (valid seeds with
 * bytes flipped, fields set to edge values, lengths cut or extended, and
 * checksums then repaired half of the time so the damage reaches the deeper
 * layers), and every frame of the pcap corpora when present: pcaps/ and
 * ../shared/pcaps/tcpdump-tests, read with the harness's own pcap reader.
 * Each frame is fed twice, as captured and retargeted at the node's MAC
 * and IP. Nothing may crash or trip the sanitizers, every frame must end
 * in exactly one verdict, and the pools return to baseline.
 */
#include <dirent.h>
#include "tcp_util.h"

static uint64_t rng = 0x5eed;

struct fuzz {
	struct node *n;
	struct conn c;
	int udp;
	unsigned frames;
};

static void service(struct fuzz *z)
{
	static uint8_t buf[70000];
	struct tcpip *st = z->n->st;
	while (tcpip_recv(st, z->udp, buf, sizeof buf, 0) >= 0)
		;
	int s;
	while ((s = tcpip_accept(st, z->c.lsd, NULL)) >= 0) {
		tcpip_recv(st, s, buf, sizeof buf, 0);
		tcpip_send(st, s, "hello", 5, 0);
		tcpip_close(st, s);
	}
	if (z->c.sd >= 0)
		tcpip_recv(st, z->c.sd, buf, sizeof buf, 0);
	node_drain(z->n);
	if (z->frames % 64 == 0)
		node_advance(z->n, prng_next(&rng) % 3000);
}

static void feed(struct fuzz *z, uint8_t *f, size_t len)
{
	node_input(z->n, f, len, prng_next(&rng) & 1);
	z->frames++;
	service(z);
}

/* Valid frames of every kind the node handles, as mutation seeds. */
static size_t seed(struct fuzz *z, uint8_t *f, unsigned kind)
{
	static const uint8_t zero[6];
	static uint8_t payload[1500];
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)prng_next(&rng);
	size_t plen = prng_next(&rng) % 1400;
	switch (kind % 8) {
	case 0:
		return build_arp(f, ARP_OP_REQUEST, PEER_MAC, PEER_IP, zero, NODE_IP,
				 (const uint8_t[6]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff });
	case 1:
		return build_icmp_echo(f, PEER_IP, NODE_IP, 1, 2, payload, plen);
	case 2:
		return build_udp(f, PEER_IP, 1000, NODE_IP, 7, payload, plen);
	case 3:
		return build_tcp(f, PEER_IP, (uint16_t)(2000 + kind), NODE_IP, NPORT,
				 prng_next(&rng), 0, TCP_SYN, 8000, NULL, NULL, 0);
	case 4: {
		struct tcp_opts o = { .mss = (uint16_t)prng_next(&rng), .wscale = (int)(prng_next(&rng) % 20) };
		return build_tcp(f, PEER_IP, PPORT, NODE_IP, NPORT, z->c.snd, z->c.rcv,
				 TCP_ACK | TCP_PSH, 8000, &o, payload, plen);
	}
	case 5:
		return build_tcp(f, PEER_IP, PPORT, NODE_IP, NPORT,
				 z->c.snd + prng_next(&rng) % 100000, z->c.rcv, TCP_ACK, 8000,
				 NULL, payload, plen);
	case 6: {
		uint16_t off = (uint16_t)((prng_next(&rng) % 16) | (prng_next(&rng) & 1 ? IP_MF : 0));
		return build_ip(f, PEER_IP, NODE_IP, IP_PROTO_UDP, (uint16_t)(prng_next(&rng) % 4),
				off, payload, plen & ~7u);
	}
	default:
		return build_tcp(f, PEER_IP, PPORT, NODE_IP, NPORT, z->c.snd, z->c.rcv,
				 (uint8_t)prng_next(&rng), (uint16_t)prng_next(&rng), NULL,
				 payload, plen % 64);
	}
}

static void mutate(uint8_t *f, size_t *len)
{
	unsigned n = 1 + prng_next(&rng) % 4;
	for (unsigned i = 0; i < n; i++) {
		uint32_t r = prng_next(&rng);
		size_t at = *len ? prng_next(&rng) % *len : 0;
		switch (r % 6) {
		case 0: /* flip a byte */
			if (*len)
				f[at] ^= (uint8_t)(1 + prng_next(&rng) % 255);
			break;
		case 1: /* an interesting value in a header byte */
			if (*len > 14 + 40) {
				static const uint8_t v[] = { 0, 1, 0x7f, 0x80, 0xff, 0x45, 0x4f, 0x50,
							     0xf0 };
				f[14 + prng_next(&rng) % 40] = v[prng_next(&rng) % sizeof v];
			}
			break;
		case 2: /* cut */
			*len = at;
			break;
		case 3: /* extend with garbage */
			while (*len < 1600 && (prng_next(&rng) % 8))
				f[(*len)++] = (uint8_t)prng_next(&rng);
			break;
		case 4: /* a length field */
			if (*len > 40) {
				static const size_t fields[] = { 16, 38, 46 };
				put16(f + fields[prng_next(&rng) % 3], (uint16_t)prng_next(&rng));
			}
			break;
		default: /* header length / data offset nibble */
			if (*len > 47)
				f[prng_next(&rng) & 1 ? 14 : 46] = (uint8_t)prng_next(&rng);
			break;
		}
	}
}

static int setup(void **state)
{
	const char *seed = getenv("TCPIP_SEED"); /* other mutations, by hand */
	if (seed)
		rng = strtoull(seed, NULL, 0) | 1;
	struct fuzz *z = calloc(1, sizeof *z);
	z->n = node_std();
	node_learn_peer(z->n);
	conn_passive(&z->c, z->n, NULL);
	z->udp = tcpip_socket(z->n->st, TCPIP_SOCK_DGRAM);
	struct tcpip_sockaddr_in a = sin_of(0, 7);
	tcpip_bind(z->n->st, z->udp, &a);
	*state = z;
	return 0;
}

static int teardown(void **state)
{
	struct fuzz *z = *state;
	node_assert_counters_add_up(z->n);
	node_free(z->n);
	free(z);
	return 0;
}

static void test_mutated_frames(void **state)
{
	struct fuzz *z = *state;
	static uint8_t f[2048];
	for (unsigned i = 0; i < 30000; i++) {
		size_t len = seed(z, f, prng_next(&rng));
		mutate(f, &len);
		if (prng_next(&rng) & 1)
			fix_checksums(f, len);
		feed(z, f, len);
	}
	node_assert_counters_add_up(z->n);
	/* The stack still works: a fresh ping is answered. */
	node_drain(z->n);
	size_t len = build_icmp_echo(f, PEER_IP, NODE_IP, 9, 9, "alive", 5);
	node_input(z->n, f, len, false);
	struct pkt p;
	for (;;) {
		expect_frame(z->n, &p);
		if (p.ethtype == ETH_TYPE_IPV4 && p.proto == IP_PROTO_ICMP)
			break;
	}
	assert_int_equal(p.icmp_type, ICMP_ECHO_REPLY);
	/* The mutations must reach deep: most verdicts were seen. */
	unsigned seen = 0;
	for (unsigned v = 0; v < TCPIP_RX_N; v++)
		seen += z->n->st->stats.rx[v] != 0;
	print_message("%u mutated frames, %u of %u verdicts seen\n", z->frames, seen,
		      (unsigned)TCPIP_RX_N);
	for (unsigned v = 0; v < TCPIP_RX_N; v++)
		if (getenv("TCPIP_VERBOSE"))
			print_message("  %-28s %llu\n", tcpip_rx_name(v),
				      (unsigned long long)z->n->st->stats.rx[v]);
	assert_true(seen >= TCPIP_RX_N * 3 / 4);
}

static void test_random_frames(void **state)
{
	struct fuzz *z = *state;
	static uint8_t f[2048];
	for (unsigned i = 0; i < 10000; i++) {
		size_t len = prng_next(&rng) % 1600;
		for (size_t k = 0; k < len; k++)
			f[k] = (uint8_t)prng_next(&rng);
		if (len >= 14 && (i & 1)) {
			memcpy(f, NODE_MAC, 6); /* get past the MAC check */
			put16(f + 12, (i & 2) ? ETH_TYPE_IPV4 : ETH_TYPE_ARP);
			if (len > 34 && (i & 4)) {
				f[14] = 0x45;
				put32(f + 30, NODE_IP);
				fix_checksums(f, len);
			}
		}
		feed(z, f, len);
	}
	feed(z, NULL, 0);
	node_assert_counters_add_up(z->n);
}

static void pcap_packet(void *arg, const uint8_t *p, size_t len)
{
	struct fuzz *z = arg;
	static uint8_t f[262144];
	memcpy(f, p, len);
	feed(z, f, len);
	/* Retargeted at the node, so the packet reaches the protocols. */
	if (len >= 14) {
		memcpy(f, NODE_MAC, 6);
		if (len >= 34 && get16(f + 12) == ETH_TYPE_IPV4) {
			put32(f + 30, NODE_IP);
			fix_checksums(f, len);
		}
		feed(z, f, len);
	}
}

static unsigned feed_dir(struct fuzz *z, const char *dir)
{
	DIR *d = opendir(dir);
	unsigned files = 0;
	if (!d)
		return 0;
	struct dirent *e;
	char path[1024];
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 5, ".pcap") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (pcap_foreach(path, pcap_packet, z) >= 0)
			files++;
	}
	closedir(d);
	return files;
}

static void test_pcap_corpora(void **state)
{
	struct fuzz *z = *state;
	unsigned files = feed_dir(z, "pcaps");
	files += feed_dir(z, "../shared/pcaps/tcpdump-tests");
	node_assert_counters_add_up(z->n);
	print_message("pcap corpora: %u files, %u frames fed\n", files, z->frames);
	if (files == 0)
		skip();
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_mutated_frames),
		T(test_random_frames),
		T(test_pcap_corpora),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
