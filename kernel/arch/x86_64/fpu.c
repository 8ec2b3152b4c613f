/*
 * FXRSTOR image of a clean x87/SSE state: FCW 0x37f (all exceptions
 * masked, 64-bit precision), MXCSR 0x1f80 (all SSE exceptions masked,
 * round to nearest), empty x87 stack, every data register zero. Layout:
 * SDM Vol. 1 10.5.1, Table 10-2 (legacy FXSAVE area).
 */
#include <stdint.h>

#include <arch/fpu.h>

#define FCW_DEFAULT   0x037f
#define MXCSR_DEFAULT 0x1f80

static const struct {
	uint16_t fcw, fsw;
	uint8_t ftw, reserved;   /* abridged tag word: 0 = all empty */
	uint16_t fop;
	uint64_t fip, fdp;
	uint32_t mxcsr, mxcsr_mask;
	uint8_t regs[480];       /* ST0-7, XMM0-15, reserved */
} clean __attribute__((aligned(16))) = {
	.fcw = FCW_DEFAULT,
	.mxcsr = MXCSR_DEFAULT,
};

_Static_assert(sizeof(clean) == 512, "FXSAVE area is 512 bytes");

void fpu_reset(void)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(clean));
}
