/*
 * The x86-64 emitter (layers described in jit_emit.h). Each instruction
 * function encodes exactly one instruction form; the comment beside the
 * opcode bytes gives the assembly (Intel syntax) and the SDM notation.
 */
#include "jit_emit.h"

/* ---- Layer 1: bytes ---- */

void x64_emit1(struct jit_buf *b, uint8_t x)
{
	if (b->img && b->pos < b->cap)
		b->img[b->pos] = x;
	else if (b->img)
		b->err = DPF_E_JIT;   /* the final pass outgrew its sizing */
	b->pos++;
}

void x64_emit2(struct jit_buf *b, uint16_t x)
{
	x64_emit1(b, (uint8_t)x);
	x64_emit1(b, (uint8_t)(x >> 8));
}

void x64_emit4(struct jit_buf *b, uint32_t x)
{
	x64_emit2(b, (uint16_t)x);
	x64_emit2(b, (uint16_t)(x >> 16));
}

void x64_emit8(struct jit_buf *b, uint64_t x)
{
	x64_emit4(b, (uint32_t)x);
	x64_emit4(b, (uint32_t)(x >> 32));
}

static void patch1(struct jit_buf *b, uint32_t at, uint8_t x)
{
	b->img[at] = x;
}

static void patch4(struct jit_buf *b, uint32_t at, uint32_t x)
{
	for (int i = 0; i < 4; i++)
		patch1(b, at + i, (uint8_t)(x >> (8 * i)));
}

/* ---- Layer 2: REX, ModRM, SIB ---- */

static int fits8(int64_t v)
{
	return v >= -128 && v <= 127;
}

/* REX = 0100WRXB: W = 64-bit operand, R/X/B = bit 3 of reg/index/base.
 * Omitted when it would be a plain 0x40. */
static void rex(struct jit_buf *b, int w, int reg, int index, int base)
{
	uint8_t r = (uint8_t)(0x40 | w << 3 | (reg >> 3 & 1) << 2 |
			      (index >> 3 & 1) << 1 | (base >> 3 & 1));

	if (r != 0x40)
		x64_emit1(b, r);
}

