/*
 * Internals of the packet rings and filters (net/netres.h), shared by
 * netres.c (rings, binding, delivery, transmit), netshare.c (shared
 * filter groups) and netres_check.c (the consistency check). Nothing
 * outside those three includes this.
 *
 * A shared group (EXO_NETF_SHARED) is a chain of filter slots starting
 * at its lead, the member whose DPF id (slot + 1) is the group's one trie
 * entry; every member's `lead` names it, `next` links the chain in
 * binding order, and the lead keeps the group's bytecode (prog, plen) to
 * recognise the next binder of the same program.
 */
#ifndef NET_NETRES_INT_H
#define NET_NETRES_INT_H

#include <stddef.h>
#include <stdint.h>

#include <dpf/dpf.h>
#include <exo/net.h>
#include <net/netres.h>
#include <net/pktring.h>

struct env;
struct demux_point;

struct nring {
	struct env *owner;          /* NULL: slot free */
	int handle;
	int dead;                   /* a page left its owner: drop everything */
	struct pktring pr;
};

struct nfilter {
	struct env *owner;          /* NULL: slot free */
	int handle;
	int ring;                   /* index into net_rings[] */
	struct demux_point *dp;
	int shared;                 /* bound with EXO_NETF_SHARED */
	int lead;                   /* shared: the member whose id is in the trie */
	int next;                   /* shared: next member after this one, -1 ends */
	uint8_t *prog;              /* the lead's: the group's bytecode, to match */
	size_t plen;
};

extern struct nring net_rings[NETRES_NRING];
extern struct nfilter net_filters[EXO_NIC_NFILTER];
/* Filters are up to 10 KiB decoded: too big for a kernel stack. System
 * calls run one at a time, so one scratch area serves them; it
 * holds the program being bound. */
extern struct dpf_filter net_scratch;

/* netres.c: recompile dp after a removal (complains if it fails); free
 * slot's row and handle once its filter is out of the trie and chain. */
void netres_rebuild(struct demux_point *dp, int slot);
void netres_slot_free(struct env *e, int slot);

/* ---- netshare.c ---- */

/* The group's owner for the overlap rule (never an env tag). */
uint32_t netshare_owner(int lead);
/* The lead of the group on dp with program prog[0, len), or -1. */
int netshare_find(const struct demux_point *dp, const void *prog, size_t len);
/* May e join lead's group with slot? 0, -EXO_EEXIST, -EXO_EBUSY,
 * -EXO_ENOMEM (err->msg says why). net_scratch holds the program. */
int netshare_may_join(struct env *e, int lead, int slot, int any,
		      struct dpf_error *err);
/* Put the filled-in member nf into slot, at the end of its group. */
void netshare_join(int slot, const struct nfilter *nf);
/* The group's copy of the program: a kernel copy, or NULL; freeing it. */
uint8_t *netshare_prog_copy(const void *prog, size_t len);
void netshare_prog_free(struct nfilter *nf);
/* Slot, a member of a group with others, leaves (handle freed too). */
void netshare_leave(struct env *e, int slot);
/* netres_check's part for member i: violations found (printed). */
int netshare_check(int i);

#endif /* NET_NETRES_INT_H */
