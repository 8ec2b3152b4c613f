/*
 * The sockets API's argument checking and edge semantics, the filter hook's
 * refusals, and tcpip_init()'s validation.
 */
#include "tcp_util.h"

static void test_bad_descriptors(void **state)
{
	struct node *n = *state;
	struct tcpip *st = n->st;
	struct tcpip_sockaddr_in a = sin_of(0, 1);
	char b[4];
	int v = 1;
	size_t vl = sizeof v;
	const int bad[] = { -1, TCPIP_NSOCK, 1000, 5 /* never opened */ };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int sd = bad[i];
		assert_int_equal(tcpip_bind(st, sd, &a), TCPIP_EBADF);
		assert_int_equal(tcpip_listen(st, sd, 1), TCPIP_EBADF);
		assert_int_equal(tcpip_accept(st, sd, NULL), TCPIP_EBADF);
		assert_int_equal(tcpip_connect(st, sd, &a), TCPIP_EBADF);
		assert_int_equal(tcpip_send(st, sd, b, 1, 0), TCPIP_EBADF);
		assert_int_equal(tcpip_recv(st, sd, b, 1, 0), TCPIP_EBADF);
		assert_int_equal(tcpip_shutdown(st, sd, TCPIP_SHUT_WR), TCPIP_EBADF);
		assert_int_equal(tcpip_close(st, sd), TCPIP_EBADF);
		assert_int_equal(tcpip_setsockopt(st, sd, TCPIP_SOL_SOCKET, TCPIP_SO_RCVBUF, &v,
						  sizeof v), TCPIP_EBADF);
		assert_int_equal(tcpip_getsockopt(st, sd, TCPIP_SOL_SOCKET, TCPIP_SO_RCVBUF, &v, &vl),
				 TCPIP_EBADF);
		assert_int_equal(tcpip_getsockname(st, sd, &a), TCPIP_EBADF);
		const void *zc;
		assert_int_equal(tcpip_recv_zc(st, sd, &zc), TCPIP_EBADF);
		struct tcpip_pollfd p = { .sd = sd, .events = TCPIP_POLLIN };
		assert_int_equal(tcpip_poll(st, &p, 1), 1);
		assert_int_equal(p.revents, TCPIP_POLLNVAL);
	}
	assert_int_equal(tcpip_socket(st, 99), TCPIP_EPROTOTYPE);
}

