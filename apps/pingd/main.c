/*
 * pingd: the machine's ICMP echo responder, and the holder of its network
 * statistics service. It runs a stack of its own like every network
 * program (docs/apps.md, "One address, several stacks"); being started
 * first by init, its stack gets the address's ICMP filter, so its stack
 * answers pings (libos/tcpip/icmp.c: the stack needs no service for that)
 * and sends port-unreachable replies for UDP it holds. ARP, fragments and
 * DHCP replies reach every stack through the kernel's shared filters.
 *
 * stats=PORT (default 7001, 0: off): the netstat query service of this
 * stack (ARP cache, drops, the kernel's idle counters).
 */
#include <libos/libos.h>

#include "../netstat/netstat.h"
#include "../netstat/service.h"

static struct netapp na;
static struct netif nif;
static struct netstat stats;

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	int sport = service_port_or_off(argc, argv, "stats", 7001);
	if (sport < 0) {
		printf("pingd: bad stats= port\n");
		return 2;
	}
	if (netapp_start(&na, &nif, "pingd", argc, argv) < 0)
		return 1;
	service_report_ip(&na, "pingd");
	if (sport) {
		int r = netstat_start(&stats, &na, (uint16_t)sport, netapp_console_print, 0);
		if (r < 0) {
			printf("pingd: cannot serve statistics on udp port %d: error %d\n", sport, r);
			return 1;
		}
	}
	printf("pingd: ready (ICMP echo; statistics on udp port %d)\n", sport);
	service_ready((uint16_t)sport);
	netapp_run(&na, 0);
	return 0;
}
