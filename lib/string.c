/*
 * Memory and string primitives for freestanding code.
 *
 * The block operations use `rep movsb` / `rep stosb`: on every x86-64 CPU
 * with ERMS (Intel SDM Vol. 1, 7.3.9.3 "Fast-String Operation") they are as
 * fast as an unrolled loop, they are tiny, and they cannot be "optimised"
 * by GCC back into a call to the very function being defined (which a plain
 * C loop can be: -ftree-loop-distribute-patterns turns it into memcpy()).
 *
 * memmove's backward copy sets the direction flag for one instruction; the
 * kernel's interrupt entry clears DF anyway (the System V ABI promises DF=0
 * only at call boundaries, AMD64 psABI 3.2.1).
 *
 * Host builds (-DEXO_HOST) use the C library; tests/lib/test_string.c
 * builds this file with LIB_STRING_TEST to check it beside libc's.
 */
#if !defined(EXO_HOST) || defined(LIB_STRING_TEST)

#include <stddef.h>
#include <stdint.h>

#ifndef LIB_STRING_TEST
#include "string.h"
#endif

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb"
			 : "+D"(d), "+S"(src), "+c"(n)
			 :
			 : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

	if (d - s >= n) {
		/* dst is below src, or past its end: a forward copy is safe. */
		return memcpy(dst, src, n);
	}
	/* dst overlaps the tail of src: copy backwards, last byte first. */
	if (n != 0) {
		void *dl = (char *)dst + n - 1;
		const void *sl = (const char *)src + n - 1;

		__asm__ volatile("std\n\trep movsb\n\tcld"
				 : "+D"(dl), "+S"(sl), "+c"(n)
				 :
				 : "memory");
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb"
			 : "+D"(d), "+c"(n)
			 : "a"(c)
			 : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (size_t i = 0; i < n; i++) {
		if (p[i] != q[i])
			return p[i] < q[i] ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p != '\0' && *p == *q) {
		p++;
		q++;
	}
	return (*p > *q) - (*p < *q);
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (size_t i = 0; i < n; i++) {
		if (p[i] != q[i] || p[i] == '\0')
			return (p[i] > q[i]) - (p[i] < q[i]);
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

#endif /* !EXO_HOST || LIB_STRING_TEST */