static void test_argument_checks(void **state)
{
	struct node *n = *state;
	struct tcpip *st = n->st;
	int t = tcpip_socket(st, TCPIP_SOCK_STREAM), u = tcpip_socket(st, TCPIP_SOCK_DGRAM);
	struct tcpip_sockaddr_in a = sin_of(0, 2000);
	a.sin_family = 10;
	assert_int_equal(tcpip_bind(st, t, &a), TCPIP_EAFNOSUPPORT);
	assert_int_equal(tcpip_bind(st, t, NULL), TCPIP_EINVAL);
	a = sin_of(0, 2000);
	assert_int_equal(tcpip_bind(st, t, &a), 0);
	assert_int_equal(tcpip_bind(st, t, &a), TCPIP_EINVAL);
	assert_int_equal(tcpip_listen(st, u, 1), TCPIP_EOPNOTSUPP);
	assert_int_equal(tcpip_accept(st, t, NULL), TCPIP_EINVAL);
	assert_int_equal(tcpip_send(st, t, "x", 1, 0), TCPIP_ENOTCONN);
	char b[4];
	assert_int_equal(tcpip_recv(st, t, b, 4, 0), TCPIP_ENOTCONN);
	assert_int_equal(tcpip_recv(st, t, NULL, 4, 0), TCPIP_EINVAL);
	struct tcpip_sockaddr_in bad[] = { sin_of(PEER_IP, 0), sin_of(0, 80),
					   sin_of(TCPIP_IP4(224, 0, 0, 1), 80) };
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(tcpip_connect(st, t, &bad[i]), TCPIP_EINVAL);
	struct tcpip_sockaddr_in bc = sin_of(TCPIP_IP4(10, 0, 0, 255), 80);
	assert_int_equal(tcpip_connect(st, t, &bc), TCPIP_ENETUNREACH);
	struct tcpip_sockaddr_in to = sin_of(PEER_IP, 7);
	assert_int_equal(tcpip_sendto(st, t, "x", 1, 0, &to), TCPIP_EISCONN);
	assert_int_equal(tcpip_send(st, u, "x", 1, 0), TCPIP_EDESTADDRREQ);
	assert_int_equal(tcpip_shutdown(st, t, 7), TCPIP_EINVAL);
	assert_int_equal(tcpip_shutdown(st, t, TCPIP_SHUT_WR), TCPIP_ENOTCONN);
	assert_int_equal(tcpip_listen(st, t, 0), 0);
	assert_int_equal(tcpip_connect(st, t, &to), TCPIP_EINVAL);
	assert_int_equal(tcpip_recv(st, t, b, 4, 0), TCPIP_ENOTCONN);
	/* Options. */
	int v = 1;
	assert_int_equal(tcpip_setsockopt(st, u, 99, 1, &v, sizeof v), TCPIP_ENOPROTOOPT);
	assert_int_equal(tcpip_setsockopt(st, u, TCPIP_SOL_SOCKET, 77, &v, sizeof v),
			 TCPIP_ENOPROTOOPT);
	assert_int_equal(tcpip_setsockopt(st, u, TCPIP_IPPROTO_TCP, TCPIP_TCP_NODELAY, &v,
					  sizeof v), TCPIP_ENOPROTOOPT);
	assert_int_equal(tcpip_setsockopt(st, u, TCPIP_SOL_SOCKET, TCPIP_SO_RCVBUF, &v, 2),
			 TCPIP_EINVAL);
	assert_int_equal(tcpip_setsockopt(st, u, TCPIP_SOL_SOCKET, TCPIP_SO_RCVBUF, NULL, 4),
			 TCPIP_EINVAL);
	v = 1 << 30;
	assert_int_equal(tcpip_setsockopt(st, u, TCPIP_SOL_SOCKET, TCPIP_SO_RCVBUF, &v, sizeof v), 0);
	size_t vl = sizeof v;
	assert_int_equal(tcpip_getsockopt(st, u, TCPIP_SOL_SOCKET, TCPIP_SO_RCVBUF, &v, &vl), 0);
	assert_int_equal(v, TCP_MAX_BUF);
	v = -5;
	tcpip_setsockopt(st, u, TCPIP_SOL_SOCKET, TCPIP_SO_RCVBUF, &v, sizeof v);
	tcpip_getsockopt(st, u, TCPIP_SOL_SOCKET, TCPIP_SO_RCVBUF, &v, &vl);
	assert_int_equal(v, TCP_MIN_BUF);
	v = 0;
	assert_int_equal(tcpip_setsockopt(st, t, TCPIP_IPPROTO_TCP, TCPIP_TCP_KEEPIDLE, &v,
					  sizeof v), TCPIP_EINVAL);
	v = 1;
	tcpip_setsockopt(st, t, TCPIP_IPPROTO_TCP, TCPIP_TCP_NODELAY, &v, sizeof v);
	v = 0;
	tcpip_getsockopt(st, t, TCPIP_IPPROTO_TCP, TCPIP_TCP_NODELAY, &v, &vl);
	assert_int_equal(v, 1);
	vl = 2;
	assert_int_equal(tcpip_getsockopt(st, t, TCPIP_SOL_SOCKET, TCPIP_SO_ERROR, &v, &vl),
			 TCPIP_EINVAL);
	assert_int_equal(tcpip_poll(st, NULL, 1), TCPIP_EINVAL);
	tcpip_close(st, t);
	tcpip_close(st, u);
}

static void test_table_full(void **state)
{
	struct node *n = *state;
	int sds[TCPIP_NSOCK];
	for (int i = 0; i < TCPIP_NSOCK; i++) {
		sds[i] = tcpip_socket(n->st, TCPIP_SOCK_DGRAM);
		assert_true(sds[i] >= 0);
	}
	assert_int_equal(tcpip_socket(n->st, TCPIP_SOCK_DGRAM), TCPIP_EMFILE);
	for (int i = 0; i < TCPIP_NSOCK; i++)
		assert_int_equal(tcpip_close(n->st, sds[i]), 0);
	assert_int_equal(tcpip_close(n->st, sds[0]), TCPIP_EBADF);
}

