/*
 * udpecho: the UDP echo service (port 7, or port=N) on this program's own
 * stack; stats=PORT adds the netstat query service. See docs/apps.md.
 */
#include "../netstat/service.h"
#include "udpecho.h"

static struct udpecho echo;

static int start(void *svc, struct netapp *na, uint16_t port)
{
	return udpecho_start(svc, na, port);
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	return service_main("udpecho", "udp", 7, start, &echo, argc, argv);
}
