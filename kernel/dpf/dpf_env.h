/*
 * The platform shim of the DPF library, in the manner of lwIP's arch/cc.h:
 * everything the engine needs from its surroundings, and nothing else.
 *
 * The library runs in two worlds: inside the kernel (freestanding, no libc)
 * and on the host (tests, fuzzers, dpf-replay, dpf-bench). Neither world's
 * headers are included here. Memory comes through struct dpf_env, which the
 * kernel fills with its own allocators and the host with malloc and mmap
 * (tools/lib/dpf_host_env.c). The few byte helpers the library needs are
 * defined below so that no libc symbol is referenced by name.
 */
#ifndef DPF_ENV_H
#define DPF_ENV_H

#include <stddef.h>
#include <stdint.h>

/*
 * Services a demux point needs. Every hook receives ctx first. Sizes are
 * passed back to free/code_free so that the platform needs no headers on
 * its blocks (and so that host tests can check the allocation balance).
 *
 * Executable memory follows W^X: code_alloc returns memory that is writable
 * and NOT executable; after the JIT has written the image it calls
 * code_seal, which must make the block executable and NOT writable (or fail
 * with a non-zero return). The block is never written again afterwards.
 */
struct dpf_env {
	void *(*alloc)(void *ctx, size_t size);          /* NULL on failure */
	void (*free)(void *ctx, void *p, size_t size);   /* p may be NULL */
	void *(*code_alloc)(void *ctx, size_t size);     /* RW, page aligned */
	int (*code_seal)(void *ctx, void *p, size_t size); /* RW -> RX; 0 = ok */
	void (*code_free)(void *ctx, void *p, size_t size);
	void *ctx;
};

/* Byte helpers with the semantics of their C library namesakes. */
static inline void dpf_memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
}

static inline void dpf_memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
}

static inline int dpf_memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

#endif /* DPF_ENV_H */
