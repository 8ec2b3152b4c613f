/*
 * The C side of upcalls: registration at start-up, the dispatcher called
 * by libos_upcall_entry, and the default handlers.
 */
#include <exo/resource.h>
#include <libos/console.h>
#include <libos/libos.h>
#include <libos/page.h>
#include <libos/resource.h>
#include <libos/syscall.h>
#include <libos/upcall.h>

#define UPCALL_STACK 16384

struct exo_upcall_area libos_area __attribute__((aligned(64)));
static uint8_t upcall_stack[UPCALL_STACK] __attribute__((aligned(16)));
volatile uint64_t libos_upcall_counts[EXO_NSIG];
volatile uint64_t libos_ipc_msg[3];
volatile uint64_t libos_ipc_count;

long libos_upcall(long kind, uint64_t a0, uint64_t a1, uint64_t a2);

/* Trap-type exceptions resume after the instruction: they cannot re-fault. */
static int is_trap(uint64_t vector)
{
	return vector == 1 || vector == 3 || vector == 4;
}

int libos_default_exception(uint64_t vector, uint64_t error, uint64_t addr)
{
	if (vector == 14 && page_demand_fault(addr, error) == 0)
		return 0;
	printf("libos: env %ld: unhandled exception %lu (error %#lx, address %#lx)\n",
	       sys_env_self(), (unsigned long)vector, (unsigned long)error,
	       (unsigned long)addr);
	if (is_trap(vector))
		exit(EXO_WAIT_KILLED | (int)vector);
	/* Let the kernel see it again with nobody to reflect it to. */
	sys_bind_signal(EXO_SIG_EXC, 0);
	return 0;
}

void libos_default_revocation(int64_t handle, uint64_t name, uint64_t deadline)
{
	(void)name, (void)deadline;
	page_forget_handle(handle);   /* if it was one of the allocator's */
	revoke_resource(handle);      /* the kernel unmaps it everywhere */
}

int libos_default_epilogue(uint64_t slice)
{
	(void)slice;
	return 1;   /* the kernel saves nothing we need: give the CPU up at once */
}

static void default_ipc(uint64_t sender, uint64_t w0, uint64_t w1)
{
	libos_ipc_msg[0] = sender;
	libos_ipc_msg[1] = w0;
	libos_ipc_msg[2] = w1;
	libos_ipc_count++;
}

struct libos_handlers libos_handlers = {
	.exception = libos_default_exception,
	.revocation_request = libos_default_revocation,
	.epilogue = libos_default_epilogue,
	.prologue = 0,
	.ipc = default_ipc,
};

long libos_upcall(long kind, uint64_t a0, uint64_t a1, uint64_t a2)
{
	if (kind >= 0 && kind < EXO_NSIG)
		libos_upcall_counts[kind]++;
	switch (kind) {
	case EXO_SIG_EXC:
		libos_handlers.exception(a0, a1, a2);
		return 0;
	case EXO_SIG_REVOC_REQ:
		libos_handlers.revocation_request((int64_t)a0, a1, a2);
		return 0;
	case EXO_SIG_EPILOGUE:
		return libos_handlers.epilogue ? libos_handlers.epilogue(a0) != 0 : 1;
	case EXO_SIG_PROLOGUE:
		if (libos_handlers.prologue)
			libos_handlers.prologue(a0);
		return 0;
	case EXO_SIG_IPC:
		if (libos_handlers.ipc)
			libos_handlers.ipc(a0, a1, a2);
		return 0;
	case EXO_SIG_PACKET:
		if (libos_handlers.packet)
			libos_handlers.packet((int64_t)a0, a1);
		return 0;
	default:
		return 0;
	}
}

void libos_upcall_init(void)
{
	sys_upcall_setup(&libos_area, upcall_stack + UPCALL_STACK);
	sys_bind_signal(EXO_SIG_EXC, (void *)libos_upcall_entry);
	sys_bind_signal(EXO_SIG_REVOC_REQ, (void *)libos_upcall_entry);
	sys_bind_signal(EXO_SIG_EPILOGUE, (void *)libos_upcall_entry);
	/*
	 * No prologue by default (a slice start needs no work here), and no
	 * IPC upcall: messages wait for ipc_recv unless a program asks.
	 */
}
