/*
 * The initial user stack of a new program, System V style (x86-64 psABI
 * 3.4.1, Figure 3.9): at the stack pointer argc, then argv[] and NULL,
 * envp[] and NULL, auxv (key, value) pairs ending in AT_NULL, and the
 * strings above them. The stack pointer is 16-byte aligned.
 *
 * Pure logic (host-tested): it writes into a buffer that stands for the
 * virtual range [top - size, top) of the new address space.
 */
#ifndef ENV_USTACK_H
#define ENV_USTACK_H

#include <stddef.h>
#include <stdint.h>

#define USTACK_MAX_STRINGS 128  /* per argv, envp, and auxv pairs */

struct ustack_args {
	const char *const *argv;
	int argc;
	const char *const *envp;
	int envc;
	const uint64_t *auxv;   /* key, value pairs, without the AT_NULL */
	int nauxv;              /* number of pairs */
};

/*
 * Lay out the stack in img (size bytes, mapped at [top - size, top)).
 * top must be 16-byte aligned. Returns 0 and the initial rsp, or -1 if
 * the arguments do not fit.
 */
int ustack_build(uint8_t *img, size_t size, uint64_t top,
		 const struct ustack_args *a, uint64_t *rsp);

#endif /* ENV_USTACK_H */
