/*
 * The x86-64 emitter used by the DPF JIT, in three layers:
 *   1. bytes:        x64_emit1/x64_emit2/x64_emit4/x64_emit8 append to the image;
 *   2. encodings:    REX prefixes, ModRM/SIB memory operands;
 *   3. instructions: one function per instruction form the JIT uses,
 *                    with the assembly in a comment beside each opcode.
 * plus labels and jumps: a jump to a label that is not bound yet is a
 * fixup patched when the pass ends (uBPF style), and its size (rel8 or
 * rel32) is chosen from the previous pass, so the image converges over
 * passes (Linux style) — see jit.c for the pass loop.
 *
 * Encodings follow the Intel SDM, Vol. 2, chapter 2 (REX 2.2.1, ModRM/SIB
 * 2.1.5) and the instruction pages of chapters 3-4.
 */
#ifndef DPF_JIT_EMIT_H
#define DPF_JIT_EMIT_H

#include "dpf_int.h"

/* x86-64 register numbers (SDM Vol. 2, Table 2-2 and REX.B/R/X). */
enum x86_reg {
	RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
	R8, R9, R10, R11, R12, R13, R14, R15,
};

/* Condition codes, the low nibble of Jcc/CMOVcc/SETcc (SDM Vol. 1, B.1). */
enum x86_cc {
	CC_B = 0x2,   /* below (unsigned <)      */
	CC_AE = 0x3,  /* above or equal (>=)     */
	CC_E = 0x4,   /* equal / zero            */
	CC_NE = 0x5,  /* not equal / not zero    */
	CC_BE = 0x6,  /* below or equal (<=)     */
	CC_A = 0x7,   /* above (unsigned >)      */
};

struct jit_fixup {
	uint32_t site;    /* offset of the displacement to patch */
	uint32_t label;
	uint8_t is_short;
};

/* One pass over the trie writes (or, with img == NULL, only measures) code.
 * Labels and jumps are numbered in emission order, which is the same in
 * every pass, so their positions can be compared from pass to pass. */
struct jit_buf {
	const struct dpf_env *env;
	uint8_t *img;            /* NULL in the sizing passes */
	uint32_t pos;
	uint32_t cap;            /* bytes of img available for code */
	int err;                 /* sticky DPF_E_* */

	uint32_t nlab, clab;     /* labels this pass / allocated */
	uint32_t *lab_prev;      /* position in the previous pass, ~0 unknown */
	uint32_t *lab_cur;       /* position in this pass, ~0 not bound yet */

	uint32_t njmp, cjmp;     /* jump sites this pass / allocated */
	uint32_t *jmp_prev;      /* a jump's position in the previous pass */
	uint32_t *jmp_cur;
	uint8_t *jmp_short;      /* sticky: once rel8 fits, it always will */

	struct jit_fixup *fix;   /* final pass: forward jumps to patch */
	uint32_t nfix, cfix;
};

#define LABEL_UNBOUND 0xffffffffu

/* Layer 1: bytes. */
void x64_emit1(struct jit_buf *b, uint8_t x);
void x64_emit2(struct jit_buf *b, uint16_t x);
void x64_emit4(struct jit_buf *b, uint32_t x);
void x64_emit8(struct jit_buf *b, uint64_t x);

/* Labels and jumps. */
uint32_t x64_label_new(struct jit_buf *b, uint32_t n);   /* first of n labels */
void x64_label_bind(struct jit_buf *b, uint32_t label);
void x64_jcc(struct jit_buf *b, enum x86_cc cc, uint32_t label);
void x64_jmp(struct jit_buf *b, uint32_t label);
int x64_resolve_fixups(struct jit_buf *b);

/* Layer 3: instructions (32-bit operations zero the upper half). */
void x64_mov_rr32(struct jit_buf *b, int dst, int src);
void x64_mov_rr64(struct jit_buf *b, int dst, int src);
void x64_mov_ri32(struct jit_buf *b, int dst, uint32_t imm);
void x64_mov_ri64(struct jit_buf *b, int dst, uint64_t imm);
void x64_xor_rr32(struct jit_buf *b, int dst, int src);
void x64_not32(struct jit_buf *b, int reg);
void x64_alu_ri32(struct jit_buf *b, int ext, int reg, uint32_t imm);
#define ALU_ADD 0
#define ALU_AND 4
#define ALU_CMP 7
void x64_neg32(struct jit_buf *b, int reg);
void x64_sbb_rr32(struct jit_buf *b, int dst, int src);
void x64_and_rm32(struct jit_buf *b, int reg, int base, int index,
		  int32_t disp);
void x64_cmp_rr32(struct jit_buf *b, int a, int c);
void x64_cmp_mi(struct jit_buf *b, int width, int base, int index,
		int32_t disp, uint32_t imm);
void x64_cmp_rr64(struct jit_buf *b, int a, int c);
void x64_cmp_rm(struct jit_buf *b, int width, int reg, int base, int index,
		int32_t disp);
void x64_cmp_mi32(struct jit_buf *b, int base, int index, int32_t disp,
		   int8_t imm);
void x64_test_rr(struct jit_buf *b, int w64, int a, int c);
void x64_cmov32(struct jit_buf *b, enum x86_cc cc, int dst, int src);
void x64_cmov64(struct jit_buf *b, enum x86_cc cc, int dst, int src);
void x64_shift_ri32(struct jit_buf *b, int ext, int reg, uint8_t n);
void x64_shift_ri64(struct jit_buf *b, int ext, int reg, uint8_t n);
#define SH_SHL 4
#define SH_SHR 5
void x64_imul_ri32(struct jit_buf *b, int dst, int src, uint32_t imm);
void x64_lea(struct jit_buf *b, int w64, int dst, int base, int index,
	      int32_t disp);
void x64_lea_rip(struct jit_buf *b, int dst, uint32_t target);
void x64_add_rr64(struct jit_buf *b, int dst, int src);
void x64_load_be(struct jit_buf *b, int width, int dst, int base, int index,
		  int32_t disp);
void x64_load_le(struct jit_buf *b, int width, int dst, int base, int index,
		 int32_t disp);
void x64_load_rm32(struct jit_buf *b, int dst, int base, int index,
		    int32_t disp);
void x64_load_rm64(struct jit_buf *b, int dst, int base, int index,
		    int32_t disp);
void x64_push(struct jit_buf *b, int reg);
void x64_pop(struct jit_buf *b, int reg);
void x64_jmp_reg(struct jit_buf *b, int reg);
void x64_ret(struct jit_buf *b);

#endif /* DPF_JIT_EMIT_H */
