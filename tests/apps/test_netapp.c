/*
 * The netapp event loop and the netstat service: argument checks, the
 * blocking helpers' time-outs and errors, service deadlines and removal,
 * and the statistics report over UDP.
 */
#include "simnet.h"

#include "../../apps/netstat/netstat.h"
#include "../../apps/tcpecho/tcpecho.h"

static int dummy_rx(void *ctx, const void **f, size_t *l, void **c)
{
	(void)ctx, (void)f, (void)l, (void)c;
	return 0;
}

static void test_init_checks(void **state)
{
	(void)state;
	struct netapp na;
	struct netif nif = { .rx = dummy_rx };   /* no tx, clock, ... */
	struct tcpip_config cfg = { .ip = SIM_SERVER_IP, .netmask = 0xffffff00u };
	static uint8_t mem[64];
	assert_int_equal(netapp_init(&na, mem, sizeof mem, &nif, &cfg), TCPIP_EINVAL);
	assert_int_equal(netapp_init(&na, NULL, 0, NULL, &cfg), TCPIP_EINVAL);
	/* A real interface but too little memory for the stack. */
	struct simnet *sn = simnet_new(3, 0, 0, 1);
	assert_int_equal(netapp_init(&na, mem, sizeof mem, &sn->side[0].nif, &cfg), TCPIP_EINVAL);
	simnet_free(sn);
}

static void test_timeouts_and_errors(void **state)
{
	(void)state;
	struct simnet *sn = simnet_new(3, 0, 0, 1);
	struct netapp *c = sim_client(sn);
	int u = tcpip_socket(c->st, TCPIP_SOCK_DGRAM);
	char buf[16];
	struct tcpip_sockaddr_in any = sim_addr(0, 5000), from;
	assert_int_equal(tcpip_bind(c->st, u, &any), 0);
	uint64_t t0 = sn->now;
	assert_int_equal(netapp_recvfrom(c, u, buf, sizeof buf, &from, 500), TCPIP_ETIMEDOUT);
	assert_true(sn->now >= t0 + 500 && sn->now < t0 + 600);
	struct tcpip_pollfd p = { .sd = u, .events = TCPIP_POLLIN };
	assert_int_equal(netapp_poll(c, &p, 1, 200), 0);
	assert_int_equal(netapp_poll(c, &p, 1, 0), 0);
	assert_int_equal(tcpip_close(c->st, u), 0);
	assert_int_equal(netapp_recv(c, u, buf, sizeof buf, 100), TCPIP_EBADF);

	/* A closed port refuses; a listener accepts. */
	int t = tcpip_socket(c->st, TCPIP_SOCK_STREAM);
	struct tcpip_sockaddr_in to = sim_addr(SIM_SERVER_IP, 9);
	assert_int_equal(netapp_connect(c, t, &to, 5000), TCPIP_ECONNREFUSED);
	tcpip_close(c->st, t);
	struct tcpecho *e = calloc(1, sizeof *e);
	assert_int_equal(tcpecho_start(e, sim_server(sn), 9), 0);
	t = sim_connect(sn, 9);
	assert_int_equal(netapp_send_all(c, t, "ping", 4, 1000), 4);
	assert_int_equal(netapp_recv_all(c, t, buf, 4, 1000), 4);
	assert_memory_equal(buf, "ping", 4);
	/* Nothing more comes: recv_all gives what it has when time runs out. */
	assert_int_equal(netapp_recv_all(c, t, buf, 8, 300), TCPIP_ETIMEDOUT);
	assert_int_equal(netapp_send_all(c, t, "x", 1, 1000), 1);
	assert_int_equal(netapp_recv_all(c, t, buf, 8, 300), 1);
	tcpip_close(c->st, t);
	simnet_run(sn, 70000);
	tcpecho_stop(e, sim_server(sn));
	free(e);
	simnet_free(sn);
}

struct ticker {
	struct netapp_service svc;
	uint64_t next, period;
	unsigned runs, due_runs;
};

static void ticker_run(struct netapp *na, void *arg)
{
	struct ticker *t = arg;
	t->runs++;
	if (netapp_now(na) >= t->next) {
		t->due_runs++;
		t->next += t->period;
	}
}

