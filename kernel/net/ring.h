/*
 * Index arithmetic for descriptor rings of n slots where one side produces
 * at `tail` and the other consumes at `clean`: the e1000 convention, in
 * which one slot always stays empty so that tail == clean means "empty"
 * (8254x SDM 3.2.6 and 3.4: hardware owns [head, tail)). Pure; host-tested.
 */
#ifndef NET_RING_H
#define NET_RING_H

static inline unsigned ring_next(unsigned i, unsigned n)
{
	return i + 1 == n ? 0 : i + 1;
}

/* Slots in flight from clean up to (not including) tail. */
static inline unsigned ring_used(unsigned clean, unsigned tail, unsigned n)
{
	return tail >= clean ? tail - clean : n - clean + tail;
}

/* Slots that may still be filled. */
static inline unsigned ring_free(unsigned clean, unsigned tail, unsigned n)
{
	return n - 1 - ring_used(clean, tail, n);
}

#endif /* NET_RING_H */
