#include <exo/errno.h>
#include <libos/args.h>
#include <libos/libos.h>

#include "netstat.h"
#include "service.h"

static struct netapp na;
static struct netif nif;
static struct netstat stats;

void service_ready(uint16_t port)
{
	long parent = book_parent_id();

	/* The parent's one-message mailbox may hold a sibling's report for a
	 * moment; a parent that is gone refuses with ESRCH. */
	for (int tries = 0; parent > 0 && tries < 2000; tries++) {
		if (sys_ipc_send(parent, (long)SERVICE_READY, port) != -EXO_EAGAIN)
			return;
		sys_sleep(1);
	}
}

int service_port_or_off(int argc, char **argv, const char *key, uint16_t dflt)
{
	const char *v = arg_value(argc, argv, key);
	if (v && v[0] == '0' && v[1] == 0)
		return 0;
	uint16_t p = netapp_port_arg(argc, argv, key, dflt);
	return p ? p : -1;
}

static const char *ip_name;

static void ip_report(struct netapp *na, void *arg)
{
	(void)arg;
	if (!na->ip_changed)
		return;
	struct tcpip_ipconfig c;
	tcpip_get_ipconfig(na->st, &c);
	printf("%s: address %u.%u.%u.%u gateway %u.%u.%u.%u (%s)\n", ip_name, c.ip >> 24,
	       (c.ip >> 16) & 255, (c.ip >> 8) & 255, c.ip & 255, c.gateway >> 24,
	       (c.gateway >> 16) & 255, (c.gateway >> 8) & 255, c.gateway & 255,
	       c.dhcp_state);
}

static struct netapp_service ip_svc = { .name = "ip-report", .run = ip_report };

void service_report_ip(struct netapp *na, const char *name)
{
	ip_name = name;
	netapp_add_service(na, &ip_svc);
}

int service_main(const char *name, const char *proto, uint16_t default_port,
		 service_start_fn start, void *svc, int argc, char **argv)
{
	uint16_t port = netapp_port_arg(argc, argv, "port", default_port);
	uint16_t sport = netapp_port_arg(argc, argv, "stats", 0);
	if (port == 0) {
		printf("%s: bad port=\n", name);
		return 2;
	}
	if (netapp_start(&na, &nif, name, argc, argv) < 0)
		return 1;
	int r = start(svc, &na, port);
	if (r == 0 && arg_value(argc, argv, "stats"))
		r = sport ? netstat_start(&stats, &na, sport, netapp_console_print, 0) : TCPIP_EINVAL;
	if (r < 0) {
		printf("%s: cannot serve port %u: error %d\n", name, port, r);
		return 1;
	}
	service_report_ip(&na, name);
	printf("%s: ready on %s port %u\n", name, proto, port);
	service_ready(port);
	netapp_run(&na, 0);
	return 0;
}
