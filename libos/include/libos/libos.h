/*
 * The libOS runtime linked into every user program (libos.a): program
 * start (crt0.S calls main(argc, argv, envp) and exits with its result),
 * exit, console output, argument lookup and system calls.
 */
#ifndef LIBOS_LIBOS_H
#define LIBOS_LIBOS_H

#include <libos/args.h>
#include <libos/console.h>
#include <libos/syscall.h>

int main(int argc, char **argv, char **envp);

void exit(int status) __attribute__((noreturn));

#endif /* LIBOS_LIBOS_H */