/* ModRM with mod = 11: register operands. */
static void modrm_rr(struct jit_buf *b, int reg, int rm)
{
	x64_emit1(b, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

/* ModRM (+ SIB, + disp) for [base + index*1 + disp]; index < 0: none.
 * rm = 100 means "SIB follows" and base 101 with mod 00 means disp32 with
 * no base, so those two encodings are steered around. */
static void modrm_mem(struct jit_buf *b, int reg, int base, int index,
		      int32_t disp)
{
	int mod = disp == 0 && (base & 7) != RBP ? 0 : fits8(disp) ? 1 : 2;
	int sib = index >= 0 || (base & 7) == RSP;

	x64_emit1(b, (uint8_t)(mod << 6 | (reg & 7) << 3 | (sib ? 4 : base & 7)));
	if (sib)
		x64_emit1(b, (uint8_t)((index >= 0 ? index & 7 : 4) << 3 |
				   (base & 7)));
	if (mod == 1)
		x64_emit1(b, (uint8_t)disp);
	else if (mod == 2)
		x64_emit4(b, (uint32_t)disp);
}

static void rex_mem(struct jit_buf *b, int w, int reg, int base, int index)
{
	rex(b, w, reg, index < 0 ? 0 : index, base);
}

/* ---- Labels and jumps ---- */

/* Grow the parallel per-label or per-jump arrays from old to ncap
 * entries, all or none (the sizes must stay in step for dpf_free). New
 * entries of a u32 array read ~0 ("unknown"), of a byte array 0. */
static int grow_arrays(const struct dpf_env *env, uint32_t **a, uint32_t **b,
		       uint8_t **c, uint32_t old, uint32_t ncap)
{
	uint32_t *na = dpf_alloc(env, ncap * sizeof(uint32_t));
	uint32_t *nb = dpf_alloc(env, ncap * sizeof(uint32_t));
	uint8_t *nc = c ? dpf_alloc(env, ncap) : NULL;

	if (!na || !nb || (c && !nc)) {
		dpf_free(env, na, ncap * sizeof(uint32_t));
		dpf_free(env, nb, ncap * sizeof(uint32_t));
		dpf_free(env, nc, ncap);
		return DPF_E_NOMEM;
	}
	dpf_memset(na, 0xff, ncap * sizeof(uint32_t));
	dpf_memset(nb, 0xff, ncap * sizeof(uint32_t));
	if (old) {
		dpf_memcpy(na, *a, old * sizeof(uint32_t));
		dpf_memcpy(nb, *b, old * sizeof(uint32_t));
	}
	dpf_free(env, *a, old * sizeof(uint32_t));
	dpf_free(env, *b, old * sizeof(uint32_t));
	*a = na;
	*b = nb;
	if (c) {
		dpf_memset(nc, 0, ncap);
		if (old)
			dpf_memcpy(nc, *c, old);
		dpf_free(env, *c, old);
		*c = nc;
	}
	return 0;
}

uint32_t x64_label_new(struct jit_buf *b, uint32_t n)
{
	uint32_t first = b->nlab;

	if (b->err)
		return 0;
	if (b->nlab + n > b->clab) {
		uint32_t ncap = b->clab ? b->clab : 64;

		while (ncap < b->nlab + n)
			ncap *= 2;
		if (grow_arrays(b->env, &b->lab_prev, &b->lab_cur, NULL,
				b->clab, ncap)) {
			b->err = DPF_E_NOMEM;
			return 0;
		}
		b->clab = ncap;
	}
	b->nlab += n;
	return first;
}

void x64_label_bind(struct jit_buf *b, uint32_t label)
{
	if (!b->err)
		b->lab_cur[label] = b->pos;
}

static uint32_t jump_site(struct jit_buf *b)
{
	if (b->njmp == b->cjmp) {
		uint32_t ncap = b->cjmp ? b->cjmp * 2 : 64;

		if (grow_arrays(b->env, &b->jmp_prev, &b->jmp_cur,
				&b->jmp_short, b->cjmp, ncap)) {
			b->err = DPF_E_NOMEM;
			return 0;
		}
		b->cjmp = ncap;
	}
	b->jmp_cur[b->njmp] = b->pos;
	return b->njmp++;
}

static void add_fixup(struct jit_buf *b, uint32_t label, int is_short)
{
	if (b->nfix == b->cfix) {
		uint32_t ncap = b->cfix ? b->cfix * 2 : 64;
		struct jit_fixup *f = dpf_alloc(b->env, ncap * sizeof(*f));

		if (!f) {
			b->err = DPF_E_NOMEM;
			return;
		}
		if (b->fix)
			dpf_memcpy(f, b->fix, b->nfix * sizeof(*f));
		dpf_free(b->env, b->fix, b->cfix * sizeof(*f));
		b->fix = f;
		b->cfix = ncap;
	}
	b->fix[b->nfix].site = b->pos;
	b->fix[b->nfix].label = label;
	b->fix[b->nfix].is_short = (uint8_t)is_short;
	b->nfix++;
}

/* A jump: op8 is the rel8 opcode, op32 the rel32 one (1 or 2 bytes). */
static void jump(struct jit_buf *b, uint8_t op8, uint16_t op32, int op32_len,
		 uint32_t label)
{
	uint32_t j = jump_site(b), target;
	int is_short;

	if (b->err)
		return;
	target = b->lab_cur[label];
	if (target != LABEL_UNBOUND) {
		/* Backward: the distance is exact now. */
		int64_t d8 = (int64_t)target - (b->pos + 2);

		if (fits8(d8)) {
			x64_emit1(b, op8);
			x64_emit1(b, (uint8_t)d8);
		} else {
			if (op32_len == 2)
				x64_emit2(b, op32);
			else
				x64_emit1(b, (uint8_t)op32);
			x64_emit4(b, (uint32_t)(target - (b->pos + 4)));
		}
		return;
	}
	/* Forward: rel8 if it fitted in the previous pass, where every
	 * instruction was at least as long as now. */
	is_short = b->jmp_short[j];
	if (!is_short && b->lab_prev[label] != LABEL_UNBOUND &&
	    b->jmp_prev[j] != LABEL_UNBOUND)
		is_short = fits8((int64_t)b->lab_prev[label] -
				 (b->jmp_prev[j] + 2));
	b->jmp_short[j] = (uint8_t)is_short;
	if (is_short) {
		x64_emit1(b, op8);
	} else if (op32_len == 2) {
		x64_emit2(b, op32);
	} else {
		x64_emit1(b, (uint8_t)op32);
	}
	if (b->img)
		add_fixup(b, label, is_short);
	if (is_short)
		x64_emit1(b, 0);
	else
		x64_emit4(b, 0);
}

void x64_jcc(struct jit_buf *b, enum x86_cc cc, uint32_t label)
{
	/* jcc rel8 = 70+cc cb; jcc rel32 = 0F 80+cc cd */
	jump(b, (uint8_t)(0x70 | cc), (uint16_t)(0x0f | (0x80 | cc) << 8), 2,
	     label);
}

void x64_jmp(struct jit_buf *b, uint32_t label)
{
	jump(b, 0xeb, 0xe9, 1, label);  /* jmp rel8 = EB cb; jmp rel32 = E9 cd */
}

int x64_resolve_fixups(struct jit_buf *b)
{
	for (uint32_t i = 0; i < b->nfix && !b->err; i++) {
		const struct jit_fixup *f = &b->fix[i];
		uint32_t target = b->lab_cur[f->label];
		int64_t d = (int64_t)target - (f->site + (f->is_short ? 1 : 4));

		if (target == LABEL_UNBOUND || (f->is_short && !fits8(d)))
			b->err = DPF_E_JIT;
		else if (f->is_short)
			patch1(b, f->site, (uint8_t)d);
		else
			patch4(b, f->site, (uint32_t)d);
	}
	return b->err;
}

/* ---- Layer 3: instructions ---- */

void x64_mov_rr32(struct jit_buf *b, int dst, int src)
{
	rex(b, 0, src, 0, dst);
	x64_emit1(b, 0x89);            /* mov r/m32, r32 */
	modrm_rr(b, src, dst);
}

void x64_mov_rr64(struct jit_buf *b, int dst, int src)
{
	rex(b, 1, src, 0, dst);
	x64_emit1(b, 0x89);            /* mov r/m64, r64 */
	modrm_rr(b, src, dst);
}

void x64_mov_ri32(struct jit_buf *b, int dst, uint32_t imm)
{
	rex(b, 0, 0, 0, dst);
	x64_emit1(b, (uint8_t)(0xb8 | (dst & 7)));  /* mov r32, imm32 */
	x64_emit4(b, imm);
}

void x64_mov_ri64(struct jit_buf *b, int dst, uint64_t imm)
{
	rex(b, 1, 0, 0, dst);
	x64_emit1(b, (uint8_t)(0xb8 | (dst & 7)));  /* mov r64, imm64 (movabs) */
	x64_emit8(b, imm);
}

void x64_xor_rr32(struct jit_buf *b, int dst, int src)
{
	rex(b, 0, src, 0, dst);
	x64_emit1(b, 0x31);            /* xor r/m32, r32 */
	modrm_rr(b, src, dst);
}

void x64_not32(struct jit_buf *b, int reg)
{
	rex(b, 0, 0, 0, reg);
	x64_emit1(b, 0xf7);            /* not r/m32 (F7 /2) */
	modrm_rr(b, 2, reg);
}

/* add/and/cmp r32, imm: 83 /ext ib when the immediate sign-extends from
 * 8 bits, else 81 /ext id. */
void x64_alu_ri32(struct jit_buf *b, int ext, int reg, uint32_t imm)
{
	rex(b, 0, 0, 0, reg);
	if (fits8((int32_t)imm)) {
		x64_emit1(b, 0x83);    /* op r/m32, imm8 */
		modrm_rr(b, ext, reg);
		x64_emit1(b, (uint8_t)imm);
	} else {
		x64_emit1(b, 0x81);    /* op r/m32, imm32 */
		modrm_rr(b, ext, reg);
		x64_emit4(b, imm);
	}
}

void x64_neg32(struct jit_buf *b, int reg)
{
	rex(b, 0, 0, 0, reg);
	x64_emit1(b, 0xf7);            /* neg r/m32 (F7 /3): CF = (reg != 0) */
	modrm_rr(b, 3, reg);
}

void x64_sbb_rr32(struct jit_buf *b, int dst, int src)
{
	rex(b, 0, src, 0, dst);
	x64_emit1(b, 0x19);            /* sbb r/m32, r32 */
	modrm_rr(b, src, dst);
}

void x64_and_rm32(struct jit_buf *b, int reg, int base, int index,
		  int32_t disp)
{
	rex_mem(b, 0, reg, base, index);
	x64_emit1(b, 0x23);            /* and r32, dword [base + index + disp] */
	modrm_mem(b, reg, base, index, disp);
}

void x64_cmp_rr32(struct jit_buf *b, int a, int c)
{
	rex(b, 0, c, 0, a);
	x64_emit1(b, 0x39);            /* cmp r/m32(a), r32(c) */
	modrm_rr(b, c, a);
}

/* cmp byte/word/dword [base + index + disp], imm: 80 /7 ib for 8 bits;
 * 83 /7 ib when the immediate sign-extends from 8 bits, else 81 /7 iw/id
 * (with the 66 prefix for 16 bits). */
void x64_cmp_mi(struct jit_buf *b, int width, int base, int index,
		int32_t disp, uint32_t imm)
{
	int short_imm = width != DPF_W8 &&
			fits8(width == DPF_W16 ? (int16_t)imm : (int32_t)imm);

	if (width == DPF_W16)
		x64_emit1(b, 0x66);    /* operand-size prefix: 16 bits */
	rex_mem(b, 0, 0, base, index);
	x64_emit1(b, width == DPF_W8 ? 0x80 : short_imm ? 0x83 : 0x81);
	modrm_mem(b, 7, base, index, disp);
	if (width == DPF_W8 || short_imm)
		x64_emit1(b, (uint8_t)imm);
	else if (width == DPF_W16)
		x64_emit2(b, (uint16_t)imm);
	else
		x64_emit4(b, imm);
}

void x64_cmp_rr64(struct jit_buf *b, int a, int c)
{
	rex(b, 1, c, 0, a);
	x64_emit1(b, 0x39);            /* cmp r/m64(a), r64(c) */
	modrm_rr(b, c, a);
}

/* cmp of the low 8, 16 or 32 bits of reg with memory. reg must be one
 * of rax..rbx for 8 bits (without REX, 4..7 would be ah..bh). */
void x64_cmp_rm(struct jit_buf *b, int width, int reg, int base, int index,
		int32_t disp)
{
	if (width == DPF_W16)
		x64_emit1(b, 0x66);    /* operand-size prefix: 16 bits */
	rex_mem(b, 0, reg, base, index);
	if (width == DPF_W8)
		x64_emit1(b, 0x3a);    /* cmp r8, byte [base + index + disp] */
	else
		x64_emit1(b, 0x3b);    /* cmp r16/r32, [base + index + disp] */
	modrm_mem(b, reg, base, index, disp);
}

void x64_cmp_mi32(struct jit_buf *b, int base, int index, int32_t disp,
		   int8_t imm)
{
	rex_mem(b, 0, 0, base, index);
	x64_emit1(b, 0x83);            /* cmp dword [base + index + disp], imm8 */
	modrm_mem(b, 7, base, index, disp);
	x64_emit1(b, (uint8_t)imm);
}

void x64_test_rr(struct jit_buf *b, int w64, int a, int c)
{
	rex(b, w64, c, 0, a);
	x64_emit1(b, 0x85);            /* test r/m, r */
	modrm_rr(b, c, a);
}

void x64_cmov32(struct jit_buf *b, enum x86_cc cc, int dst, int src)
{
	rex(b, 0, dst, 0, src);
	x64_emit1(b, 0x0f);            /* cmovcc r32(dst), r/m32(src) = 0F 40+cc */
	x64_emit1(b, (uint8_t)(0x40 | cc));
	modrm_rr(b, dst, src);
}

void x64_cmov64(struct jit_buf *b, enum x86_cc cc, int dst, int src)
{
	rex(b, 1, dst, 0, src);
	x64_emit1(b, 0x0f);            /* cmovcc r64(dst), r/m64(src) = 0F 40+cc */
	x64_emit1(b, (uint8_t)(0x40 | cc));
	modrm_rr(b, dst, src);
}

void x64_shift_ri32(struct jit_buf *b, int ext, int reg, uint8_t n)
{
	rex(b, 0, 0, 0, reg);
	x64_emit1(b, 0xc1);            /* shl/shr r/m32, imm8 (C1 /4, C1 /5) */
	modrm_rr(b, ext, reg);
	x64_emit1(b, n);
}

void x64_shift_ri64(struct jit_buf *b, int ext, int reg, uint8_t n)
{
	rex(b, 1, 0, 0, reg);
	x64_emit1(b, 0xc1);            /* shl/shr r/m64, imm8 (REX.W C1 /4, /5) */
	modrm_rr(b, ext, reg);
	x64_emit1(b, n);
}

void x64_imul_ri32(struct jit_buf *b, int dst, int src, uint32_t imm)
{
	rex(b, 0, dst, 0, src);
	x64_emit1(b, 0x69);            /* imul r32, r/m32, imm32 */
	modrm_rr(b, dst, src);
	x64_emit4(b, imm);
}

void x64_lea(struct jit_buf *b, int w64, int dst, int base, int index,
	      int32_t disp)
{
	rex_mem(b, w64, dst, base, index);
	x64_emit1(b, 0x8d);            /* lea r, [base + index + disp] */
	modrm_mem(b, dst, base, index, disp);
}

void x64_lea_rip(struct jit_buf *b, int dst, uint32_t target)
{
	rex(b, 1, dst, 0, 0);
	x64_emit1(b, 0x8d);            /* lea r64, [rip + disp32] */
	x64_emit1(b, (uint8_t)((dst & 7) << 3 | 5));
	x64_emit4(b, target - (b->pos + 4));
}

void x64_add_rr64(struct jit_buf *b, int dst, int src)
{
	rex(b, 1, src, 0, dst);
	x64_emit1(b, 0x01);            /* add r/m64(dst), r64(src) */
	modrm_rr(b, src, dst);
}

/* A big-endian field of 1, 2 or 4 bytes into dst, zero-extended. */
void x64_load_be(struct jit_buf *b, int width, int dst, int base, int index,
		  int32_t disp)
{
	switch (width) {
	case DPF_W8:
		rex_mem(b, 0, dst, base, index);
		x64_emit2(b, 0xb60f);  /* movzx r32, byte [mem] */
		modrm_mem(b, dst, base, index, disp);
		break;
	case DPF_W16:
		rex_mem(b, 0, dst, base, index);
		x64_emit2(b, 0xb70f);  /* movzx r32, word [mem] */
		modrm_mem(b, dst, base, index, disp);
		x64_emit1(b, 0x66);    /* rol r16, 8 (swap the two bytes) */
		rex(b, 0, 0, 0, dst);
		x64_emit1(b, 0xc1);
		modrm_rr(b, 0, dst);
		x64_emit1(b, 8);
		break;
	default:
		x64_load_rm32(b, dst, base, index, disp);
		rex(b, 0, 0, 0, dst);
		x64_emit1(b, 0x0f);    /* bswap r32 = 0F C8+r */
		x64_emit1(b, (uint8_t)(0xc8 | (dst & 7)));
	}
}

/* A field of 1, 2 or 4 bytes into dst as memory holds it (zero-extended). */
void x64_load_le(struct jit_buf *b, int width, int dst, int base, int index,
		 int32_t disp)
{
	if (width == DPF_W32) {
		x64_load_rm32(b, dst, base, index, disp);
		return;
	}
	rex_mem(b, 0, dst, base, index);
	/* movzx r32, byte [mem] / movzx r32, word [mem] */
	x64_emit2(b, width == DPF_W8 ? 0xb60f : 0xb70f);
	modrm_mem(b, dst, base, index, disp);
}

void x64_load_rm32(struct jit_buf *b, int dst, int base, int index,
		    int32_t disp)
{
	rex_mem(b, 0, dst, base, index);
	x64_emit1(b, 0x8b);            /* mov r32, dword [mem] */
	modrm_mem(b, dst, base, index, disp);
}

void x64_load_rm64(struct jit_buf *b, int dst, int base, int index,
		    int32_t disp)
{
	rex_mem(b, 1, dst, base, index);
	x64_emit1(b, 0x8b);            /* mov r64, qword [mem] */
	modrm_mem(b, dst, base, index, disp);
}

void x64_push(struct jit_buf *b, int reg)
{
	rex(b, 0, 0, 0, reg);
	x64_emit1(b, (uint8_t)(0x50 | (reg & 7)));  /* push r64 */
}

void x64_pop(struct jit_buf *b, int reg)
{
	rex(b, 0, 0, 0, reg);
	x64_emit1(b, (uint8_t)(0x58 | (reg & 7)));  /* pop r64 */
}

void x64_jmp_reg(struct jit_buf *b, int reg)
{
	rex(b, 0, 0, 0, reg);
	x64_emit1(b, 0xff);            /* jmp r/m64 (FF /4) */
	modrm_rr(b, 4, reg);
}

void x64_ret(struct jit_buf *b)
{
	x64_emit1(b, 0xc3);            /* ret */
}