static void test_names_and_ephemeral_ports(void **state)
{
	struct node *n = *state;
	struct tcpip_sockaddr_in a;
	int u = tcpip_socket(n->st, TCPIP_SOCK_DGRAM);
	struct tcpip_sockaddr_in to = sin_of(PEER_IP, 7);
	assert_int_equal(tcpip_getpeername(n->st, u, &a), TCPIP_ENOTCONN);
	assert_int_equal(tcpip_sendto(n->st, u, "x", 1, 0, &to), 1);
	assert_int_equal(tcpip_getsockname(n->st, u, &a), 0);
	assert_true(tcpip_ntohs(a.sin_port) >= TCP_EPHEMERAL_LO);
	int u2 = tcpip_socket(n->st, TCPIP_SOCK_DGRAM);
	assert_int_equal(tcpip_connect(n->st, u2, &to), 0);
	struct tcpip_sockaddr_in b;
	tcpip_getsockname(n->st, u2, &b);
	assert_true(b.sin_port != a.sin_port);
	assert_int_equal(tcpip_getpeername(n->st, u2, &b), 0);
	assert_int_equal(tcpip_ntohl(b.sin_addr), PEER_IP);
	assert_int_equal(tcpip_send(n->st, u2, "y", 1, 0), 1);
	tcpip_close(n->st, u);
	tcpip_close(n->st, u2);
}

static void test_reuseaddr_after_time_wait(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	conn_passive(&c, n, NULL);
	tcpip_close(n->st, c.lsd);
	c.lsd = -1;
	tcpip_close(n->st, c.sd);
	c.sd = -1;
	expect_tcp(n, &p);
	conn_ack(&c, p.seq + 1, 65535);
	conn_send(&c, c.snd, NULL, 0, TCP_FIN | TCP_ACK); /* now in TIME_WAIT */
	node_drain(n);
	int l = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in a = sin_of(0, NPORT);
	assert_int_equal(tcpip_bind(n->st, l, &a), TCPIP_EADDRINUSE);
	int one = 1;
	tcpip_setsockopt(n->st, l, TCPIP_SOL_SOCKET, TCPIP_SO_REUSEADDR, &one, sizeof one);
	assert_int_equal(tcpip_bind(n->st, l, &a), 0);
	assert_int_equal(tcpip_listen(n->st, l, 1), 0);
	tcpip_close(n->st, l);
}

static void test_filter_refused(void **state)
{
	struct node *n = *state;
	n->filter_refuse = TCPIP_FILTER_UDP + 1;
	int u = tcpip_socket(n->st, TCPIP_SOCK_DGRAM);
	struct tcpip_sockaddr_in a = sin_of(0, 53);
	assert_int_equal(tcpip_bind(n->st, u, &a), TCPIP_EADDRINUSE);
	n->filter_refuse = TCPIP_FILTER_TCP + 1;
	int t = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	a = sin_of(0, 80);
	tcpip_bind(n->st, t, &a);
	assert_int_equal(tcpip_listen(n->st, t, 1), TCPIP_EADDRINUSE);
	n->filter_refuse = 0;
	assert_int_equal(tcpip_listen(n->st, t, 1), 0);
	tcpip_close(n->st, u);
	tcpip_close(n->st, t);
}

static void test_shutdown_read(void **state)
{
	struct node *n = *state;
	struct conn c;
	struct pkt p;
	conn_passive(&c, n, NULL);
	assert_int_equal(tcpip_shutdown(n->st, c.sd, TCPIP_SHUT_RD), 0);
	char b[8];
	assert_int_equal(tcpip_recv(n->st, c.sd, b, sizeof b, 0), 0);
	/* Data that nobody will read resets the connection. */
	conn_send(&c, c.snd, "late", 4, TCP_ACK);
	expect_tcp(n, &p);
	assert_true(p.flags & TCP_RST);
	conn_close_all(&c);
}

