/*
 * The packet filters' part of the kernel consistency check (net/netres.h
 * netres_check, run by test_ctl(EXO_TEST_CHECK) from test/check.c): each
 * bound filter against its env's handle table, its ring, its row in the
 * bookkeeping window and, for a shared one, its group's chain; each
 * demux point's trie against the filters and groups bound to it.
 */
#include <console/console.h>
#include <env/env.h>
#include <env/handle.h>
#include <exo/resource.h>
#include <net/demux.h>
#include <net/netres_int.h>

#define BAD(...) do { printk("check: " __VA_ARGS__); bad++; } while (0)

/* Filter slot i (bound) against its env, its ring and its book row. */
static int check_filter(const struct exo_book_nic *nic, int i)
{
	const struct nfilter *nf = &net_filters[i];
	int bad = 0;

	struct handle *h = handle_get(&nf->owner->ht, nf->handle, H_FILTER);
	if (h == NULL || h->name != EXO_NAME(EXO_RES_FILTER, (uint32_t)i))
		BAD("filter %d: no handle %d of its env names it\n", i, nf->handle);
	if (net_rings[nf->ring].owner != nf->owner)
		BAD("filter %d: ring %d is not its env's\n", i, nf->ring);
	if (nic->filter[i].owner != env_tag(nf->owner) ||
	    nic->filter_share[i] != (nf->shared ? nf->lead + 1 : 0))
		BAD("filter %d: book row (owner %u, share %u) disagrees\n", i,
		    nic->filter[i].owner, nic->filter_share[i]);
	if (nf->shared)
		bad += netshare_check(i);
	else if (nf->prog)
		BAD("filter %d: exclusive, but holds a group's program\n", i);
	return bad;
}

/* One trie entry per exclusive filter and per group on each point. */
static int check_tries(void)
{
	int bad = 0;

	for (unsigned d = 0; d < EXO_NIC_NDEV; d++) {
		for (unsigned r = 0; r < EXO_NIC_NRING; r++) {
			struct demux_point *dp = demux_point(d, r);
			size_t want = 0;
			if (dp == NULL)
				continue;
			for (int i = 0; i < EXO_NIC_NFILTER; i++)
				want += net_filters[i].owner && net_filters[i].dp == dp &&
					(!net_filters[i].shared || net_filters[i].lead == i);
			if (dpf_trie_count(dp->trie) != want)
				BAD("demux %u.%u: %zu trie entries, %zu filters and groups\n",
				    d, r, dpf_trie_count(dp->trie), want);
		}
	}
	return bad;
}

int netres_check(void)
{
	const struct exo_book_nic *nic = demux_book();
	int bad = 0;

	if (nic == NULL)
		return 0;            /* no demux: nothing was ever bound */
	for (int i = 0; i < EXO_NIC_NFILTER; i++) {
		if (net_filters[i].owner != NULL)
			bad += check_filter(nic, i);
		else if (nic->filter[i].owner || nic->filter_share[i])
			BAD("filter %d: free, but the book shows owner %u\n", i,
			    nic->filter[i].owner);
	}
	bad += check_tries();
	printk("check: packet filters and shared groups: %d violation(s)\n", bad);
	return bad;
}
