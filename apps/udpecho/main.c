/*
 * udpecho: the UDP echo service (port 7, or port=N) on this program's own
 * stack; stats=PORT adds the netstat query service. See docs/apps.md.
 */
#include <libos/args.h>
#include <libos/libos.h>

#include "../netstat/netstat.h"
#include "udpecho.h"

static struct netapp na;
static struct netif nif;
static struct udpecho echo;
static struct netstat stats;

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	uint16_t port = netapp_port_arg(argc, argv, "port", 7);
	uint16_t sport = netapp_port_arg(argc, argv, "stats", 0);
	if (port == 0) {
		printf("udpecho: bad port=\n");
		return 2;
	}
	if (netapp_start(&na, &nif, "udpecho", argc, argv) < 0)
		return 1;
	int r = udpecho_start(&echo, &na, port);
	if (r == 0 && arg_value(argc, argv, "stats"))
		r = sport ? netstat_start(&stats, &na, sport, netapp_console_print, 0) : TCPIP_EINVAL;
	if (r < 0) {
		printf("udpecho: cannot serve port %u: error %d\n", port, r);
		return 1;
	}
	printf("udpecho: ready on udp port %u\n", port);
	netapp_run(&na, 0);
	return 0;
}
