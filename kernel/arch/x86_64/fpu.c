/*
 * Lazy x87/SSE switching (arch/fpu.h). The clean state is an FXRSTOR
 * image: FCW 0x37f (all exceptions masked, 64-bit precision), MXCSR
 * 0x1f80 (all SSE exceptions masked, round to nearest), empty x87 stack,
 * every data register zero. Layout: SDM Vol. 1 10.5.1, Table 10-2.
 */
#include <stdint.h>

#include <arch/cpu.h>
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

static uint8_t *owner;   /* whose state the registers hold; NULL: nobody's */
static int ts_set;       /* cached CR0.TS, to skip redundant CR0 writes */

static void clts(void)
{
	__asm__ volatile("clts" ::: "memory");
	ts_set = 0;
}

void fpu_reset(void)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(clean));
}

void fpu_activate(uint8_t *area)
{
	if (area == owner) {
		if (ts_set)
			clts();
	} else if (!ts_set) {
		write_cr0(read_cr0() | CR0_TS);
		ts_set = 1;
	}
}

int fpu_trap(uint8_t *area, uint8_t *fresh)
{
	if (!(read_cr0() & CR0_TS))
		return 0;
	clts();
	if (owner)
		__asm__ volatile("fxsave64 (%0)" : : "r"(owner) : "memory");
	if (*fresh) {
		fpu_reset();   /* nothing of the previous owner's registers */
		*fresh = 0;
	} else {
		__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
	}
	owner = area;
	return 1;
}

void fpu_forget(uint8_t *area)
{
	if (owner == area)
		owner = 0;
}
