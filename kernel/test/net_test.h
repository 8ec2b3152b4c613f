/*
 * Helpers shared by the network driver tests (net_test.c,
 * net_inject_test.c). Each test runs on the first netdev.
 */
#ifndef TEST_NET_TEST_H
#define TEST_NET_TEST_H

#include <stddef.h>
#include <stdint.h>

#include <net/netdev.h>

/* The MAC every test case gives QEMU's NIC. */
extern const uint8_t want_mac[ETH_ALEN];

/* The first netdev, checked: MAC as above, link up within 1 s. */
struct netdev *bring_up(void);

/* Interrupts on, sleep until *count >= want or ms elapse; 1 if reached. */
int wait_for(volatile unsigned *count, unsigned want, unsigned ms);

/* "e1000", "virtio": the device name used in PASS markers. */
const char *short_name(struct netdev *d);

void print_stats(struct netdev *d);

/* test=net-rx-sizes and test=net-flood (net_inject_test.c). */
void ktest_net_rx_sizes(void) __attribute__((noreturn));
void ktest_net_flood(void) __attribute__((noreturn));

/* test=net-demux-bench (net/demux_bench.c): demux cost per packet. */
void ktest_net_demux_bench(void) __attribute__((noreturn));

#endif /* TEST_NET_TEST_H */
