/*
 * hostnet: the exo network apps — udpecho, tcpecho (with netstat) and
 * httpd on one libOS TCP/IP stack, through the netapp loop — as a Linux
 * process attached to a tap device or to a QEMU-style datagram socket, in
 * place of a guest. It runs the very code the exo programs link (built
 * with ASan and UBSan), so tests/net6/run.sh can put real clients (ping,
 * curl, wrk, scapy) in front of it before the datapath exists:
 *
 *   tests/net6/run.sh host:build/test/tests/net6/hostnet "ip=10.77.0.2/24 gw=10.77.0.1"
 *
 * usage: hostnet (--tap NAME | --dgram LOCAL_SOCK REMOTE_SOCK) --www TAR [WORDS...]
 * WORDS are the kernel command line's (ip=..., gw=..., mac=...). Prints
 * "hostnet: net ready" when serving; SIGTERM/SIGINT stop it, the stack is
 * torn down and checked for leaks (exit status 3 if anything is left).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libos/netapp.h>

#include "../../apps/httpd/httpd.h"
#include "../../apps/netstat/netstat.h"
#include "../../apps/tcpecho/tcpecho.h"
#include "../../apps/udpecho/udpecho.h"

struct hostif {
	int fd;
	bool dgram;
	struct sockaddr_un peer;
	uint64_t rng;
	long held;
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int h_rx(void *ctx, const void **frame, size_t *len, void **cookie)
{
	struct hostif *h = ctx;
	uint8_t *buf = malloc(2048);
	if (!buf)
		return 0;
	ssize_t n = h->dgram ? recv(h->fd, buf, 2048, MSG_DONTWAIT) : read(h->fd, buf, 2048);
	if (n <= 0) {
		free(buf);
		return 0;
	}
	*frame = buf;
	*len = (size_t)n;
	*cookie = buf;
	h->held++;
	return 1;
}

static void h_release(void *ctx, void *cookie)
{
	((struct hostif *)ctx)->held--;
	free(cookie);
}

static int h_tx(void *ctx, const void *frame, size_t len)
{
	struct hostif *h = ctx;
	ssize_t n = h->dgram ? sendto(h->fd, frame, len, MSG_DONTWAIT,
				      (struct sockaddr *)&h->peer, sizeof h->peer)
			     : write(h->fd, frame, len);
	return n == (ssize_t)len ? 0 : -1;
}

static uint64_t h_now(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint32_t h_random(void *ctx)
{
	struct hostif *h = ctx;
	h->rng ^= h->rng << 13;
	h->rng ^= h->rng >> 7;
	h->rng ^= h->rng << 17;
	return (uint32_t)(h->rng >> 16);
}

static void h_wait(void *ctx, uint64_t deadline)
{
	struct hostif *h = ctx;
	uint64_t now = h_now(ctx);
	int ms = deadline == UINT64_MAX ? 1000 : deadline > now ? (int)(deadline - now) : 0;
	struct pollfd p = { .fd = h->fd, .events = POLLIN };
	if (ms > 1000)
		ms = 1000;   /* look at the stop flag now and then */
	poll(&p, 1, ms);
}

static int open_tap(const char *name)
{
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
	struct ifreq ifr = { 0 };
	if (fd < 0)
		return -1;
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int open_dgram(struct hostif *h, const char *local, const char *remote)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || strlen(local) >= sizeof a.sun_path || strlen(remote) >= sizeof a.sun_path)
		return -1;
	unlink(local);
	snprintf(a.sun_path, sizeof a.sun_path, "%s", local);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	h->peer = (struct sockaddr_un){ .sun_family = AF_UNIX };
	snprintf(h->peer.sun_path, sizeof h->peer.sun_path, "%s", remote);
	h->dgram = true;
	return fd;
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) < 0)
		return NULL;
	void *buf = aligned_alloc(512, ((size_t)st.st_size + 511) & ~(size_t)511);
	if (buf && fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)st.st_size;
	return buf;
}

static void console(void *arg, const char *text, size_t len)
{
	(void)arg;
	fwrite(text, 1, len, stdout);
}

static int usage(void)
{
	fprintf(stderr, "usage: hostnet (--tap NAME | --dgram LOCAL REMOTE) --www TAR [WORDS...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct hostif hif = { .fd = -1, .rng = 0x2545f4914f6cdd1dull };
	static struct netif nif;
	static struct netapp na;
	static struct udpecho ue;
	static struct tcpecho te;
	static struct httpd hd;
	static struct netstat ns;
	struct httpd_fs fs;
	struct httpd_tarfs tfs;
	const char *www = NULL;
	char words[1024] = "";
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tap") && i + 1 < argc)
			hif.fd = open_tap(argv[++i]);
		else if (!strcmp(argv[i], "--dgram") && i + 2 < argc)
			hif.fd = open_dgram(&hif, argv[i + 1], argv[i + 2]), i += 2;
		else if (!strcmp(argv[i], "--www") && i + 1 < argc)
			www = argv[++i];
		else if (argv[i][0] == '-')
			return usage();
		else
			snprintf(words + strlen(words), sizeof words - strlen(words), " %s", argv[i]);
	}
	if (hif.fd < 0 || !www) {
		if (hif.fd < 0)
			perror("hostnet: network device");
		return usage();
	}
	size_t tar_size;
	void *tar = read_file(www, &tar_size);
	if (!tar) {
		perror(www);
		return 1;
	}
	httpd_tarfs_init(&fs, &tfs, tar, tar_size, "");
	struct tcpip_config cfg = { .dhcp = true };
	const char *bad = NULL;
	if (tcpip_config_parse(&cfg, words, &bad) != 0) {
		fprintf(stderr, "hostnet: bad network setting at \"%s\"\n", bad);
		return 2;
	}
	nif = (struct netif){ .ctx = &hif, .mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
			      .rx = h_rx, .rx_release = h_release, .tx = h_tx, .now_ms = h_now,
			      .random = h_random, .wait = h_wait };
	hif.rng ^= (uint64_t)h_now(NULL) << 20 ^ (uint64_t)getpid();
	size_t size = netapp_mem_size();
	void *mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	if (!mem || netapp_init(&na, mem, size, &nif, &cfg) != 0) {
		fprintf(stderr, "hostnet: stack initialisation failed\n");
		return 1;
	}
	int r = udpecho_start(&ue, &na, 7);
	if (r == 0)
		r = tcpecho_start(&te, &na, 7);
	if (r == 0)
		r = httpd_start(&hd, &na, 80, &fs);
	if (r == 0)
		r = netstat_start(&ns, &na, 7001, console, NULL);
	if (r != 0) {
		fprintf(stderr, "hostnet: cannot start the services: %d\n", r);
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("hostnet: net ready (udpecho 7, tcpecho 7, httpd 80, netstat 7001)\n");
	fflush(stdout);
	while (!stop_flag) {
		netapp_run_once(&na, UINT64_MAX);
		fflush(stdout);
	}
	httpd_stop(&hd, &na);
	tcpecho_stop(&te, &na);
	udpecho_stop(&ue, &na);
	netstat_stop(&ns, &na);
	netapp_stop(&na);
	struct tcpip_pool_usage u;
	tcpip_pool_usage(na.st, &u);
	bool leak = u.pbufs || u.blocks || u.held_frames || u.sockets || u.tcp_pcbs || hif.held;
	printf("hostnet: stopped; pbufs %u blocks %u held %u sockets %u pcbs %u frames %ld\n",
	       u.pbufs, u.blocks, u.held_frames, u.sockets, u.tcp_pcbs, hif.held);
	free(mem);
	free(tar);
	return leak ? 3 : 0;
}
