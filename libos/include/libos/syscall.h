/*
 * System calls from user mode. The stubs sys_NAME() and their numbers are
 * generated from kernel/syscall.tbl (build/gen/include/libos/syscalls.h);
 * syscall6() is the raw form, for calls by number (tests use it to try
 * numbers that do not exist). Calling convention: docs/syscalls.md.
 */
#ifndef LIBOS_SYSCALL_H
#define LIBOS_SYSCALL_H

#include <libos/syscalls.h>

static inline long syscall6(long nr, long a0, long a1, long a2, long a3,
			    long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#endif /* LIBOS_SYSCALL_H */
