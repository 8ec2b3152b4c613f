/*
 * Per-CPU data, reached through GS while in the kernel (SWAPGS exchanges
 * the user's GS base with MSR_KERNEL_GS_BASE on entry and exit). Only one
 * CPU runs today, but the syscall entry already finds its stack here, so
 * SMP needs one of these per CPU and nothing else in the entry path.
 *
 * The offsets of the first fields are used by syscall_entry.S.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#define PERCPU_SELF       0
#define PERCPU_KSTACK_TOP 8
#define PERCPU_USER_RSP   16

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

struct env;

struct percpu {
	struct percpu *self;     /* %gs:0 gives the struct's own address */
	uint64_t kstack_top;     /* syscall and ring-3 interrupt stack */
	uint64_t user_rsp;       /* scratch for the syscall entry */
	struct env *env;         /* env running on this CPU, or NULL */
	unsigned cpu_id;
};

_Static_assert(offsetof(struct percpu, kstack_top) == PERCPU_KSTACK_TOP, "");
_Static_assert(offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "");

/* Point GS at this CPU's struct (kernel GS base; user GS base 0). */
void percpu_init(void);

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}
#endif /* __ASSEMBLY__ */

#endif /* ARCH_PERCPU_H */
