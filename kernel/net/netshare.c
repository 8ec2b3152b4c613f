/*
 * Shared filter groups (net/netres_int.h; docs/net.md, "Shared filters").
 *
 * The binders of byte-identical EXO_NETF_SHARED programs on one demux
 * point form a group with one trie entry, under the DPF id of one member
 * (the lead) and under an owner of its own (netshare_owner: never an
 * env's tag), so for the overlap rule the group is one more owner: it
 * conflicts with every other overlapping filter, its members' own
 * included, since members come and go. Joining and a non-lead member's
 * leaving touch only the chain. When the lead leaves while others stay,
 * the trie entry is rekeyed in place to the next member (dpf_trie_rekey:
 * no allocation, cannot fail), and the old lead forwards the frames of
 * the still-running image to the group until the recompiled image names
 * the new lead; only then is its slot freed.
 *
 * The RX path walks a chain with interrupts off; every change to a chain
 * or a lead is made with interrupts off, and a member is complete before
 * it is linked.
 */
#include <string.h>

#include <arch/irq.h>
#include <console/console.h>
#include <dpf/dpf_env.h>
#include <env/env.h>
#include <exo/errno.h>
#include <net/demux.h>
#include <net/dpf_kenv.h>
#include <net/netres_int.h>

/* Above every env tag (16 bits), and unique: so is its lead's slot. */
uint32_t netshare_owner(int lead)
{
	return 0x10000u + (uint32_t)lead + 1;
}

int netshare_find(const struct demux_point *dp, const void *prog, size_t len)
{
	for (int i = 0; i < EXO_NIC_NFILTER; i++) {
		const struct nfilter *nf = &net_filters[i];
		if (nf->owner && nf->shared && nf->lead == i && nf->dp == dp &&
		    nf->plen == len && memcmp(nf->prog, prog, len) == 0)
			return i;
	}
	return -1;
}

uint8_t *netshare_prog_copy(const void *prog, size_t len)
{
	const struct dpf_env *k = dpf_kenv();
	uint8_t *p = k->alloc(k->ctx, len);

	if (p)
		memcpy(p, prog, len);
	return p;
}

void netshare_prog_free(struct nfilter *nf)
{
	const struct dpf_env *k = dpf_kenv();

	k->free(k->ctx, nf->prog, nf->plen);
	nf->prog = NULL;
	nf->plen = 0;
}

/*
 * One copy per env: not twice (-EXO_EEXIST). Without EXO_CAP_NET_ANY the
 * group's entry must also pass the overlap rule as if e bound it now: a
 * binder with the capability may have made the group overlap another
 * owner's filter. The check inserts the program under the group's owner
 * with e's future id and takes it out again (no recompile: no image ever
 * sees it).
 */
int netshare_may_join(struct env *e, int lead, int slot, int any,
		      struct dpf_error *err)
{
	static const char twice[] = "this env already holds this shared filter";

	for (int m = lead; m >= 0; m = net_filters[m].next)
		if (net_filters[m].owner == e) {
			memcpy(err->msg, twice, sizeof(twice));
			return -EXO_EEXIST;
		}
	if (any)
		return 0;
	struct dpf_trie *t = net_filters[lead].dp->trie;
	int r = dpf_trie_insert(t, &net_scratch, (uint32_t)slot + 1,
				netshare_owner(lead), 0, err);
	if (r == 0)
		dpf_trie_delete(t, (uint32_t)slot + 1);
	return r == 0 ? 0 : r == DPF_E_OVERLAP ? -EXO_EBUSY : -EXO_ENOMEM;
}

void netshare_join(int slot, const struct nfilter *nf)
{
	int t = nf->lead;

	while (net_filters[t].next >= 0)
		t = net_filters[t].next;
	uint64_t f = irq_save();
	net_filters[slot] = *nf;
	net_filters[t].next = slot;
	irq_restore(f);
}

/* A member other than the lead leaves: out of the chain, nothing else. */
static void member_leave(struct env *e, int slot)
{
	int p = net_filters[slot].lead;

	while (net_filters[p].next != slot)
		p = net_filters[p].next;
	uint64_t f = irq_save();
	net_filters[p].next = net_filters[slot].next;
	irq_restore(f);
	netres_slot_free(e, slot);
}

/*
 * The lead leaves and n, its next member, stays: the trie entry becomes
 * n's, the members follow n, and until the recompiled image is in, the
 * old lead's id forwards the frames of the running image to n's chain.
 * So the group loses no frame to the hand-over.
 */
static void lead_handover(struct env *e, int slot)
{
	struct nfilter *nf = &net_filters[slot];
	int n = nf->next;

	if (dpf_trie_rekey(nf->dp->trie, (uint32_t)slot + 1, (uint32_t)n + 1,
			   netshare_owner(n)) != 0)
		printk("net: filter %d: hand-over to %d failed\n", slot, n);
	uint64_t f = irq_save();
	for (int m = n; m >= 0; m = net_filters[m].next)
		net_filters[m].lead = n;
	net_filters[n].prog = nf->prog;
	net_filters[n].plen = nf->plen;
	nf->prog = NULL;
	nf->plen = 0;
	nf->lead = n;        /* forward to the group ... */
	nf->next = -1;       /* ... of which it is no longer a member */
	irq_restore(f);
	for (int m = n; m >= 0; m = net_filters[m].next)
		demux_book()->filter_share[m] = (uint8_t)(n + 1);
	netres_rebuild(nf->dp, slot);
	netres_slot_free(e, slot);
}

void netshare_leave(struct env *e, int slot)
{
	if (net_filters[slot].lead != slot)
		member_leave(e, slot);
	else
		lead_handover(e, slot);
}

#define BAD(...) do { printk("check: " __VA_ARGS__); bad++; } while (0)

/* i's lead leads, and the chain holds i once and no env twice. */
int netshare_check(int i)
{
	const struct nfilter *nf = &net_filters[i];
	int bad = 0, lead = nf->lead, seen = 0, n = 0;

	if (lead < 0 || lead >= EXO_NIC_NFILTER || !net_filters[lead].owner ||
	    !net_filters[lead].shared || net_filters[lead].lead != lead ||
	    net_filters[lead].dp != nf->dp || net_filters[lead].prog == NULL) {
		BAD("filter %d: bad group lead %d\n", i, lead);
		return bad;
	}
	if (lead != i && nf->prog)
		BAD("filter %d: a member other than the lead holds the program\n", i);
	for (int m = lead; m >= 0 && n <= EXO_NIC_NFILTER; m = net_filters[m].next, n++) {
		seen += m == i;
		if (net_filters[m].owner == nf->owner && m != i)
			BAD("filter %d: its env holds the group twice (%d)\n", i, m);
	}
	if (seen != 1)
		BAD("filter %d: in its group's chain %d times\n", i, seen);
	return bad;
}
