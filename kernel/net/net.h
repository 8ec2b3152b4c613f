/*
 * Network bring-up: enumerate PCI, and attach the first driver that claims
 * each function (e1000, virtio-net). The devices are then reachable
 * through net/netdev.h.
 */
#ifndef NET_NET_H
#define NET_NET_H

/* After timer_init() and irq_init(): drivers wait on the tick and use vectors. */
void net_init(void);

#endif /* NET_NET_H */
