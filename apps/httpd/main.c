/*
 * httpd: the static-file web server (port 80, or port=N) on this
 * program's own stack; stats=PORT adds the netstat query service.
 *
 * The files are the initrd's www/ members, served in place through the
 * lookup interface of fs.h: the parent hands their pages over read-only
 * and names them in www= (webroot.h), as init does for netd. Without a
 * valid www= every request is a 404. See docs/apps.md.
 */
#include "../netstat/service.h"
#include "httpd.h"
#include "webroot.h"

static struct httpd server;
static struct httpd_fs fs;
static struct httpd_tarfs tarfs;

static int start(void *svc, struct netapp *na, uint16_t port)
{
	return httpd_start(svc, na, port, &fs);
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	webroot_open(argc, argv, "httpd", &fs, &tarfs);
	return service_main("httpd", "tcp", 80, start, &server, argc, argv);
}
