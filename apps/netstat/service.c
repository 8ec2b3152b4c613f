#include <libos/args.h>
#include <libos/libos.h>

#include "netstat.h"
#include "service.h"

static struct netapp na;
static struct netif nif;
static struct netstat stats;

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
	printf("%s: ready on %s port %u\n", name, proto, port);
	netapp_run(&na, 0);
	return 0;
}
