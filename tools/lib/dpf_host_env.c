/*
 * struct dpf_env on a POSIX host (see dpf_host_env.h).
 */
#include "dpf_host_env.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static int should_fail(struct dpf_host_env *h)
{
	return h->fail_in > 0 && --h->fail_in == 0;
}

static void *host_alloc(void *ctx, size_t size)
{
	struct dpf_host_env *h = ctx;
	void *p;

	if (should_fail(h))
		return NULL;
	p = malloc(size ? size : 1);
	if (p) {
		h->live_blocks++;
		h->live_bytes += size;
		h->total_allocs++;
	}
	return p;
}

static void host_free(void *ctx, void *p, size_t size)
{
	struct dpf_host_env *h = ctx;

	if (!p)
		return;
	h->live_blocks--;
	h->live_bytes -= size;
	free(p);
}

static size_t page_round(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (size + page - 1) / page * page;
}

/* Writable, not executable: the JIT writes the image here first. A re-JIT
 * after every insert would otherwise spend most of its time in page
 * faults, so the last freed block is kept (made RW again, never W+X) and
 * reused when it is big enough. */
static void *host_code_alloc(void *ctx, size_t size)
{
	struct dpf_host_env *h = ctx;
	void *p;

	if (should_fail(h))
		return NULL;
	if (h->spare && h->spare_size >= page_round(size) &&
	    h->spare_size <= 4 * page_round(size) &&
	    mprotect(h->spare, h->spare_size, PROT_READ | PROT_WRITE) == 0) {
		p = h->spare;
		h->spare = NULL;
		if (h->spare_size > page_round(size))
			munmap((char *)p + page_round(size),
			       h->spare_size - page_round(size));
	} else {
		p = mmap(NULL, page_round(size), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
	}
	h->live_code++;
	h->live_code_bytes += size;
	return p;
}

/* W^X: executable from now on, and never writable again. */
static int host_code_seal(void *ctx, void *p, size_t size)
{
	(void)ctx;
	return mprotect(p, page_round(size), PROT_READ | PROT_EXEC);
}

static void host_code_free(void *ctx, void *p, size_t size)
{
	struct dpf_host_env *h = ctx;

	if (!p)
		return;
	h->live_code--;
	h->live_code_bytes -= size;
	dpf_host_env_trim(h);
	h->spare = p;
	h->spare_size = page_round(size);
}

void dpf_host_env_trim(struct dpf_host_env *h)
{
	if (h->spare)
		munmap(h->spare, h->spare_size);
	h->spare = NULL;
	h->spare_size = 0;
}

void dpf_host_env_init(struct dpf_host_env *h)
{
	*h = (struct dpf_host_env){
		.env = {
			.alloc = host_alloc,
			.free = host_free,
			.code_alloc = host_code_alloc,
			.code_seal = host_code_seal,
			.code_free = host_code_free,
			.ctx = h,
		},
	};
}

const struct dpf_env *dpf_host_env(void)
{
	static struct dpf_host_env h;

	if (!h.env.alloc)
		dpf_host_env_init(&h);
	return &h.env;
}
