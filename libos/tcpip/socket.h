/*
 * BSD-style sockets over the libOS TCP/IP stack.
 *
 * The calls mirror socket(2), bind(2), ... with the stack as first argument
 * and errors returned as negative TCPIP_E* codes (the Linux errno values,
 * negated) instead of -1 and errno. Every call is non-blocking: where BSD
 * would sleep it returns TCPIP_EAGAIN (TCPIP_EINPROGRESS for connect). A
 * blocking layer belongs to the libOS event loop: it retries the call after
 * env->sock_event() names the socket, or after tcpip_poll() reports it ready,
 * running tcpip_input()/tcpip_tick() in between (see docs/tcpip.md).
 *
 * Addresses use the BSD sockaddr_in layout: port and address in network
 * byte order.
 */
#ifndef TCPIP_SOCKET_H
#define TCPIP_SOCKET_H

#include "tcpip.h"

#define TCPIP_AF_INET 2
#define TCPIP_SOCK_STREAM 1
#define TCPIP_SOCK_DGRAM 2

struct tcpip_sockaddr_in {
	uint16_t sin_family;    /* TCPIP_AF_INET */
	uint16_t sin_port;      /* network order */
	uint32_t sin_addr;      /* network order */
	uint8_t sin_zero[8];
};

/* Host <-> network order for the sockaddr fields. */
static inline uint16_t tcpip_htons(uint16_t v)
{
	return __builtin_bswap16(v);
}
static inline uint32_t tcpip_htonl(uint32_t v)
{
	return __builtin_bswap32(v);
}
#define tcpip_ntohs tcpip_htons
#define tcpip_ntohl tcpip_htonl

/* Error codes (negated Linux errno values). */
#define TCPIP_EPIPE (-32)
#define TCPIP_EBADF (-9)
#define TCPIP_EAGAIN (-11)
#define TCPIP_ENOMEM (-12)
#define TCPIP_EINVAL (-22)
#define TCPIP_EMFILE (-24)
#define TCPIP_EDESTADDRREQ (-89)
#define TCPIP_EMSGSIZE (-90)
#define TCPIP_EPROTOTYPE (-91)
#define TCPIP_ENOPROTOOPT (-92)
#define TCPIP_EOPNOTSUPP (-95)
#define TCPIP_EAFNOSUPPORT (-97)
#define TCPIP_EADDRINUSE (-98)
#define TCPIP_EADDRNOTAVAIL (-99)
#define TCPIP_ENETUNREACH (-101)
#define TCPIP_ECONNABORTED (-103)
#define TCPIP_ECONNRESET (-104)
#define TCPIP_ENOBUFS (-105)
#define TCPIP_EISCONN (-106)
#define TCPIP_ENOTCONN (-107)
#define TCPIP_ETIMEDOUT (-110)
#define TCPIP_ECONNREFUSED (-111)
#define TCPIP_EHOSTUNREACH (-113)
#define TCPIP_EALREADY (-114)
#define TCPIP_EINPROGRESS (-115)

/* setsockopt levels and names (Linux values). */
#define TCPIP_SOL_SOCKET 1
#define TCPIP_SO_REUSEADDR 2
#define TCPIP_SO_ERROR 4
#define TCPIP_SO_BROADCAST 6
#define TCPIP_SO_SNDBUF 7
#define TCPIP_SO_RCVBUF 8
#define TCPIP_SO_KEEPALIVE 9
#define TCPIP_IPPROTO_TCP 6
#define TCPIP_TCP_NODELAY 1
#define TCPIP_TCP_MAXSEG 2
#define TCPIP_TCP_KEEPIDLE 4    /* seconds */
#define TCPIP_TCP_KEEPINTVL 5   /* seconds */
#define TCPIP_TCP_KEEPCNT 6

#define TCPIP_SHUT_RD 0
#define TCPIP_SHUT_WR 1
#define TCPIP_SHUT_RDWR 2

#define TCPIP_MSG_PEEK 0x2

/* poll(2) event bits (Linux values). */
#define TCPIP_POLLIN 0x001
#define TCPIP_POLLOUT 0x004
#define TCPIP_POLLERR 0x008
#define TCPIP_POLLHUP 0x010
#define TCPIP_POLLNVAL 0x020

struct tcpip_pollfd {
	int sd;
	short events;
	short revents;
};

int tcpip_socket(struct tcpip *st, int type);
int tcpip_bind(struct tcpip *st, int sd, const struct tcpip_sockaddr_in *addr);
int tcpip_listen(struct tcpip *st, int sd, int backlog);
/* A new socket for an established connection, or TCPIP_EAGAIN. */
int tcpip_accept(struct tcpip *st, int sd, struct tcpip_sockaddr_in *peer);
/* TCP: TCPIP_EINPROGRESS; completion shows as POLLOUT (SO_ERROR tells). */
int tcpip_connect(struct tcpip *st, int sd, const struct tcpip_sockaddr_in *addr);
long tcpip_send(struct tcpip *st, int sd, const void *buf, size_t len, int flags);
/* 0 = end of stream (TCP). */
long tcpip_recv(struct tcpip *st, int sd, void *buf, size_t len, int flags);
long tcpip_sendto(struct tcpip *st, int sd, const void *buf, size_t len, int flags,
		  const struct tcpip_sockaddr_in *to);
long tcpip_recvfrom(struct tcpip *st, int sd, void *buf, size_t len, int flags,
		    struct tcpip_sockaddr_in *from);
int tcpip_shutdown(struct tcpip *st, int sd, int how);
int tcpip_close(struct tcpip *st, int sd);
int tcpip_setsockopt(struct tcpip *st, int sd, int level, int name, const void *val,
		     size_t len);
int tcpip_getsockopt(struct tcpip *st, int sd, int level, int name, void *val,
		     size_t *len);
int tcpip_getsockname(struct tcpip *st, int sd, struct tcpip_sockaddr_in *addr);
int tcpip_getpeername(struct tcpip *st, int sd, struct tcpip_sockaddr_in *addr);
/* Fills revents; returns the number of entries with nonzero revents. */
int tcpip_poll(struct tcpip *st, struct tcpip_pollfd *fds, size_t n);

/*
 * Zero-copy receive for TCP: *data points at the next contiguous run of
 * received bytes (often inside the received frame itself). Returns its
 * length, 0 at end of stream, or an error. tcpip_recv_consume() then
 * releases len bytes of it.
 */
long tcpip_recv_zc(struct tcpip *st, int sd, const void **data);
int tcpip_recv_consume(struct tcpip *st, int sd, size_t len);

#endif /* TCPIP_SOCKET_H */
