/*
 * x87/SSE state of user programs, switched lazily. The kernel never uses
 * these registers (-mgeneral-regs-only), so user state survives kernel
 * entry untouched. When the scheduler runs an env whose state is not the
 * one in the registers, it sets CR0.TS; the env's first x87/SSE
 * instruction then raises #NM (SDM Vol. 3A 2.5, 13.4), and only then does
 * the kernel FXSAVE the previous owner's state into its area and FXRSTOR
 * the env's (SDM Vol. 1 10.5), or load a clean state for an env that
 * never used them. Envs that switch without touching x87/SSE (a yield
 * ping-pong) pay for neither.
 */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <stdint.h>

/* Load the power-on x87/SSE state: all registers zero, default controls. */
void fpu_reset(void);

/*
 * The env owning `area` (512 bytes, 16-byte aligned) is about to run:
 * clear CR0.TS if its state is in the registers, else set it.
 */
void fpu_activate(uint8_t *area);

/*
 * #NM from ring 3 while `area`'s env runs: make its state current (clean
 * if *fresh, which is then cleared). Returns 0 if #NM was not ours (TS
 * clear: a real device-not-available fault).
 */
int fpu_trap(uint8_t *area, uint8_t *fresh);

/* The env owning `area` is gone: its registers need not be saved. */
void fpu_forget(uint8_t *area);

#endif /* ARCH_FPU_H */
