/*
 * Resources, handles, permissions, capabilities and upcalls: the ABI of
 * the exokernel's resource core, shared by the kernel and every libOS.
 * docs/syscalls.md describes the calls that use these numbers, and
 * docs/libos.md the upcall protocol.
 *
 * Names. As in the original design a resource is named by an integer
 * that says which piece of hardware it is: a physical page by its frame
 * number, a CPU time slice by its index in the slice vector. The type
 * lives in bits 28-30 so that page names are plain frame numbers:
 *
 *   EXO_NAME_PAGE(frame)   frame            (frames below 2^28 = 1 TiB)
 *   EXO_NAME_SLICE(i)      0x10000000 | i   (i < EXO_NSLICE)
 *   EXO_NAME(EXO_RES_RING, i), EXO_NAME(EXO_RES_FILTER, i)  packet rings, filters (exo/net.h)
 */
#ifndef EXO_RESOURCE_H
#define EXO_RESOURCE_H

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

#define EXO_NAME_TYPE_SHIFT 28
#define EXO_NAME_INDEX_MASK 0x0fffffffu
#define EXO_RES_PAGE   0
#define EXO_RES_SLICE  1
#define EXO_RES_RING   2   /* NIC packet rings (exo/net.h, net_ring_setup) */
#define EXO_RES_FILTER 3   /* packet filters (net_filter_bind) */
#define EXO_RES_NTYPES 4

#define EXO_NAME(type, index) (((uint32_t)(type) << EXO_NAME_TYPE_SHIFT) | (uint32_t)(index))
#define EXO_NAME_PAGE(frame)  EXO_NAME(EXO_RES_PAGE, frame)
#define EXO_NAME_SLICE(i)     EXO_NAME(EXO_RES_SLICE, i)
#define EXO_NAME_TYPEOF(name) (((uint32_t)(name) >> EXO_NAME_TYPE_SHIFT) & 7u)
#define EXO_NAME_INDEXOF(name) ((uint32_t)(name) & EXO_NAME_INDEX_MASK)

/* Time slices: the CPU's round is EXO_NSLICE slices of EXO_SLICE_TICKS. */
#define EXO_NSLICE      64
#define EXO_SLICE_TICKS 5    /* timer ticks (1 ms each) */
#define EXO_GRACE_TICKS 2    /* after the epilogue upcall, before preemption */

/* Handles: small integers indexing the env's handle table. Every page an
 * env holds takes one, so this bounds its memory (2048: 8 MiB; netd needs
 * about 900 for its image, web root, stack memory and packet ring). */
#define EXO_NHANDLE 2048

/* Page permissions for page_map and page_grant (read is implied). */
#define EXO_PERM_R 0x0
#define EXO_PERM_W 0x1
#define EXO_PERM_X 0x2
#define EXO_PERM_ALL (EXO_PERM_W | EXO_PERM_X)
#define EXO_GRANT_NONE 0x80  /* page_grant: withdraw the grant */

/* Capabilities an env may hold (env_create passes a subset on). */
#define EXO_CAP_RECLAIM 0x1  /* revoke_demand: ask another env for a resource */
#define EXO_CAP_TEST    0x2  /* test_ctl, on a test boot */
#define EXO_CAP_NET_ANY 0x4  /* catch-all/overlapping packet filters, raw transmit */
#define EXO_CAP_ALL     0x7

/*
 * Upcalls (bind_signal kinds). The kernel enters the registered entry
 * point on the env's upcall stack with
 *   rdi = kind, rsi = arg0, rdx = arg1, r8 = arg2
 * (r8, not rcx: SYSRET overwrites rcx) after saving the interrupted
 * registers in the env's upcall area.
 *
 *   kind                arg0          arg1          arg2
 *   EXO_SIG_EXC         vector        error code    CR2 (page faults)
 *   EXO_SIG_REVOC_REQ   handle        name          deadline (tick)
 *   EXO_SIG_PROLOGUE    slice index   slice end     0
 *   EXO_SIG_EPILOGUE    slice index   grace end     0
 *   EXO_SIG_PACKET      ring handle   filter name   0  (ring's want_upcall set, exo/net.h)
 *   EXO_SIG_IPC         sender id     word 0        word 1
 */
#define EXO_SIG_EXC       0
#define EXO_SIG_REVOC_REQ 1
#define EXO_SIG_PROLOGUE  2
#define EXO_SIG_EPILOGUE  3
#define EXO_SIG_PACKET    4
#define EXO_SIG_IPC       5
#define EXO_NSIG          6

/* The original design's spelling: bind_signal(REVOC_REQ, handler). */
#define REVOC_REQ EXO_SIG_REVOC_REQ

/* Offsets used by libos/upcall_entry.S. */
#define EXO_UREGS_RIP    120
#define EXO_UREGS_RSP    128
#define EXO_UREGS_RFLAGS 136
#define EXO_AREA_IN_UPCALL 144

#ifndef __ASSEMBLY__
/* User registers as saved in the upcall area (and restored from it). */
struct exo_uregs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rsp, rflags;
};

/*
 * The upcall area: one per env, in the env's own memory, registered with
 * upcall_setup(). The kernel writes `regs` and sets `in_upcall` when it
 * enters a handler; the libOS resumes by restoring `regs` itself and
 * clears `in_upcall` (libos/upcall.S). While in_upcall is set, the kernel
 * holds back asynchronous upcalls, and an exception kills the env.
 */
struct exo_upcall_area {
	struct exo_uregs regs;
	uint64_t in_upcall;
	uint64_t kind;     /* the upcall being handled */
	uint64_t args[3];
	uint64_t count;    /* upcalls entered, for statistics */
};

_Static_assert(sizeof(struct exo_uregs) == 144, "exo_uregs layout");
_Static_assert(__builtin_offsetof(struct exo_uregs, rip) == EXO_UREGS_RIP, "rip");
_Static_assert(__builtin_offsetof(struct exo_uregs, rsp) == EXO_UREGS_RSP, "rsp");
_Static_assert(__builtin_offsetof(struct exo_uregs, rflags) == EXO_UREGS_RFLAGS, "rflags");
_Static_assert(__builtin_offsetof(struct exo_upcall_area, in_upcall) == EXO_AREA_IN_UPCALL,
	       "in_upcall");
#endif /* __ASSEMBLY__ */

/* test_ctl operations (only on a test boot, only with EXO_CAP_TEST). */
#define EXO_TEST_CHECK  1   /* consistency check; 0 or -EXO_EINVAL */
#define EXO_TEST_REVOKE 2   /* a: env id, b: handle, c: deadline ticks */

/* env_wait results: exit status in the low byte, or killed by a vector. */
#define EXO_WAIT_KILLED 0x100

#endif /* EXO_RESOURCE_H */
