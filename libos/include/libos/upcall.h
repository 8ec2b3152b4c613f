/*
 * Upcalls in the libOS (docs/libos.md). At start-up the runtime registers
 * one entry point, libos_upcall_entry (libos/upcall_entry.S), for every kind,
 * and an upcall area and stack of its own. The entry saves the x87/SSE
 * registers, calls the C handler of that kind from `libos_handlers`, and
 * then either resumes the interrupted code at user level, without a
 * system call, or (an epilogue that gives up the CPU) calls upcall_yield.
 *
 * Programs replace handlers by assigning to libos_handlers.
 */
#ifndef LIBOS_UPCALL_H
#define LIBOS_UPCALL_H

#include <stdint.h>

#include <exo/resource.h>

struct libos_handlers {
	/* An exception. Return 0 to resume (the fault was fixed), or not return. */
	int (*exception)(uint64_t vector, uint64_t error, uint64_t addr);
	/* revocation_request(handle): the kernel wants it back by `deadline`. */
	void (*revocation_request)(int64_t handle, uint64_t name, uint64_t deadline);
	/* Slice end. Return 1 to give up the CPU now, 0 to run on (into the grace period). */
	int (*epilogue)(uint64_t slice);
	/* Slice start. */
	void (*prologue)(uint64_t slice);
	/* A message from env `sender`. */
	void (*ipc)(uint64_t sender, uint64_t w0, uint64_t w1);
	/* Packets arrived in ring `ring` (libos/net.h; the last through `filter`). */
	void (*packet)(int64_t ring, uint64_t filter);
};

extern struct libos_handlers libos_handlers;
extern struct exo_upcall_area libos_area;

/* The defaults (page faults: demand regions, then the kernel's verdict). */
int libos_default_exception(uint64_t vector, uint64_t error, uint64_t addr);
void libos_default_revocation(int64_t handle, uint64_t name, uint64_t deadline);
int libos_default_epilogue(uint64_t slice);

/* Set up the area and stack and register every kind (called by start.c). */
void libos_upcall_init(void);

/* Entry point and user-level resume (upcall.S). */
void libos_upcall_entry(void);

/* Statistics kept by the dispatcher, per kind. */
extern volatile uint64_t libos_upcall_counts[EXO_NSIG];

/* The last message delivered by the IPC upcall (default handler). */
extern volatile uint64_t libos_ipc_msg[3];
extern volatile uint64_t libos_ipc_count;

#endif /* LIBOS_UPCALL_H */
