/*
 * netd: the machine's network services on one libOS stack, the program
 * init starts on a normal boot (docs/apps.md, "One stack, one address").
 *
 * The kernel demultiplexes by DPF and refuses a filter that overlaps
 * another env's, and every stack needs the ARP, ICMP and fragment filters
 * of the machine's one address: two stacks on one address cannot both
 * have them. So the services share a stack, which is what netapp is made
 * for: udpecho on UDP 7, tcpecho on TCP 7, httpd on TCP 80 and netstat on
 * UDP 7001 (ports overridable: udp= tcp= http= stats=, 0 turns one off),
 * with ping answered by the stack itself. Each service still installs its
 * own per-port and per-connection filters through the stack's hook.
 *
 * The web root is not part of this program: it is the www/ members of the
 * initrd, whose pages init hands over read-only when it starts netd and
 * names in the argument www= (../httpd/webroot.h). Files are served
 * straight from those pages. Without a valid www= the other services run
 * and httpd answers 404.
 */
#include <libos/args.h>
#include <libos/libos.h>

#include "../httpd/httpd.h"
#include "../httpd/webroot.h"
#include "../netstat/netstat.h"
#include "../tcpecho/tcpecho.h"
#include "../udpecho/udpecho.h"

static struct netapp na;
static struct netif nif;
static struct udpecho uecho;
static struct tcpecho techo;
static struct httpd server;
static struct httpd_fs fs;
static struct httpd_tarfs tarfs;
static struct netstat stats;

/* A service that reports every address change (DHCP bound, renewed or
 * lost) on the console, so `make run` shows what the machine got. */
static void ip_report(struct netapp *na, void *arg)
{
	(void)arg;
	if (!na->ip_changed)
		return;
	struct tcpip_ipconfig c;
	tcpip_get_ipconfig(na->st, &c);
	printf("netd: address %u.%u.%u.%u gateway %u.%u.%u.%u (%s)\n", c.ip >> 24,
	       (c.ip >> 16) & 255, (c.ip >> 8) & 255, c.ip & 255, c.gateway >> 24,
	       (c.gateway >> 16) & 255, (c.gateway >> 8) & 255, c.gateway & 255,
	       c.dhcp_state);
}

static struct netapp_service ip_svc = { .name = "ip-report", .run = ip_report };

/* key=N, dflt when absent; key=0 means "off"; -1 if N is not a port. */
static int port_or_off(int argc, char **argv, const char *key, uint16_t dflt)
{
	const char *v = arg_value(argc, argv, key);
	if (v && v[0] == '0' && v[1] == 0)
		return 0;
	uint16_t p = netapp_port_arg(argc, argv, key, dflt);
	return p ? p : -1;
}

static int check(int r, const char *what, int port)
{
	if (r < 0)
		printf("netd: cannot serve %s port %d: error %d\n", what, port, r);
	else
		printf("%s: ready on %s port %d\n", what,
		       what[0] == 'u' || what[0] == 'n' ? "udp" : "tcp", port);
	return r;
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	int udp = port_or_off(argc, argv, "udp", 7);
	int tcp = port_or_off(argc, argv, "tcp", 7);
	int http = port_or_off(argc, argv, "http", 80);
	int sport = port_or_off(argc, argv, "stats", 7001);
	if (udp < 0 || tcp < 0 || http < 0 || sport < 0) {
		printf("netd: bad port in udp= tcp= http= stats=\n");
		return 2;
	}
	if (http)
		webroot_open(argc, argv, "netd", &fs, &tarfs);
	else
		httpd_tarfs_init(&fs, &tarfs, NULL, 0, WEBROOT_PREFIX);
	if (netapp_start(&na, &nif, "netd", argc, argv) < 0)
		return 1;
	netapp_add_service(&na, &ip_svc);
	int r = 0;
	if (r == 0 && udp)
		r = check(udpecho_start(&uecho, &na, (uint16_t)udp), "udpecho", udp);
	if (r == 0 && tcp)
		r = check(tcpecho_start(&techo, &na, (uint16_t)tcp), "tcpecho", tcp);
	if (r == 0 && sport)
		r = check(netstat_start(&stats, &na, (uint16_t)sport, netapp_console_print, 0),
			  "netstat", sport);
	if (r == 0 && http)
		r = check(httpd_start(&server, &na, (uint16_t)http, &fs), "httpd", http);
	if (r < 0)
		return 1;
	printf("netd: net ready\n");
	netapp_run(&na, 0);
	return 0;
}
