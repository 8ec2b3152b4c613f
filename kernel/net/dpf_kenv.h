/*
 * The kernel's struct dpf_env (dpf/dpf_env.h): the services the DPF
 * engine needs inside the kernel, which has no general heap of its own.
 *
 *   alloc/free   small blocks from power-of-two size classes (32..2048
 *                bytes) carved out of whole frames; larger blocks are
 *                runs of contiguous frames from pmem.
 *   code_*       W^X JIT images: fresh frames mapped read-write and
 *                no-execute in the kernel's JIT window, then (code_seal)
 *                remapped read-execute, never writable again; code_free
 *                unmaps them and returns the frames.
 *
 * Callers serialize (the filter table calls these from system calls, with
 * interrupts off); interrupt handlers never allocate.
 */
#ifndef NET_DPF_KENV_H
#define NET_DPF_KENV_H

#include <stddef.h>
#include <stdint.h>

struct dpf_env;

/* JIT images live in the upper half of the kernel-stack PML4 slot. */
#define KVM_JIT_BASE 0xffffc0c000000000ULL
#define KVM_JIT_SIZE 0x0000004000000000ULL   /* 256 GiB, never reused */

/* The environment every kernel trie is created with. */
const struct dpf_env *dpf_kenv(void);

/* Bytes currently handed out (blocks and images), for leak checks. */
struct dpf_kenv_stats {
	uint64_t heap_bytes;     /* live alloc() bytes */
	uint64_t heap_frames;    /* frames held by the size classes and big blocks */
	uint64_t code_frames;    /* frames of live JIT images */
	uint64_t code_va_used;   /* bytes of the JIT window consumed so far */
};
void dpf_kenv_stats(struct dpf_kenv_stats *out);

#endif /* NET_DPF_KENV_H */
