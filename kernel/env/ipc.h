/*
 * IPC: the smallest message passing that lets envs coordinate: a
 * one-message mailbox per env holding (sender, word 0, word 1). A message
 * is delivered to a receiver blocked in ipc_recv, else by the IPC upcall
 * if the receiver registered one, else it waits in the mailbox for the
 * next ipc_recv. A full mailbox refuses the sender with -EXO_EAGAIN.
 */
#ifndef ENV_IPC_H
#define ENV_IPC_H

#include <stdint.h>

#include <arch/trap.h>

struct env;

int ipc_send(struct env *from, struct env *to, uint64_t w0, uint64_t w1);

/* Returns 0 (message copied to buf) or an error; may block the caller. */
int ipc_recv(struct env *e, uint64_t buf, struct trapframe *tf);

/* Take the mailbox's message for an IPC upcall: 1 and a[3], or 0. */
int ipc_take(struct env *e, uint64_t a[3]);

void ipc_drop_env(struct env *e);

#endif /* ENV_IPC_H */
