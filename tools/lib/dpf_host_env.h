/*
 * The host implementation of struct dpf_env (kernel/dpf/dpf_env.h), for
 * tests, fuzzers, dpf-replay and dpf-bench: malloc/free for memory, and
 * mmap(RW) -> mprotect(RX) for JIT images (W^X).
 *
 * It counts live allocations so that tests can check that a delete or a
 * destroy gave back everything, and it can be told to fail the Nth
 * allocation from now, to test the out-of-memory paths.
 */
#ifndef DPF_HOST_ENV_H
#define DPF_HOST_ENV_H

#include <stddef.h>
#include "../../kernel/dpf/dpf_env.h" /* found whatever the -I flags */

struct dpf_host_env {
	struct dpf_env env;    /* pass &h->env to dpf_trie_create */
	size_t live_blocks;    /* alloc - free */
	size_t live_bytes;
	size_t live_code;      /* code_alloc - code_free */
	size_t live_code_bytes;
	size_t total_allocs;
	long fail_in;          /* > 0: the fail_in-th next alloc fails */
	void *spare;           /* the last freed code block, kept mapped RW */
	size_t spare_size;     /* its mapped (page-rounded) size */
};

/* Unmap the spare code block (dpf_host_env keeps one for reuse). */
void dpf_host_env_trim(struct dpf_host_env *h);

void dpf_host_env_init(struct dpf_host_env *h);

/* A process-wide instance for programs that do not need the counters. */
const struct dpf_env *dpf_host_env(void);

#endif /* DPF_HOST_ENV_H */
