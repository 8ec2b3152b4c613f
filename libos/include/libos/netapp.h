/*
 * netapp: the libOS event loop that runs network applications on the
 * libOS TCP/IP stack (libos/tcpip, docs/tcpip.md).
 *
 * A netapp owns one struct tcpip and drives it from a network interface
 * (struct netif: receive, transmit, clock, wait), so the same loop runs over
 * the kernel's packet rings in a user program and over an in-memory link in
 * the host tests (tests/apps/). Applications are services: a run() callback
 * that does all the non-blocking socket work possible now, called after
 * every pass of the loop. Several services share one stack and one loop.
 * Code that prefers to block uses the poll-based helpers at the end, which
 * keep the loop (and every service) running while they wait.
 *
 * Freestanding: it includes only the stack's headers, and builds for user
 * programs and host tests alike. See docs/apps.md.
 */
#ifndef LIBOS_NETAPP_H
#define LIBOS_NETAPP_H

#include <tcpip/socket.h>
#include <tcpip/tcpip.h>

/*
 * A network interface, filled by whoever owns the frames: the libOS
 * datapath (netif_open below) or a test's simulated link. Hooks other than
 * the filter pair are mandatory.
 */
struct netif {
	void *ctx;
	uint8_t mac[6];
	/*
	 * The next received frame: 1 with *frame, *len and *cookie set, or 0
	 * if none is waiting. A non-NULL cookie lets the stack keep the frame
	 * until rx_release(cookie); with a NULL cookie the frame need only
	 * stay valid until the next rx call.
	 */
	int (*rx)(void *ctx, const void **frame, size_t *len, void **cookie);
	void (*rx_release)(void *ctx, void *cookie);
	/* Transmit one frame (copied); nonzero if it was dropped. */
	int (*tx)(void *ctx, const void *frame, size_t len);
	uint64_t (*now_ms)(void *ctx);
	uint32_t (*random)(void *ctx);
	/* Sleep until a frame may have arrived or now_ms() >= deadline. */
	void (*wait)(void *ctx, uint64_t deadline_ms);
	/* Optional: steer frames matching f to this interface (tcpip.h). */
	int (*filter_install)(void *ctx, const struct tcpip_filter *f);
	void (*filter_remove)(void *ctx, const struct tcpip_filter *f);
	/* Optional: whole lines about the interface, for netstat's report. */
	void (*report)(void *ctx, tcpip_print_fn fn, void *arg);
};

struct netapp;

struct netapp_service {
	const char *name;
	void *arg;
	/* Do every piece of socket work that is possible now; never block. */
	void (*run)(struct netapp *na, void *arg);
	/* Optional: when run() must be called even if nothing happens. */
	uint64_t (*deadline)(struct netapp *na, void *arg);
	struct netapp_service *next;    /* the loop's list */
};

struct netapp_counters {
	uint64_t passes, frames, kept, tx, tx_dropped, waits, sock_events;
};

#define NETAPP_RX_BUDGET 64     /* frames per pass before timers and services */

struct netapp {
	struct tcpip *st;
	const struct netif *nif;
	struct netapp_service *services;
	struct tcpip_env env;
	unsigned pending;       /* socket events since the last pass */
	bool ip_changed;        /* DHCP bound or lost an address: services re-check */
	struct netapp_counters c;
};

/* Bytes of memory netapp_init() needs for the stack. */
size_t netapp_mem_size(void);

/*
 * Build the stack in mem[0, size) for interface nif with configuration
 * cfg (an all-zero cfg->mac means nif->mac), and start it (announcement or
 * DHCP). Returns 0, or TCPIP_EINVAL if an argument is unusable.
 */
int netapp_init(struct netapp *na, void *mem, size_t size, const struct netif *nif,
		const struct tcpip_config *cfg);
/* Stop the stack: every connection aborted, every buffer and filter freed. */
void netapp_stop(struct netapp *na);

void netapp_add_service(struct netapp *na, struct netapp_service *svc);
void netapp_remove_service(struct netapp *na, struct netapp_service *svc);
uint64_t netapp_now(struct netapp *na);

/*
 * One pass: up to NETAPP_RX_BUDGET received frames into the stack, the
 * timers that are due, then every service. Returns the number of events
 * (frames, timer runs, socket events); 0 means the pass found nothing new.
 */
unsigned netapp_step(struct netapp *na);
/* Earliest deadline of the stack's timers and the services'. */
uint64_t netapp_next_deadline(struct netapp *na);
/* A pass; if it found nothing, wait for a frame, a deadline or `until`. */
void netapp_run_once(struct netapp *na, uint64_t until);
/* Passes until *stop becomes true (NULL: forever). */
void netapp_run(struct netapp *na, const volatile bool *stop);

/*
 * Blocking helpers. timeout_ms < 0 waits for ever. They return what the
 * socket call returns (negative TCPIP_E* codes), TCPIP_ETIMEDOUT when the
 * time runs out first.
 */
/* poll(2): the number of ready entries, 0 on timeout. */
int netapp_poll(struct netapp *na, struct tcpip_pollfd *fds, size_t n, long timeout_ms);
int netapp_accept(struct netapp *na, int sd, struct tcpip_sockaddr_in *peer,
		  long timeout_ms);
int netapp_connect(struct netapp *na, int sd, const struct tcpip_sockaddr_in *to,
		   long timeout_ms);
/* At least one byte, 0 at end of stream. */
long netapp_recv(struct netapp *na, int sd, void *buf, size_t len, long timeout_ms);
/* Exactly len bytes, unless the stream ends or fails first. */
long netapp_recv_all(struct netapp *na, int sd, void *buf, size_t len, long timeout_ms);
/* All len bytes into the send queue. */
long netapp_send_all(struct netapp *na, int sd, const void *buf, size_t len,
		     long timeout_ms);
long netapp_recvfrom(struct netapp *na, int sd, void *buf, size_t len,
		     struct tcpip_sockaddr_in *from, long timeout_ms);

/*
 * The DPF bytecode (docs/dpf.md) that steers the frames a stack filter
 * request f stands for (libos/netapp_filter.c): its length, or 0 if cap
 * is too small or f->kind unknown. For netif filter hooks over the kernel
 * demultiplexer.
 */
#define NETAPP_FILTER_MAX 256   /* bytes: the longest program built */
size_t netapp_filter_dpf(const struct tcpip_filter *f, void *buf, size_t cap);

/*
 * The libOS datapath's interface, for user programs: open the machine's
 * NIC through the kernel's packet rings (docs/net.md) and fill nif.
 * Returns 0 or a negative error. Implemented by the datapath glue
 * (libos/netapp_nodev.c until the datapath exists: it reports -ENODEV).
 */
int netif_open(struct netif *nif);

/*
 * For a program's main (user world only, libos/netapp_start.c): read the
 * network configuration from the kernel command line and then argv
 * (argv's words win; no ip= at all means DHCP, which QEMU user networking
 * answers), open the NIC with netif_open(nif), place the stack in a
 * demand-paged region and start it. Prints the reason on failure, as
 * "prog: ...", and returns a negative error.
 */
int netapp_start(struct netapp *na, struct netif *nif, const char *prog, int argc,
		 char **argv);
/* The port in argument key=N (dflt if absent), or 0 if N is not 1..65535. */
uint16_t netapp_port_arg(int argc, char **argv, const char *key, uint16_t dflt);
/* A tcpip_print_fn writing to the console (for the stack's dumps). */
void netapp_console_print(void *arg, const char *text, size_t len);

#endif /* LIBOS_NETAPP_H */
