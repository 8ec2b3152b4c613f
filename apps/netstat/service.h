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

#endif /* APPS_SERVICE_H */
