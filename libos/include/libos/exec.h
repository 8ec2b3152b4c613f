/*
 * exec, the exokernel way: the libOS builds the new env itself. It checks
 * the ELF image (lib/elf64), creates an empty env, and for every page of
 * every PT_LOAD segment binds a free frame, fills it through a scratch
 * mapping of its own, hands the frame to the new env and maps it there
 * with the segment's permissions; likewise the stack, with argc/argv/auxv
 * laid out System V style (kernel/env/ustack.c, shared); then it gives the
 * env a time slice and starts it at the entry point. The kernel checks
 * only that each frame is the caller's to give and each env its child.
 */
#ifndef LIBOS_EXEC_H
#define LIBOS_EXEC_H

#include <stddef.h>

#define EXEC_SCRATCH_VA 0x0000200000000000UL  /* where pages are filled */
#define EXEC_STACK_PAGES 16

/*
 * Start elf[0, size) as a child with argv (argv[0] names it), the
 * capabilities caps (a subset of the caller's) and `slices` time slices
 * (0 means 1). Returns the child's env id, or a negative error (the
 * reason printed).
 */
long exec_image(const void *elf, size_t size, const char *const *argv,
		int argc, unsigned caps, unsigned slices);

#endif /* LIBOS_EXEC_H */
