/* Console output for user programs (through the cputs system call). */
#ifndef LIBOS_CONSOLE_H
#define LIBOS_CONSOLE_H

#include <stdarg.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* s and a newline. */
int puts(const char *s);

#endif /* LIBOS_CONSOLE_H */
