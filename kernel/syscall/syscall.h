/*
 * Helpers shared by the system call handlers: the frame of the call being
 * handled (for calls that block or switch), and argument decoders that
 * check one argument completely and return a negative error or 0.
 */
#ifndef SYSCALL_SYSCALL_H
#define SYSCALL_SYSCALL_H

#include <stdint.h>

#include <arch/trap.h>

struct env;

struct trapframe *syscall_tf(void);

/* A live env by id (any env, for grants, IPC and yield). */
int decode_env(uint64_t id, struct env **out);

/* A child of the caller by id, including zombies. */
int decode_child(struct env *self, uint64_t id, struct env **out);

/* A user address below EXO_USER_TOP (not checked for being mapped). */
int decode_uaddr(uint64_t va);

#endif /* SYSCALL_SYSCALL_H */
