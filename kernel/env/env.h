/*
 * Environments: the kernel's only process-like object. An env is an
 * address space, saved user registers (general and x87/SSE), a handle
 * table of bound resources, and the upcall entry points its libOS
 * registered. Envs are created empty ("embryo") by a parent that fills
 * them with its own resources (libOS exec), or by the kernel for init.
 *
 * State lives in the env table here and is published in the bookkeeping
 * window (exo/book.h) for every libOS to read.
 */
#ifndef ENV_ENV_H
#define ENV_ENV_H

#include <stddef.h>
#include <stdint.h>

#include <arch/trap.h>
#include <env/handle.h>
#include <exo/book.h>
#include <mm/uvm.h>

#define NENV EXO_BOOK_NENV
#define ENV_NAME_MAX 16

/* Why an env stopped (for the kernel's own reports and tests). */
struct env_stop {
	int id;
	int exited;        /* called exit(status) */
	int status;
	int killed;        /* took an exception with nobody to reflect it to */
	uint64_t vector, error, rip, addr;  /* the exception; addr = CR2 for #PF */
};

/* What a BLOCKED env waits for. */
enum env_block { BLOCK_NONE, BLOCK_WAIT, BLOCK_IPC, BLOCK_SLEEP };

/* Epilogue protocol state of the running env. */
enum env_epi { EPI_NONE, EPI_PENDING, EPI_DELIVERED };

/* Pending asynchronous upcalls (bits). */
#define PEND_EPILOGUE 0x1
#define PEND_PROLOGUE 0x2
#define PEND_IPC      0x4
#define PEND_PACKET   0x8   /* upcall_post(EXO_SIG_PACKET): the network datapath */

struct env {
	uint8_t fpu[512] __attribute__((aligned(16)));  /* FXSAVE image */
	uint8_t fpu_fresh;        /* never used x87/SSE: starts clean */
	int id;                   /* > 0, never reused */
	int slot;                 /* index in the env table */
	char name[ENV_NAME_MAX];
	int state;                /* enum exo_env_state */
	struct env *parent;
	uint8_t caps;             /* EXO_CAP_* */
	struct uvm as;
	struct trapframe tf;      /* user registers while not running */
	uint64_t runs;
	struct env_stop stop;
	struct handle_table ht;

	uint64_t sig[EXO_NSIG];   /* upcall entry points (0: none) */
	uint64_t area;            /* struct exo_upcall_area, user address */
	uint64_t upstack;         /* upcall stack top */
	unsigned pend;            /* PEND_* */
	int epi;                  /* enum env_epi */
	uint64_t grace_end;

	int block;                /* enum env_block */
	int64_t wait_id;
	uint64_t wake_tick;
	int mbox_full;
	uint64_t mbox[3];         /* sender, word 0, word 1 */
	uint64_t recv_buf;        /* ipc_recv destination while blocked */
	uint64_t packet[3];       /* arguments of the pending packet upcall */

	struct exo_book_env *bk;  /* this slot's entry in the bookkeeping */
};

extern struct env envs[NENV];

/* The owner tag of e in the ownership table and slice vector. */
static inline uint16_t env_tag(const struct env *e)
{
	return (uint16_t)(e->slot + 1);
}

/* Live env (not free, not a zombie) with this tag / id; NULL if none. */
struct env *env_from_tag(uint16_t tag);
struct env *env_by_id(int64_t id);

/*
 * Decode an env argument of a system call: 0 or the caller's own id is
 * the caller; otherwise an embryo child of the caller (which it fills
 * before starting it). -EXO_ESRCH for anything else.
 */
int env_target(struct env *self, int64_t id, struct env **out);

/* A new embryo with an empty address space; NULL if out of slots/memory. */
struct env *env_alloc(const char *name, struct env *parent, uint8_t caps);

/*
 * The kernel's own loader, for init: an env running the ELF64 image
 * elf[0, size) with the given argv, its pages bound to it like any
 * libOS-made env's, holding one time slice. NULL and a reason on failure.
 */
struct env *env_create(const void *elf, size_t size, const char *const *argv,
		       int argc, char *why, size_t whylen);

/* Embryo -> runnable. */
void env_start(struct env *e);

/* The env whose syscall or trap is being handled, or NULL. */
struct env *env_current(void);

/* The current env calls exit(status). */
void env_exit(int status) __attribute__((noreturn));

/*
 * The current env took exception tf in ring 3: reflect it to its
 * exception upcall (returns, tf now enters the handler), or destroy it.
 */
void env_fault(struct trapframe *tf);

/* Destroy a env that is not running (a parent killing its child). */
void env_destroy(struct env *e);

/* Publish e's counters and state in the bookkeeping window. */
void env_book_sync(struct env *e);

/* A child's death: wake a parent blocked in env_wait on it. */
void env_reap_notify(struct env *child);

#endif /* ENV_ENV_H */
