/*
 * Page ownership: one 16-bit entry per physical frame saying who holds
 * it (exo/book.h: EXO_OWNER_FREE, _KERNEL, _INITRD, or env slot + 1).
 * The table's storage is the bookkeeping window's, so every env reads the
 * very table the kernel decides with. Pure logic: no hardware, no
 * printing; tests/kernel/mm/test_owner.c runs it on the host.
 *
 * Every transition is checked against the current owner, so a caller
 * that got its bookkeeping wrong gets an error instead of silently
 * handing a frame to two owners.
 */
#ifndef MM_OWNER_H
#define MM_OWNER_H

#include <stdint.h>

#include <exo/book.h>

struct owner_table {
	uint16_t *owner;
	uint64_t nframes;
};

enum owner_err {
	OWNER_OK = 0,
	OWNER_ERANGE = -1,   /* frame beyond the table, or a bad slot */
	OWNER_EBUSY = -2,    /* not in the state the transition needs */
};

/* Every frame starts as EXO_OWNER_KERNEL. */
void owner_init(struct owner_table *t, uint16_t *storage, uint64_t nframes);

/* Current owner, or EXO_OWNER_KERNEL for frames beyond the table. */
uint16_t owner_get(const struct owner_table *t, uint64_t frame);

/* Unconditional (kernel allocator bookkeeping: FREE <-> KERNEL). */
int owner_set(struct owner_table *t, uint64_t frame, uint16_t who);

/* `from` -> `to`, only if the frame is owned by `from` now. */
int owner_move(struct owner_table *t, uint64_t frame, uint16_t from, uint16_t to);

/* Frames owned by `who`. */
uint64_t owner_count(const struct owner_table *t, uint16_t who);

/* Is `who` an env owner (slot + 1 in 1..nenv)? */
static inline int owner_is_env(uint16_t who, unsigned nenv)
{
	return who >= 1 && who <= nenv;
}

#endif /* MM_OWNER_H */
