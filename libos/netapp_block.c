/*
 * Blocking socket helpers over the netapp loop: retry the non-blocking
 * call, and in between run the loop (which may sleep in the interface's
 * wait) until the socket is ready or the time is up. Every service keeps
 * running meanwhile.
 */
#include <libos/netapp.h>

static uint64_t deadline_of(struct netapp *na, long timeout_ms)
{
	return timeout_ms < 0 ? UINT64_MAX : netapp_now(na) + (uint64_t)timeout_ms;
}

int netapp_poll(struct netapp *na, struct tcpip_pollfd *fds, size_t n, long timeout_ms)
{
	uint64_t until = deadline_of(na, timeout_ms);
	for (;;) {
		int r = tcpip_poll(na->st, fds, n);
		if (r != 0 || netapp_now(na) >= until)
			return r;
		netapp_run_once(na, until);
	}
}

/* Wait for events on sd; TCPIP_ETIMEDOUT if the time runs out. */
static int wait_sd(struct netapp *na, int sd, short events, uint64_t until)
{
	struct tcpip_pollfd p = { .sd = sd, .events = events };
	for (;;) {
		int r = tcpip_poll(na->st, &p, 1);
		if (r < 0)
			return r;
		if (r > 0)
			return (p.revents & TCPIP_POLLNVAL) ? TCPIP_EBADF : 0;
		if (netapp_now(na) >= until)
			return TCPIP_ETIMEDOUT;
		netapp_run_once(na, until);
	}
}

int netapp_accept(struct netapp *na, int sd, struct tcpip_sockaddr_in *peer,
		  long timeout_ms)
{
	uint64_t until = deadline_of(na, timeout_ms);
	for (;;) {
		int r = tcpip_accept(na->st, sd, peer);
		if (r != TCPIP_EAGAIN)
			return r;
		if ((r = wait_sd(na, sd, TCPIP_POLLIN, until)) < 0)
			return r;
	}
}

int netapp_connect(struct netapp *na, int sd, const struct tcpip_sockaddr_in *to,
		   long timeout_ms)
{
	uint64_t until = deadline_of(na, timeout_ms);
	int r = tcpip_connect(na->st, sd, to);
	if (r != TCPIP_EINPROGRESS)
		return r;
	if ((r = wait_sd(na, sd, TCPIP_POLLOUT, until)) < 0)
		return r;
	int err = 0;
	size_t len = sizeof err;
	r = tcpip_getsockopt(na->st, sd, TCPIP_SOL_SOCKET, TCPIP_SO_ERROR, &err, &len);
	return r < 0 ? r : -err;   /* SO_ERROR holds a positive errno, as in BSD */
}

long netapp_recv(struct netapp *na, int sd, void *buf, size_t len, long timeout_ms)
{
	uint64_t until = deadline_of(na, timeout_ms);
	for (;;) {
		long r = tcpip_recv(na->st, sd, buf, len, 0);
		if (r != TCPIP_EAGAIN)
			return r;
		int w = wait_sd(na, sd, TCPIP_POLLIN, until);
		if (w < 0)
			return w;
	}
}

long netapp_recv_all(struct netapp *na, int sd, void *buf, size_t len, long timeout_ms)
{
	uint64_t until = deadline_of(na, timeout_ms);
	size_t got = 0;
	while (got < len) {
		uint64_t now = netapp_now(na);
		long left = until == UINT64_MAX ? -1 : (long)(until > now ? until - now : 0);
		long r = netapp_recv(na, sd, (uint8_t *)buf + got, len - got, left);
		if (r < 0)
			return got ? (long)got : r;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (long)got;
}

long netapp_send_all(struct netapp *na, int sd, const void *buf, size_t len,
		     long timeout_ms)
{
	uint64_t until = deadline_of(na, timeout_ms);
	size_t sent = 0;
	while (sent < len) {
		long r = tcpip_send(na->st, sd, (const uint8_t *)buf + sent, len - sent, 0);
		if (r > 0) {
			sent += (size_t)r;
			continue;
		}
		if (r != TCPIP_EAGAIN)
			return r;
		int w = wait_sd(na, sd, TCPIP_POLLOUT, until);
		if (w < 0)
			return sent ? (long)sent : w;
	}
	return (long)sent;
}

long netapp_recvfrom(struct netapp *na, int sd, void *buf, size_t len,
		     struct tcpip_sockaddr_in *from, long timeout_ms)
{
	uint64_t until = deadline_of(na, timeout_ms);
	for (;;) {
		long r = tcpip_recvfrom(na->st, sd, buf, len, 0, from);
		if (r != TCPIP_EAGAIN)
			return r;
		int w = wait_sd(na, sd, TCPIP_POLLIN, until);
		if (w < 0)
			return w;
	}
}
