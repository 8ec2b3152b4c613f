/*
 * The network system calls (docs/syscalls.md, "Network"). Each decodes
 * and checks every argument before anything changes: numbers against
 * their ranges, handles against the caller's table, user ranges against
 * its page tables and the ownership table (in net/netres.c, which may
 * assume the scalar arguments are in range).
 */
#include <env/env.h>
#include <exo/errno.h>
#include <exo/net.h>
#include <kernel/syscall_table.h>
#include <mm/usercopy.h>
#include <net/demux.h>
#include <net/netdev.h>
#include <net/netres.h>

/* Bytecode copied in from user space; static for the stack's sake. */
static uint8_t prog_buf[DPF_MAX_PROG_LEN];

int64_t sys_net_ring_setup(uint64_t va, uint64_t npages)
{
	demux_sync_stats();
	if (npages < EXO_PKTRING_MIN_PAGES || npages > EXO_PKTRING_MAX_PAGES)
		return -EXO_EINVAL;
	if (va & 0xfff)
		return -EXO_EINVAL;
	return netres_ring_create(env_current(), va, npages);
}

int64_t sys_net_filter_bind(uint64_t ring, uint64_t dev, uint64_t prog,
			    uint64_t len, uint64_t flags)
{
	struct env *e = env_current();
	uint64_t rxring = (flags >> EXO_NETF_RING_SHIFT) & EXO_NETF_RING_MASK;

	demux_sync_stats();
	if (handle_get(&e->ht, (int64_t)ring, H_RING) == NULL)
		return -EXO_EBADF;
	if (dev >= EXO_NIC_NDEV || demux_point((unsigned)dev, (unsigned)rxring) == NULL)
		return -EXO_ENODEV;
	if (flags & ~((uint64_t)EXO_NETF_RING_MASK << EXO_NETF_RING_SHIFT |
		      EXO_NETF_SHARED))
		return -EXO_EINVAL;
	if (len == 0 || len > sizeof(prog_buf))
		return -EXO_EINVAL;
	if (copy_from_user(&e->as, prog_buf, prog, len) != 0)
		return -EXO_EFAULT;
	return netres_filter_bind(e, (int)ring, (unsigned)dev, (unsigned)rxring,
				  prog_buf, len, (flags & EXO_NETF_SHARED) != 0);
}

int64_t sys_net_tx(uint64_t dev, uint64_t frame, uint64_t len)
{
	/* No demux_sync_stats() here: it reads the link state from the
	 * device, an exit to the hypervisor on every frame sent. */
	if (dev >= netdev_count())
		return -EXO_ENODEV;
	/* The length and the pages are checked by netres_tx, before anything
	 * is copied or sent, so that its refusal counter sees every refusal. */
	return netres_tx(env_current(), (unsigned)dev, frame, len);
}
