/* Filling a new env: its program (ELF64) and its initial stack. */
#ifndef ENV_LOAD_H
#define ENV_LOAD_H

#include <stddef.h>

struct env;

/*
 * Check the image with lib/elf64 against the user window
 * [EXO_USER_LOAD_MIN, EXO_USER_LOAD_MAX), map its PT_LOAD segments with
 * their permissions (W only if PF_W, executable only if PF_X), copy the
 * file bytes, and set the entry point. 0, or -1 with a reason.
 */
int load_elf(struct env *e, const void *elf, size_t size, char *why,
	     size_t whylen);

/*
 * Map the user stack below EXO_USER_STACK_TOP and lay out argc, argv,
 * envp and auxv on it (env/ustack.h); sets the stack pointer.
 */
int load_stack(struct env *e, const char *const *argv, int argc, char *why,
	       size_t whylen);

#endif /* ENV_LOAD_H */
