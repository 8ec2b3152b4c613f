/*
 * exec, the exokernel way: the libOS builds the new env itself. It checks
 * the ELF image (lib/elf64), creates an empty env, and for every page of
 * every PT_LOAD segment binds a free frame, fills it through a scratch
 * mapping of its own, hands the frame to the new env and maps it there
 * with the segment's permissions; likewise the stack, with argc/argv/auxv
 * laid out System V style (kernel/env/ustack.c, shared); then it gives the
 * env a time slice and starts it at the entry point. The kernel checks
 * only that each frame is the caller's to give and each env its child.
 *
 * A parent may also hand the new program pages it holds as they are, with
 * no copy (struct exec_pages): init gives netd the initrd pages of the web
 * root that way (docs/apps.md). The transfer keeps the handle's rights, so
 * a read-only page (the initrd's) stays read-only in the child.
 */
#ifndef LIBOS_EXEC_H
#define LIBOS_EXEC_H

#include <stddef.h>
#include <stdint.h>

#define EXEC_SCRATCH_VA 0x0000200000000000UL  /* where pages are filled */
#define EXEC_STACK_PAGES 16
/* Where a program finds the pages its parent handed over (struct
 * exec_pages); clear of the page heap, the scratch window, init's initrd
 * window, the packet rings and the stack's memory (libos/page.h,
 * apps/init/initrd.c, libos/net.h, libos/netapp_start.c). */
#define EXEC_PAGES_VA 0x0000400000000000UL
#define EXEC_PAGES_MAX 65536   /* 256 MiB: more than any initrd we build */

/*
 * Pages handed to the new program: handles[0..npages) are the caller's
 * pages, transferred in order (resource_transfer) and mapped at
 * va + i * PAGE_SIZE with perm (EXO_PERM_*; a read-only page refuses W).
 * On return, whether exec succeeded or not, `given` says how many were
 * transferred: handles[0..given) are no longer the caller's (a failed
 * exec destroys the child, which returns them to the free pool).
 */
struct exec_pages {
	const int *handles;
	uint32_t npages;
	uint64_t va;
	unsigned perm;
	uint32_t given;   /* out */
};

/*
 * Start elf[0, size) as a child with argv (argv[0] names it), the
 * capabilities caps (a subset of the caller's) and `slices` time slices
 * (0 means 1). Returns the child's env id, or a negative error (the
 * reason printed).
 */
long exec_image(const void *elf, size_t size, const char *const *argv,
		int argc, unsigned caps, unsigned slices);

/* exec_image, and the child also gets `pages` (NULL: none) before it starts. */
long exec_image_pages(const void *elf, size_t size, const char *const *argv,
		      int argc, unsigned caps, unsigned slices,
		      struct exec_pages *pages);

#endif /* LIBOS_EXEC_H */
