/*
 * Saved kernel execution context: the callee-saved registers, stack pointer
 * and resume address. The kernel's main flow saves one before it enters an
 * env; when the env stops (exit, fault, and later the end of its slice),
 * the trap or syscall path resumes it, abandoning the per-CPU stack the
 * trap arrived on. It is setjmp/longjmp under names that say what it is for.
 */
#ifndef ARCH_KCTX_H
#define ARCH_KCTX_H

#include <stdint.h>

struct kctx {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

/* Save the caller's context; returns 0, then `val` when resumed. */
int kctx_save(struct kctx *c) __attribute__((returns_twice));

/* Resume c: its kctx_save returns val (must be non-zero). */
void kctx_resume(const struct kctx *c, int val) __attribute__((noreturn));

/* Abandon the current stack: call fn on the stack whose top is given. */
void kctx_start(uint64_t stack_top, void (*fn)(void)) __attribute__((noreturn));

#endif /* ARCH_KCTX_H */
