/*
 * UDP sink for the Linux peer guest: the peer of nettest's pps role in the
 * network demux figures (bench/net.sh). Binds UDP 7001 (data), 7000
 * (control) and `extra` more sockets on ports 10000.. (so the kernel's
 * socket lookup has as many entries as the exo trie has filters), asks the
 * host peer (tests/net/demux_peer.py) to blast 7001 for `secs` seconds by
 * printing "@peer blast 7001 SECS" on the console, counts what arrives
 * until a "done" datagram on 7000, and prints the rate.
 * Static, built with musl-gcc.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

static int udp_socket(int port)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int big = 4 << 20;

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("udpsink: bind");
		exit(1);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	return fd;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	int extra = argc > 1 ? atoi(argv[1]) : 0;
	int secs = argc > 2 ? atoi(argv[2]) : 5;
	struct pollfd p[2] = { { udp_socket(7001), POLLIN, 0 }, { udp_socket(7000), POLLIN, 0 } };
	char buf[2048];
	unsigned long n = 0;
	long first = 0, last = 0;

	struct rlimit fds = { extra + 64, extra + 64 };   /* one descriptor a socket */
	if (setrlimit(RLIMIT_NOFILE, &fds) < 0)
		perror("udpsink: setrlimit");
	for (int i = 0; i < extra; i++)
		udp_socket(10000 + i);
	printf("udpsink: %d extra sockets bound\n@peer blast 7001 %d\n", extra, secs);
	fflush(stdout);
	for (;;) {
		if (poll(p, 2, 120000) <= 0)
			break;
		if (p[0].revents & POLLIN) {
			while (recv(p[0].fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0) {
				if (n++ == 0)
					first = now_ms();
				last = now_ms();
			}
		}
		if ((p[1].revents & POLLIN) && recv(p[1].fd, buf, sizeof(buf), 0) >= 4 &&
		    memcmp(buf, "done", 4) == 0)
			break;
	}
	long ms = last - first;
	printf("udpsink: %lu packets in %ld ms = %lu/s (%d extra sockets)\n", n, ms,
	       ms > 0 ? n * 1000 / ms : 0, extra);
	return 0;
}
