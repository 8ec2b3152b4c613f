/*
 * The main() shared by the single-service programs (udpecho, tcpecho,
 * httpd): parse port=N (default given) and stats=PORT, bring the stack up,
 * start the service and, if asked, the netstat query service, then run the
 * event loop. Messages are prefixed with the program's name.
 */
#ifndef APPS_SERVICE_H
#define APPS_SERVICE_H

#include <stdint.h>

#include <libos/netapp.h>

/* Starts the service on port; 0 or a negative TCPIP_E* code. */
typedef int (*service_start_fn)(void *svc, struct netapp *na, uint16_t port);

/* proto is "udp" or "tcp", for the ready line. Returns main()'s status. */
int service_main(const char *name, const char *proto, uint16_t default_port,
		 service_start_fn start, void *svc, int argc, char **argv);

/*
 * Tell the parent (init) that this program serves now: IPC (SERVICE_READY,
 * port). init reports the machine ready when every network program it
 * started has said so (apps/init/init.c). No parent: nothing happens.
 */
#define SERVICE_READY 0x7265616479UL   /* "ready" */
void service_ready(uint16_t port);

/* key=N, dflt when absent; key=0 means "off" (0); -1 if N is not a port. */
int service_port_or_off(int argc, char **argv, const char *key, uint16_t dflt);

/* A netapp service that prints every address change (DHCP bound, renewed
 * or lost) on the console, prefixed with `name`. */
void service_report_ip(struct netapp *na, const char *name);

#endif /* APPS_SERVICE_H */
