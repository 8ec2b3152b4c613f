/*
 * Kernel console: COM1 serial output with printf-style formatting
 * (lib/fmt), and panic().
 */
#ifndef CONSOLE_CONSOLE_H
#define CONSOLE_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

void console_init(void);

/* Write len bytes as they are (user output goes through here). */
void console_write(const char *buf, size_t len);

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/*
 * Print "PANIC: <message>" and power off with the failure status (QEMU
 * exits with 35). Never returns.
 */
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif /* CONSOLE_CONSOLE_H */
