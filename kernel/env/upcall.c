#include <stddef.h>

#include <arch/cpu.h>
#include <arch/gdt.h>
#include <env/env.h>
#include <env/ipc.h>
#include <env/revoke.h>
#include <env/upcall.h>
#include <exo/bootinfo.h>
#include <exo/errno.h>
#include <exo/resource.h>
#include <mm/usercopy.h>
#include <sched/sched.h>

/* The flags a libOS may set in its own context (SDM Vol. 1 3.4.3). */
#define USER_RFLAGS (RFLAGS_CF | 0x4 | 0x10 | 0x40 | 0x80 | RFLAGS_TF | \
		     RFLAGS_DF | 0x800 | RFLAGS_AC)

/* 1 if e is inside an upcall, 0 if not, -1 if its area is unusable. */
static int in_upcall(struct env *e)
{
	uint64_t v;

	if (e->area == 0 ||
	    copy_from_user(&e->as, &v, e->area + EXO_AREA_IN_UPCALL, sizeof(v)) != 0)
		return -1;
	return v != 0;
}

static int enter(struct env *e, struct trapframe *tf, int kind, uint64_t a0,
		 uint64_t a1, uint64_t a2)
{
	struct exo_upcall_area a = {
		.regs = { tf->rax, tf->rbx, tf->rcx, tf->rdx, tf->rsi, tf->rdi,
			  tf->rbp, tf->r8, tf->r9, tf->r10, tf->r11, tf->r12,
			  tf->r13, tf->r14, tf->r15, tf->rip, tf->rsp, tf->rflags },
		.in_upcall = 1,
		.kind = (uint64_t)kind,
		.args = { a0, a1, a2 },
		.count = ++e->bk->upcalls,
	};

	if (copy_to_user(&e->as, e->area, &a, sizeof(a)) != 0)
		return -1;
	tf->rip = e->sig[kind];
	tf->rsp = e->upstack;
	tf->rdi = (uint64_t)kind;
	tf->rsi = a0;
	tf->rdx = a1;
	tf->r8 = a2;
	tf->rflags = RFLAGS_FIXED | RFLAGS_IF;
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	return 0;
}

int upcall_sync(struct env *e, struct trapframe *tf, int kind, uint64_t a0,
		uint64_t a1, uint64_t a2)
{
	if (e->sig[kind] == 0 || in_upcall(e) != 0)
		return -1;
	return enter(e, tf, kind, a0, a1, a2);
}

/* The next asynchronous upcall due for e, if any: its kind and arguments. */
static int next_async(struct env *e, uint64_t a[3])
{
	if (e->epi == EPI_PENDING) {
		e->epi = EPI_DELIVERED;
		a[0] = sched_cur_slice(), a[1] = e->grace_end, a[2] = 0;
		return EXO_SIG_EPILOGUE;
	}
	if (revoke_has_pending(e) && e->sig[EXO_SIG_REVOC_REQ] &&
	    revoke_take_pending(e, &a[0], &a[1], &a[2]))
		return EXO_SIG_REVOC_REQ;
	if (e->pend & PEND_PROLOGUE) {
		e->pend &= ~PEND_PROLOGUE;
		a[0] = sched_cur_slice(), a[1] = sched_slice_end(), a[2] = 0;
		return EXO_SIG_PROLOGUE;
	}
	if ((e->pend & PEND_IPC) && ipc_take(e, a))
		return EXO_SIG_IPC;
	if (e->pend & PEND_PACKET) {
		e->pend &= ~PEND_PACKET;
		a[0] = e->packet[0], a[1] = e->packet[1], a[2] = e->packet[2];
		return EXO_SIG_PACKET;
	}
	return -1;
}

int upcall_post(struct env *e, int kind, uint64_t a0, uint64_t a1, uint64_t a2)
{
	if (kind != EXO_SIG_PACKET || e->sig[kind] == 0)
		return -1;
	e->packet[0] = a0, e->packet[1] = a1, e->packet[2] = a2;
	e->pend |= PEND_PACKET;
	sched_interrupt(e);
	return 0;
}

int upcall_pending(const struct env *e)
{
	return (e->epi == EPI_PENDING && e->sig[EXO_SIG_EPILOGUE]) ||
	       ((e->pend & PEND_PROLOGUE) && e->sig[EXO_SIG_PROLOGUE]) ||
	       ((e->pend & PEND_IPC) && e->sig[EXO_SIG_IPC]) ||
	       ((e->pend & PEND_PACKET) && e->sig[EXO_SIG_PACKET]) ||
	       (e->sig[EXO_SIG_REVOC_REQ] && revoke_has_pending(e));
}

void upcall_async(struct env *e, struct trapframe *tf)
{
	uint64_t a[3];

	if (e->epi != EPI_PENDING && e->pend == 0 && !revoke_has_pending(e))
		return;
	if (in_upcall(e) != 0)
		return;   /* later: after the libOS resumes */
	int kind = next_async(e, a);
	if (kind >= 0 && e->sig[kind])
		enter(e, tf, kind, a[0], a[1], a[2]);
}

int upcall_leave(struct env *e)
{
	struct exo_upcall_area a;

	if (e->area == 0)
		return -EXO_EINVAL;
	if (copy_from_user(&e->as, &a, e->area, sizeof(a)) != 0)
		return -EXO_EFAULT;
	if (!a.in_upcall)
		return -EXO_EINVAL;
	/* IRETQ to a non-canonical rip would fault in ring 0: refuse it here. */
	if (a.regs.rip >= EXO_USER_TOP || a.regs.rsp >= EXO_USER_TOP)
		return -EXO_EINVAL;
	uint64_t zero = 0;
	if (copy_to_user(&e->as, e->area + EXO_AREA_IN_UPCALL, &zero, sizeof(zero)) != 0)
		return -EXO_EFAULT;
	const struct exo_uregs *r = &a.regs;
	struct trapframe *t = &e->tf;
	t->rax = r->rax, t->rbx = r->rbx, t->rcx = r->rcx, t->rdx = r->rdx;
	t->rsi = r->rsi, t->rdi = r->rdi, t->rbp = r->rbp;
	t->r8 = r->r8, t->r9 = r->r9, t->r10 = r->r10, t->r11 = r->r11;
	t->r12 = r->r12, t->r13 = r->r13, t->r14 = r->r14, t->r15 = r->r15;
	t->rip = r->rip, t->rsp = r->rsp;
	t->rflags = (r->rflags & USER_RFLAGS) | RFLAGS_FIXED | RFLAGS_IF;
	t->cs = USER_CS, t->ss = USER_DS;
	t->vector = 0;   /* rcx and r11 may be live: return with IRETQ */
	return 0;
}
