/*
 * TCP echo server for the Linux peer guest (port 7 by default): the peer of
 * apps/tcpecho in the issue-6 tests and figures. One process per
 * connection, so a slow or faulty client never stalls the others. Static,
 * built with musl-gcc.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static void serve(int c)
{
	char buf[16384];
	ssize_t n;

	while ((n = read(c, buf, sizeof buf)) > 0) {
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(c, buf + off, (size_t)(n - off));
			if (w <= 0)
				return;
			off += w;
		}
	}
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 7;
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	signal(SIGCHLD, SIG_IGN);   /* children are reaped by the kernel */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 64) < 0) {
		perror("tcpecho");
		return 1;
	}
	for (;;) {
		int c = accept(fd, 0, 0);
		if (c < 0)
			continue;
		if (fork() == 0) {
			close(fd);
			serve(c);
			_exit(0);
		}
		close(c);
	}
}
