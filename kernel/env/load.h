/*
 * The kernel's own program loader, used once: for init, which has no
 * parent libOS to build it. It goes through the same secure bindings as
 * a libOS would: every page it maps is bound to init (a handle in init's
 * table, owner = init in the ownership table), so init's memory is
 * accounted, revocable and reclaimed like anyone's.
 */
#ifndef ENV_LOAD_H
#define ENV_LOAD_H

#include <stddef.h>

struct env;

/*
 * Check the image with lib/elf64 against the user window
 * [EXO_USER_LOAD_MIN, EXO_BOOK_BASE), map its PT_LOAD segments with
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

/* Bind the first free time slice to e. */
int load_slice(struct env *e, char *why, size_t whylen);

#endif /* ENV_LOAD_H */
