/*
 * x87/SSE state of user programs. The kernel never uses these registers
 * (-mgeneral-regs-only), so user state survives kernel entry untouched;
 * what the kernel must do is give a new env a clean state instead of the
 * previous env's registers. Saving and restoring per env comes with
 * switching between live envs (issue 4).
 */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

/* Load the power-on x87/SSE state: all registers zero, default controls. */
void fpu_reset(void);

#endif /* ARCH_FPU_H */
