/*
 * netif_open() for a libOS built without the network datapath: there is
 * no way to reach a NIC, and the caller says so. The datapath glue
 * (binding the NIC's packet rings and installing the stack's filters
 * through DPF, docs/net.md) provides the real netif_open() and replaces
 * this file in apps/net.mk (NETAPP_NETIF_SRC).
 */
#include <libos/netapp.h>

int netif_open(struct netif *nif)
{
	(void)nif;
	return -19;   /* ENODEV */
}
