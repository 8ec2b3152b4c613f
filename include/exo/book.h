/*
 * The bookkeeping window: the kernel's own tables, mapped read-only at
 * EXO_BOOK_BASE in every env (one shared set of page tables, PML4 slot
 * 254). A libOS reads it to find free pages and slices, to learn what the
 * kernel took back from it (the repossession vector) and what other envs
 * exist. Writing to it is a page fault, reflected like any other.
 *
 *   EXO_BOOK_BASE                      struct exo_book (header, env table,
 *                                      slice vector)
 *   EXO_BOOK_BASE + owner_off          uint16_t owner[nframes]: per frame
 *                                      EXO_OWNER_FREE, _KERNEL, _INITRD,
 *                                      or env slot + 1
 *   EXO_BOOK_BASE + nic_off            NIC statistics (network issue)
 *
 * The kernel updates these in place; a reader sees each field change
 * atomically (naturally aligned), but not several fields at once.
 */
#ifndef EXO_BOOK_H
#define EXO_BOOK_H

#include <stdint.h>

#include <exo/resource.h>

#define EXO_BOOK_BASE    0x00007f0000000000ULL  /* PML4 slot 254 */
#define EXO_BOOK_LIMIT   0x00007f8000000000ULL  /* whole slot reserved */
#define EXO_BOOK_MAGIC   0x4b4f4f42304f5845ULL  /* "EXO0BOOK" */
#define EXO_BOOK_VERSION 2
#define EXO_BOOK_NENV    64
#define EXO_REPO_MAX     8
#define EXO_BOOK_NIC_BYTES 4096

#define EXO_OWNER_FREE   0x0000
#define EXO_OWNER_INITRD 0xfffe  /* boot module: init may bind it read-only */
#define EXO_OWNER_KERNEL 0xffff  /* kernel memory, page tables, holes */

enum exo_env_state {
	EXO_ENV_FREE = 0,
	EXO_ENV_EMBRYO,    /* created, not started: its parent fills it */
	EXO_ENV_RUNNABLE,
	EXO_ENV_RUNNING,
	EXO_ENV_BLOCKED,   /* env_wait, ipc_recv, sleep */
	EXO_ENV_ZOMBIE,    /* dead, resources freed, status not yet collected */
};

/* One repossession: what the abort protocol took, and when. */
struct exo_repo {
	uint32_t name;
	uint32_t handle;
	uint64_t tick;
};

struct exo_book_env {
	int32_t id;              /* 0: slot unused */
	uint8_t state;           /* enum exo_env_state */
	uint8_t caps;
	uint16_t parent_slot;    /* slot + 1 of the parent; 0: none */
	char name[16];
	uint32_t pages;          /* frames owned */
	uint32_t slices;         /* slices owned */
	uint64_t runs;           /* times the kernel switched to it */
	uint64_t syscalls;
	uint64_t upcalls;
	uint64_t preempted;      /* forced preemptions (grace period missed) */
	uint64_t revoked_coop;   /* revocation requests it honoured in time */
	int32_t exit_status;     /* env_wait encoding (exo/resource.h) */
	uint32_t repo_count;     /* repossessions so far; ring of the last 8 */
	struct exo_repo repo[EXO_REPO_MAX];
};

struct exo_book {
	uint64_t magic, version;
	uint64_t ticks;          /* timer ticks (1 ms) */
	uint64_t idle_halts;     /* times the CPU halted with nothing runnable */
	uint64_t idle_polls;     /* frames the idle loop found by polling the NICs */
	uint64_t free_pages;
	uint32_t nframes;        /* length of the owner table */
	uint32_t owner_off;      /* byte offset of the owner table */
	uint32_t nic_off;        /* byte offset of the NIC statistics page */
	uint32_t size;           /* bytes mapped */
	uint32_t initrd_frame;   /* first frame of the initrd module; 0: none */
	uint32_t initrd_pages;
	uint64_t initrd_bytes;
	uint32_t cur_slice;      /* slice running now */
	uint32_t nslices;
	uint16_t slice_owner[EXO_NSLICE];  /* env slot + 1; 0: free */
	struct exo_book_env env[EXO_BOOK_NENV];
};

static inline const struct exo_book *exo_book(void)
{
	return (const struct exo_book *)EXO_BOOK_BASE;
}

#endif /* EXO_BOOK_H */
