/*
 * Handle tables: what an env has bound. A handle is an index into its
 * env's table; the entry records the resource's type and name and how
 * the env may use it. Pure logic (tests/kernel/env/test_handle.c).
 *
 * Lookups check the index range, that the entry is in use, and its type,
 * so a system call can decode a handle argument with one call and a bad
 * handle is an error, never an out-of-bounds access.
 */
#ifndef ENV_HANDLE_H
#define ENV_HANDLE_H

#include <stdint.h>

#include <exo/resource.h>

enum handle_type {
	H_FREE = 0,
	H_PAGE,        /* a frame the env owns */
	H_PAGE_GRANT,  /* another env's frame it was granted */
	H_SLICE,       /* a time slice */
	H_RING,        /* NIC packet ring (net/netres.h) */
	H_FILTER,      /* packet filter (net/netres.h) */
	H_ANY = 0xff,  /* lookups: any type in use */
};

/* Entry flags. */
#define HF_RO     0x1   /* may only be mapped read-only */
#define HF_NOEXEC 0x2   /* may not be mapped executable */

struct handle {
	uint8_t type;      /* enum handle_type */
	uint8_t flags;
	uint16_t peer;     /* H_PAGE_GRANT: owner slot + 1 */
	uint32_t name;     /* exo/resource.h name */
};

struct handle_table {
	struct handle h[EXO_NHANDLE];
	uint32_t used;
	uint32_t hint;     /* where the next free search starts */
};

void handle_table_init(struct handle_table *t);

/* Lowest-index free entry from the hint; -1 if the table is full. */
int handle_alloc(struct handle_table *t, uint8_t type, uint32_t name,
		 uint8_t flags, uint16_t peer);

/* The entry for handle h if it is in use and of `type` (or H_ANY). */
struct handle *handle_get(struct handle_table *t, int64_t h, uint8_t type);

/* Release h; -1 if it was not in use. */
int handle_free(struct handle_table *t, int64_t h);

/* Handle index of (type, name), or -1. */
int handle_find(const struct handle_table *t, uint8_t type, uint32_t name);

/* Entries of `type` in use. */
unsigned handle_count(const struct handle_table *t, uint8_t type);

#endif /* ENV_HANDLE_H */
