/*
 * printf-style formatting without a C library: the core behind the loader's
 * and kernel's console output and user programs' printf.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%, with flags '-' '0' '+' ' ' '#',
 * width and precision (either may be '*'), and length modifiers hh h l ll z
 * t j. A NULL %s prints "(null)"; %p prints 0x followed by lower-case hex
 * (a NULL pointer prints "0x0"). No floating point: freestanding code here is
 * built with -mgeneral-regs-only. An unknown conversion is copied verbatim.
 */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_putc_fn)(void *ctx, char c);

/* Format to put(ctx, c), one character at a time; returns chars emitted. */
int fmt_vformat(fmt_putc_fn put, void *ctx, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/*
 * C99 snprintf semantics: writes at most size-1 characters and a NUL (if
 * size > 0), returns the length the full output would have had. buf may be
 * NULL when size is 0.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* LIB_FMT_H */
