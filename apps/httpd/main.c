/*
 * httpd: the static-file web server (port 80, or port=N) on this
 * program's own stack; stats=PORT adds the netstat query service.
 *
 * The files come from a ustar archive through the lookup interface of
 * fs.h. Until the initrd can be handed to programs other than init, the
 * archive is linked into the program (www.S: build/apps/www.tar, built
 * from apps/httpd/www/ by apps/net.mk); the initrd-backed archive then
 * takes its place in httpd_tarfs_init(). See docs/apps.md.
 */
#include <libos/args.h>
#include <libos/libos.h>

#include "../netstat/netstat.h"
#include "httpd.h"

extern const char httpd_www_tar[], httpd_www_tar_end[];

static struct netapp na;
static struct netif nif;
static struct httpd server;
static struct httpd_fs fs;
static struct httpd_tarfs tarfs;
static struct netstat stats;

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	uint16_t port = netapp_port_arg(argc, argv, "port", 80);
	uint16_t sport = netapp_port_arg(argc, argv, "stats", 0);
	if (port == 0) {
		printf("httpd: bad port=\n");
		return 2;
	}
	httpd_tarfs_init(&fs, &tarfs, httpd_www_tar,
			 (size_t)(httpd_www_tar_end - httpd_www_tar), "");
	if (netapp_start(&na, &nif, "httpd", argc, argv) < 0)
		return 1;
	int r = httpd_start(&server, &na, port, &fs);
	if (r == 0 && arg_value(argc, argv, "stats"))
		r = sport ? netstat_start(&stats, &na, sport, netapp_console_print, 0) : TCPIP_EINVAL;
	if (r < 0) {
		printf("httpd: cannot serve port %u: error %d\n", port, r);
		return 1;
	}
	printf("httpd: ready on tcp port %u\n", port);
	netapp_run(&na, 0);
	return 0;
}
