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
#include "../netstat/service.h"
#include "httpd.h"

extern const char httpd_www_tar[], httpd_www_tar_end[];

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
	httpd_tarfs_init(&fs, &tarfs, httpd_www_tar,
			 (size_t)(httpd_www_tar_end - httpd_www_tar), "");
	return service_main("httpd", "tcp", 80, start, &server, argc, argv);
}
