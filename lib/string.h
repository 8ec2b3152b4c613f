/*
 * Memory and string primitives for freestanding code (loader, kernel, user
 * programs). The names are the standard ones on purpose: GCC emits calls to
 * memcpy, memmove, memset and memcmp by itself (struct copies, zeroing), even
 * under -ffreestanding, so some object must define them.
 *
 * Host builds (-DEXO_HOST) see the C library's <string.h> instead, so that
 * code shared with host tests and tools keeps libc's checked versions.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#ifdef EXO_HOST
#include_next <string.h>
#else

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif /* EXO_HOST */
#endif /* LIB_STRING_H */
