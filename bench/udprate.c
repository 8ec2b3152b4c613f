/*
 * udprate: the sequential UDP echo client of the network figures
 * (bench/net6.sh). One 32-byte request at a time to HOST:PORT, each reply
 * checked byte for byte (a sequence number and a fixed pattern), for
 * SECONDS; prints requests/s and the latency distribution:
 *
 *   udp-rate: 13012 req/s (65060 in 5.0 s, 0 timeouts, 0 bad) p50 71 us p99 104 us
 *
 * Written in C because the figure is a round trip: a Python client adds
 * about 40 us of its own to every echo, the same for every guest, which
 * squeezes the ratio between guests towards 1. A lost datagram or reply
 * waits TIMEOUT_MS and counts as a timeout, not as a request; a reply
 * that is not the request is "bad". Exit status 1 if nothing came back.
 *
 * usage: udprate HOST SECONDS [PORT]      (PORT 7 by default)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MSG_LEN 32
#define TIMEOUT_MS 500
#define HIST_US 100000   /* latencies above 100 ms land in the last bucket */

static uint32_t hist[HIST_US + 1];

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fill(unsigned char *m, uint64_t seq)
{
	memcpy(m, &seq, sizeof(seq));
	for (int i = (int)sizeof(seq); i < MSG_LEN; i++)
		m[i] = (unsigned char)(i * 7 + 1);
}

static unsigned percentile(uint64_t n, double p)
{
	uint64_t want = (uint64_t)((double)n * p), seen = 0;
	for (unsigned us = 0; us <= HIST_US; us++) {
		seen += hist[us];
		if (seen > want)
			return us;
	}
	return HIST_US;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* One request: send it, wait for the matching reply. 1 ok, 0 timeout, -1 bad. */
static int echo_once(int s, uint64_t seq)
{
	unsigned char req[MSG_LEN], rep[MSG_LEN + 1];
	fill(req, seq);
	if (send(s, req, sizeof(req), 0) != (ssize_t)sizeof(req)) {
		perror("udprate: send");
		exit(1);
	}
	for (;;) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		int r = poll(&p, 1, TIMEOUT_MS);
		if (r == 0)
			return 0;
		if (r < 0 && errno == EINTR)
			continue;
		ssize_t n = recv(s, rep, sizeof(rep), 0);
		if (n < 0 && (errno == EINTR || errno == ECONNREFUSED))
			continue;   /* an ICMP unreachable from an earlier try */
		if (n < 0) {
			perror("udprate: recv");
			exit(1);
		}
		uint64_t got;
		if (n >= (ssize_t)sizeof(got)) {
			memcpy(&got, rep, sizeof(got));
			if (got < seq)
				continue;   /* a late reply to a request that timed out */
		}
		return n == MSG_LEN && memcmp(req, rep, MSG_LEN) == 0 ? 1 : -1;
	}
}

int main(int argc, char **argv)
{
	unsigned long secs, port = 7;
	struct sockaddr_in to = { .sin_family = AF_INET };

	if (argc < 3 || argc > 4 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 ||
	    parse_uint(argv[2], 3600, &secs) < 0 ||
	    (argc == 4 && parse_uint(argv[3], 65535, &port) < 0)) {
		fprintf(stderr, "usage: udprate HOST SECONDS [PORT]\n");
		return 2;
	}
	to.sin_port = htons((uint16_t)port);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof(to)) < 0) {
		perror("udprate: socket");
		return 1;
	}
	uint64_t done = 0, lost = 0, bad = 0, seq = 0;
	double start = now_s(), end = start + (double)secs, t = start;
	while (t < end) {
		int r = echo_once(s, ++seq);
		double t2 = now_s();
		if (r > 0) {
			double us = (t2 - t) * 1e6;
			hist[us > HIST_US ? HIST_US : (unsigned)us]++;
			done++;
		} else if (r == 0) {
			lost++;
		} else {
			bad++;
		}
		t = t2;
	}
	double took = t - start;
	printf("udp-rate: %.0f req/s (%llu in %.1f s, %llu timeouts, %llu bad) p50 %u us p99 %u us\n",
	       (double)done / took, (unsigned long long)done, took, (unsigned long long)lost,
	       (unsigned long long)bad, percentile(done, 0.50), percentile(done, 0.99));
	return done ? 0 : 1;
}