static uint64_t ticker_deadline(struct netapp *na, void *arg)
{
	(void)na;
	return ((struct ticker *)arg)->next;
}

static void test_service_deadline(void **state)
{
	(void)state;
	struct simnet *sn = simnet_new(3, 0, 0, 1);
	struct ticker t = { .period = 1000 };
	t.next = sn->now + 1000;
	t.svc = (struct netapp_service){ .name = "ticker", .arg = &t, .run = ticker_run,
					 .deadline = ticker_deadline };
	/* On the server: it runs inside the client's waits, with no traffic. */
	netapp_add_service(sim_server(sn), &t.svc);
	simnet_run(sn, 10500);
	assert_int_equal(t.due_runs, 10);
	netapp_remove_service(sim_server(sn), &t.svc);
	unsigned runs = t.runs;
	simnet_run(sn, 5000);
	assert_int_equal(t.runs, runs);
	simnet_free(sn);
}

struct capture {
	char text[65536];
	size_t len;
};

static void capture(void *arg, const char *text, size_t len)
{
	struct capture *c = arg;
	assert_true(c->len + len < sizeof c->text);
	memcpy(c->text + c->len, text, len);
	c->len += len;
	c->text[c->len] = 0;
}

static void test_netstat_query(void **state)
{
	(void)state;
	struct simnet *sn = simnet_new(3, 0, 0, 1);
	struct netapp *c = sim_client(sn);
	struct netstat *ns = calloc(1, sizeof *ns);
	struct tcpecho *e = calloc(1, sizeof *e);
	struct capture *console = calloc(1, sizeof *console), *got = calloc(1, sizeof *got);
	assert_int_equal(netstat_start(ns, sim_server(sn), 7001, capture, console), 0);
	assert_int_equal(tcpecho_start(e, sim_server(sn), 7), 0);
	int t[12];
	for (int i = 0; i < 12; i++)
		t[i] = sim_connect(sn, 7);   /* enough lines for several datagrams */
	simnet_run(sn, 10);   /* the last handshake's ACK reaches the server: accepted */

	int u = tcpip_socket(c->st, TCPIP_SOCK_DGRAM);
	struct tcpip_sockaddr_in to = sim_addr(SIM_SERVER_IP, 7001), from;
	assert_int_equal(tcpip_sendto(c->st, u, "netstat", 7, 0, &to), 7);
	unsigned dgrams = 0;
	while (!strstr(got->text, "\nend\n")) {
		char d[2048];
		long n = netapp_recvfrom(c, u, d, sizeof d, &from, 2000);
		assert_true(n > 0 && n <= NETSTAT_DGRAM);
		assert_int_equal(d[n - 1], '\n');   /* whole lines per datagram */
		capture(got, d, (size_t)n);
		dgrams++;
	}
	assert_true(dgrams >= 2);
	assert_string_equal(got->text, console->text);   /* printed as sent */
	assert_non_null(strstr(got->text, "arp: 10.0.0.2 02:00:00:00:00:02"));
	assert_non_null(strstr(got->text, "conn: tcp 10.0.0.1:7 10.0.0.2:"));
	assert_non_null(strstr(got->text, "ESTABLISHED"));
	assert_non_null(strstr(got->text, "\npool: pbufs 0 blocks 0 held 0 sockets 14 pcbs 13 reass 0\n"));
	assert_non_null(strstr(got->text, "\nnetapp: passes "));
	assert_non_null(strstr(got->text, "\nnetif: simnet side 0\nend\n"));   /* the netif's lines */
	assert_non_null(strstr(got->text, "ip: 10.0.0.1 mask 255.255.255.0"));
	assert_int_equal(ns->queries, 1);

	for (int i = 0; i < 12; i++)
		tcpip_close(c->st, t[i]);
	tcpip_close(c->st, u);
	simnet_run(sn, 70000);
	netstat_stop(ns, sim_server(sn));
	tcpecho_stop(e, sim_server(sn));
	simnet_free(sn);
	free(ns), free(e), free(console), free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_checks),
		cmocka_unit_test(test_timeouts_and_errors),
		cmocka_unit_test(test_service_deadline),
		cmocka_unit_test(test_netstat_query),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
