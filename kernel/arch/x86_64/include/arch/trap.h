/*
 * Interrupt and exception vectors, the saved register frame, and the IDT.
 *
 * Vectors 0-31 are the architectural exceptions (SDM Vol. 3A 6.3.1,
 * Table 6-1). Vectors 32-47 are where the (masked) legacy PIC would deliver,
 * so that a stray PIC interrupt is recognisable instead of looking like an
 * exception. The LAPIC timer and the LAPIC spurious vector sit above.
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stddef.h>
#include <stdint.h>

#include <arch/trapframe_asm.h>

#define T_DE  0   /* divide error */
#define T_DB  1
#define T_NMI 2
#define T_BP  3
#define T_OF  4
#define T_BR  5
#define T_UD  6   /* invalid opcode */
#define T_NM  7
#define T_DF  8   /* double fault */
#define T_TS  10
#define T_NP  11
#define T_SS  12
#define T_GP  13  /* general protection */
#define T_PF  14  /* page fault */
#define T_MF  16
#define T_AC  17
#define T_MC  18
#define T_XM  19
#define T_VE  20
#define T_CP  21

#define T_PIC_BASE 32   /* legacy PIC remapped here, all lines masked */
#define T_TIMER    48   /* LAPIC timer */
#define T_SPURIOUS 255  /* LAPIC spurious vector (SDM 11.9: low 4 bits 1111) */
#define T_SYSCALL  256  /* pseudo vector in frames built by the syscall entry */

/* Page-fault error code bits (SDM Vol. 3A 4.7). */
#define PF_P     (1u << 0)  /* protection violation (else not present) */
#define PF_W     (1u << 1)
#define PF_U     (1u << 2)
#define PF_RSVD  (1u << 3)
#define PF_I     (1u << 4)  /* instruction fetch */

/*
 * Register frame built by the entry stubs (vectors.S, syscall_entry.S) and
 * consumed by trap_return. The last five words are the CPU's own interrupt
 * frame (SDM Vol. 3A 6.14.2, Figure 6-9).
 */
struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error;
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trapframe) == 22 * 8, "trapframe layout");
_Static_assert(offsetof(struct trapframe, rip) == TF_RIP, "TF_RIP");
_Static_assert(offsetof(struct trapframe, cs) == TF_CS, "TF_CS");
_Static_assert(offsetof(struct trapframe, rflags) == TF_RFLAGS, "TF_RFLAGS");
_Static_assert(offsetof(struct trapframe, ss) == TF_SS, "TF_SS");

/* Fill and load the IDT. */
void idt_init(void);

/* C entry from the stubs; tf is on the kernel stack. */
void trap_dispatch(struct trapframe *tf);

/* Restore tf and return to it with iretq (used to enter user mode). */
void trap_return(const struct trapframe *tf) __attribute__((noreturn));

/* "#PF", "#GP", ... or "IRQ" for vectors >= 32. */
const char *trap_name(uint64_t vector);

/* Print every register of tf (and CR2 for #PF) on the console. */
void trap_dump(const struct trapframe *tf);

static inline int trap_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

#endif /* ARCH_TRAP_H */
