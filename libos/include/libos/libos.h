/*
 * The libOS runtime linked into every user program (libos.a): program
 * start (crt0.S, then start.c sets up upcalls and calls main(argc, argv,
 * envp) and exits with its result), exit, console output, argument
 * lookup, system calls, upcalls with default handlers, the resource
 * wrappers and the page allocator. exec is <libos/exec.h>, the initrd's
 * archive format <libos/tar.h>.
 */
#ifndef LIBOS_LIBOS_H
#define LIBOS_LIBOS_H

#include <libos/args.h>
#include <libos/console.h>
#include <libos/page.h>
#include <libos/resource.h>
#include <libos/syscall.h>
#include <libos/upcall.h>

int main(int argc, char **argv, char **envp);

void exit(int status) __attribute__((noreturn));

#endif /* LIBOS_LIBOS_H */