static void test_unconfigured_connect(void **state)
{
	(void)state;
	struct node *n = node_new(NODE_MAC, 0, true);
	int t = tcpip_socket(n->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in to = sin_of(PEER_IP, 80);
	assert_int_equal(tcpip_connect(n->st, t, &to), TCPIP_ENETUNREACH);
	int u = tcpip_socket(n->st, TCPIP_SOCK_DGRAM);
	assert_int_equal(tcpip_sendto(n->st, u, "x", 1, 0, &to), TCPIP_ENETUNREACH);
	tcpip_close(n->st, t);
	tcpip_close(n->st, u);
	node_free(n);
}

static uint64_t fake_now(void *c) { (void)c; return 0; }
static uint32_t fake_rand(void *c) { (void)c; return 4; }
static void fake_out(void *c, const void *f, size_t l) { (void)c; (void)f; (void)l; }

static void test_init_validation(void **state)
{
	(void)state;
	size_t size = tcpip_state_size();
	void *mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	struct tcpip_env env = { .now_ms = fake_now, .random = fake_rand, .output = fake_out };
	struct tcpip_config cfg = { .mac = { 2, 0, 0, 0, 0, 1 }, .ip = NODE_IP, .netmask = MASK };
	assert_non_null(tcpip_init(mem, size, &cfg, &env));
	assert_null(tcpip_init(mem, size - 1, &cfg, &env));
	assert_null(tcpip_init(NULL, size, &cfg, &env));
	assert_null(tcpip_init((char *)mem + 1, size - 1, &cfg, &env));
	struct tcpip_config bad = cfg;
	bad.netmask = TCPIP_IP4(255, 0, 255, 0);
	assert_null(tcpip_init(mem, size, &bad, &env));
	bad = cfg;
	bad.mac[0] = 1;
	assert_null(tcpip_init(mem, size, &bad, &env));
	bad = cfg;
	bad.ip = TCPIP_IP4(224, 1, 1, 1);
	assert_null(tcpip_init(mem, size, &bad, &env));
	bad = cfg;
	bad.gateway = TCPIP_IP4(192, 168, 1, 1); /* not on the subnet */
	assert_null(tcpip_init(mem, size, &bad, &env));
	struct tcpip_env e2 = env;
	e2.output = NULL;
	assert_null(tcpip_init(mem, size, &cfg, &e2));
	free(mem);
}

static void test_config_parse(void **state)
{
	(void)state;
	struct tcpip_config c = { 0 };
	const char *bad = NULL;
	assert_int_equal(tcpip_config_parse(&c, "root=/dev/x ip=10.0.2.15/24 gw=10.0.2.2 "
					    "mac=52:54:00:12:34:AB quiet", &bad), 0);
	assert_int_equal(c.ip, TCPIP_IP4(10, 0, 2, 15));
	assert_int_equal(c.netmask, TCPIP_IP4(255, 255, 255, 0));
	assert_int_equal(c.gateway, TCPIP_IP4(10, 0, 2, 2));
	assert_memory_equal(c.mac, "\x52\x54\x00\x12\x34\xab", 6);
	assert_false(c.dhcp);
	assert_int_equal(tcpip_config_parse(&c, "netmask=255.255.0.0", NULL), 0);
	assert_int_equal(c.netmask, TCPIP_IP4(255, 255, 0, 0));
	assert_int_equal(tcpip_config_parse(&c, "ip=dhcp", NULL), 0);
	assert_true(c.dhcp);
	static const char *const wrong[] = {
		"ip=10.0.2", "ip=10.0.2.256", "ip=10.0.2.15/33", "ip=10.0.2.15/0",
		"ip=1.2.3.4.5", "gw=", "mac=52:54:00:12:34", "mac=52-54-00-12-34-56",
		"ip=10..2.15", "netmask=255.255.255.0x", "ip=99999999999.1.1.1",
	};
	for (unsigned i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
		char text[64];
		snprintf(text, sizeof text, "quiet %s debug", wrong[i]);
		bad = NULL;
		assert_int_equal(tcpip_config_parse(&c, text, &bad), TCPIP_EINVAL);
		assert_ptr_equal(bad, text + 6);
	}
	assert_int_equal(tcpip_config_parse(&c, "", NULL), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, node_setup_peer, node_teardown)
	const struct CMUnitTest tests[] = {
		T(test_bad_descriptors),
		T(test_argument_checks),
		T(test_table_full),
		T(test_names_and_ephemeral_ports),
		T(test_reuseaddr_after_time_wait),
		T(test_filter_refused),
		T(test_shutdown_read),
		cmocka_unit_test(test_unconfigured_connect),
		cmocka_unit_test(test_init_validation),
		cmocka_unit_test(test_config_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
