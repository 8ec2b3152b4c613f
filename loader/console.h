/*
 * The loader's console: COM1, plus the one way the loader gives up.
 * Every fatal error goes through loader_fail(), which prints
 * "loader: <message>" and powers QEMU off through its isa-debug-exit
 * device (exit status 35), so a broken boot never hangs silently.
 */
#ifndef LOADER_CONSOLE_H
#define LOADER_CONSOLE_H

void console_init(void);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn, format(printf, 1, 2)))
void loader_fail(const char *fmt, ...);

#endif /* LOADER_CONSOLE_H */
