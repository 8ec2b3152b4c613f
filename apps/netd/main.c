/*
 * netd: every network service on one libOS stack in one env, what init
 * starts with net=netd (docs/apps.md, "One address, several stacks";
 * by default init starts pingd, udpecho, tcpecho and httpd, each in an env
 * of its own). udpecho on UDP 7, tcpecho on TCP 7, httpd on TCP 80 and
 * netstat on UDP 7001 (ports overridable: udp= tcp= http= stats=, 0 turns
 * one off), with ping answered by the stack itself. Each service installs
 * its own per-port and per-connection filters through the stack's hook.
 * It is the comparison point for the one-env-per-app default: the same
 * services, one stack, one CPU share, one fate.
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
#include "../netstat/service.h"
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
	int udp = service_port_or_off(argc, argv, "udp", 7);
	int tcp = service_port_or_off(argc, argv, "tcp", 7);
	int http = service_port_or_off(argc, argv, "http", 80);
	int sport = service_port_or_off(argc, argv, "stats", 7001);
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
	service_report_ip(&na, "netd");
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
	service_ready((uint16_t)udp);
	netapp_run(&na, 0);
	return 0;
}
