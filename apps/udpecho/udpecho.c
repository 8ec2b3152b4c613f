/* udpecho: see udpecho.h. */
#include "udpecho.h"

static void udpecho_run(struct netapp *na, void *arg)
{
	struct udpecho *u = arg;

	for (int i = 0; i < UDPECHO_BATCH; i++) {
		struct tcpip_sockaddr_in from;
		long n = tcpip_recvfrom(na->st, u->sd, u->buf, sizeof u->buf, 0, &from);
		if (n < 0)
			return;   /* EAGAIN, or a refused earlier reply (ECONNREFUSED): nothing to echo */
		long w = tcpip_sendto(na->st, u->sd, u->buf, (size_t)n, 0, &from);
		if (w == n) {
			u->echoed++;
			u->bytes += (uint64_t)n;
		} else {
			u->send_errors++;   /* the sender's ARP entry pending, say: UDP may drop */
		}
	}
}

int udpecho_start(struct udpecho *u, struct netapp *na, uint16_t port)
{
	u->echoed = u->bytes = u->send_errors = 0;
	u->sd = tcpip_socket(na->st, TCPIP_SOCK_DGRAM);
	if (u->sd < 0)
		return u->sd;
	struct tcpip_sockaddr_in a = { .sin_family = TCPIP_AF_INET,
				       .sin_port = tcpip_htons(port) };
	int r = tcpip_bind(na->st, u->sd, &a);
	if (r < 0) {
		tcpip_close(na->st, u->sd);
		return r;
	}
	u->svc = (struct netapp_service){ .name = "udpecho", .arg = u, .run = udpecho_run };
	netapp_add_service(na, &u->svc);
	return 0;
}

void udpecho_stop(struct udpecho *u, struct netapp *na)
{
	netapp_remove_service(na, &u->svc);
	tcpip_close(na->st, u->sd);
	u->sd = -1;
}
