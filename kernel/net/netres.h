/*
 * Packet rings and packet filters as resources. Both are bound by an env
 * through system calls (kernel/net/sys_net.c), held under a handle
 * (H_RING, H_FILTER), and released like any resource: revoke_resource(),
 * the abort protocol, or the env's death (env/resource.c calls
 * netres_release). Names (exo/resource.h): EXO_NAME(EXO_RES_RING, i) and
 * EXO_NAME(EXO_RES_FILTER, i), i the table slot; a filter's DPF id is
 * its slot + 1, so the JIT's verdict indexes the filter table directly.
 */
#ifndef NET_NETRES_H
#define NET_NETRES_H

#include <stddef.h>
#include <stdint.h>

struct env;
struct dpf_error;

#define NETRES_NRING 32

/*
 * Build a ring over the npages pages mapped at the user address va of e
 * (each present, user-writable, and owned by e: not granted, not another
 * ring's). A handle, or -EXO_EINVAL / -EXO_EFAULT / -EXO_EPERM /
 * -EXO_EBUSY / -EXO_ENOMEM.
 */
int netres_ring_create(struct env *e, uint64_t va, uint64_t npages);

/*
 * Bind the verified filter prog[0, len) (kernel copy) for e's ring handle
 * `ring` on (dev, rxring); shared: EXO_NETF_SHARED (join the group of a
 * byte-identical shared program there, or start one). Refused:
 * -EXO_EINVAL (bytecode; the reason is written into the ring header's
 * last_error), -EXO_EPERM (catch-all without EXO_CAP_NET_ANY),
 * -EXO_EBUSY (overlaps another owner's filter; a shared group is an
 * owner of its own), -EXO_EEXIST (e already holds that shared filter),
 * -EXO_ENOMEM. A handle on success.
 */
int netres_filter_bind(struct env *e, int ring, unsigned dev, unsigned rxring,
		       const void *prog, size_t len, int shared);

/* Release e's H_RING or H_FILTER handle h (a ring takes its filters along). */
int netres_release(struct env *e, int h);

/*
 * From the RX path: deliver a frame accepted by DPF id `id`. 1 if it is
 * in the owner's ring; 0 if dropped (ring full, or its pages are no
 * longer the owner's: the ring is then dead and drops everything). For
 * a shared filter: a copy into every member's ring, 1 if at least one
 * took it.
 */
int netres_deliver(uint32_t id, const uint8_t *frame, size_t len,
		   uint8_t dev, uint8_t ring, uint64_t tsc);

/* Checked transmit of a frame at user address va of e (docs/net.md). */
int netres_tx(struct env *e, unsigned dev, uint64_t va, uint64_t len);

/*
 * Owner of ring or filter `name` as an env tag (slot + 1), 0 if the slot
 * is free, -1 if name is not a ring or filter name (revoke_demand).
 */
int netres_owner(uint32_t name);

/*
 * The consistency check's part (test_ctl EXO_TEST_CHECK): every bound
 * filter has its env's handle and ring and a matching book row; every
 * shared group one lead holding the program, a chain with each member
 * once and no env twice; each trie one entry per exclusive filter and
 * per group. Prints each violation; returns their number.
 */
int netres_check(void);

/* ip= from the kernel command line, network order; 0 if none. */
uint32_t netres_config_ip(void);

#endif /* NET_NETRES_H */
