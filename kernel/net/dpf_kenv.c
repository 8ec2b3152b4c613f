/*
 * The kernel's struct dpf_env (net/dpf_kenv.h). Small blocks come from
 * seven power-of-two size classes, each a free list threaded through
 * the free blocks themselves; a class grows one frame at a time and
 * keeps its frames (the tries of a running system reach a steady size,
 * so handing frames back would only churn). Blocks above 2048 bytes are
 * runs of contiguous frames and go straight back to pmem when freed.
 *
 * JIT images follow W^X through the kernel's page tables: code_alloc
 * maps fresh frames at the top of the JIT window as present, writable,
 * no-execute; code_seal rewrites each PTE as present, read-only,
 * executable and flushes the TLB entry (SDM Vol. 3A 4.10.4.1: INVLPG
 * also drops global entries); code_free clears the PTEs, flushes, and
 * frees the frames. Freed address ranges are kept in a small first-fit
 * list and reused, so the page tables under the window stop growing once
 * the tries reach their working size (the flood test's leak check relies
 * on it); if the list is full a range is simply not reused.
 */
#include <string.h>

#include <arch/cpu.h>
#include <arch/paging.h>
#include <console/console.h>
#include <dpf/dpf_env.h>
#include <mm/kvm.h>
#include <mm/phys.h>
#include <mm/pmem.h>
#include <net/dpf_kenv.h>

#define MIN_SHIFT 5                 /* 32 bytes */
#define MAX_SHIFT 11                /* 2048 bytes */
#define NCLASS (MAX_SHIFT - MIN_SHIFT + 1)

struct free_block {
	struct free_block *next;
};

static struct free_block *classes[NCLASS];
static struct dpf_kenv_stats st;
static uint64_t jit_next = KVM_JIT_BASE;

/* Freed ranges of the JIT window: [va, va + pages * PAGE_SIZE). */
#define NHOLE 64
static struct { uint64_t va, pages; } holes[NHOLE];
static unsigned nholes;

/* A range of n pages: from the hole list (first fit), else fresh. */
static uint64_t jit_va_take(uint64_t n)
{
	for (unsigned i = 0; i < nholes; i++) {
		if (holes[i].pages < n)
			continue;
		uint64_t va = holes[i].va;
		holes[i].va += n * PAGE_SIZE;
		holes[i].pages -= n;
		if (holes[i].pages == 0)
			holes[i] = holes[--nholes];
		return va;
	}
	if (jit_next + n * PAGE_SIZE > KVM_JIT_BASE + KVM_JIT_SIZE)
		return 0;
	uint64_t va = jit_next;
	jit_next += n * PAGE_SIZE;
	st.code_va_used = jit_next - KVM_JIT_BASE;
	return va;
}

static void jit_va_give(uint64_t va, uint64_t n)
{
	if (n > 0 && nholes < NHOLE)
		holes[nholes++] = (typeof(holes[0])){ va, n };
}

static unsigned class_of(size_t size)
{
	unsigned c = 0;

	while (((size_t)1 << (MIN_SHIFT + c)) < size)
		c++;
	return c;
}

static uint64_t pages_of(size_t size)
{
	return (size + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* Carve one fresh frame into blocks of class c. */
static int class_grow(unsigned c)
{
	uint64_t pa = pmem_alloc();
	size_t bs = (size_t)1 << (MIN_SHIFT + c);

	if (pa == 0)
		return -1;
	uint8_t *p = pa2va(pa);
	for (size_t off = 0; off < PAGE_SIZE; off += bs) {
		struct free_block *b = (struct free_block *)(p + off);
		b->next = classes[c];
		classes[c] = b;
	}
	st.heap_frames++;
	return 0;
}

static void *kenv_alloc(void *ctx, size_t size)
{
	(void)ctx;
	if (size == 0)
		size = 1;
	if (size > ((size_t)1 << MAX_SHIFT)) {
		uint64_t n = pages_of(size);
		uint64_t pa = pmem_alloc_contig(n);
		if (pa == 0)
			return NULL;
		st.heap_frames += n;
		st.heap_bytes += size;
		return pa2va(pa);     /* pmem hands out zeroed frames */
	}
	unsigned c = class_of(size);
	if (classes[c] == NULL && class_grow(c) < 0)
		return NULL;
	struct free_block *b = classes[c];
	classes[c] = b->next;
	st.heap_bytes += size;
	memset(b, 0, (size_t)1 << (MIN_SHIFT + c));
	return b;
}

static void kenv_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	if (p == NULL)
		return;
	if (size == 0)
		size = 1;
	st.heap_bytes -= size;
	if (size > ((size_t)1 << MAX_SHIFT)) {
		uint64_t n = pages_of(size), pa = va2pa(p);
		for (uint64_t i = 0; i < n; i++)
			pmem_free(pa + i * PAGE_SIZE);
		st.heap_frames -= n;
		return;
	}
	unsigned c = class_of(size);
	struct free_block *b = p;
	b->next = classes[c];
	classes[c] = b;
}

static uint64_t *jit_pte(uint64_t va)
{
	return pt_lookup(kvm_pml4(), va, pmem_alloc, 0);
}

static void kenv_code_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	if (p == NULL)
		return;
	uint64_t va = (uint64_t)p, n = pages_of(size);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t *pte = pt_lookup(kvm_pml4(), va + i * PAGE_SIZE, NULL, 0);
		if (pte == NULL || !(*pte & PTE_P))
			panic("dpf: JIT page %#lx not mapped", (unsigned long)(va + i * PAGE_SIZE));
		uint64_t pa = *pte & PTE_ADDR;
		*pte = 0;
		invlpg(va + i * PAGE_SIZE);
		pmem_free(pa);
		st.code_frames--;
	}
	jit_va_give(va, n);
}

static void *kenv_code_alloc(void *ctx, size_t size)
{
	uint64_t n = pages_of(size), va = size ? jit_va_take(n) : 0;

	if (va == 0)
		return NULL;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t pa = pmem_alloc();
		uint64_t *pte = pa ? jit_pte(va + i * PAGE_SIZE) : NULL;
		if (pte == NULL) {
			if (pa)
				pmem_free(pa);
			kenv_code_free(ctx, (void *)va, i * PAGE_SIZE);
			jit_va_give(va + i * PAGE_SIZE, n - i);
			return NULL;
		}
		*pte = pa | PTE_P | PTE_W | PTE_NX | PTE_G;
		invlpg(va + i * PAGE_SIZE);
		st.code_frames++;
	}
	return (void *)va;
}

static int kenv_code_seal(void *ctx, void *p, size_t size)
{
	uint64_t va = (uint64_t)p, n = pages_of(size);

	(void)ctx;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t *pte = pt_lookup(kvm_pml4(), va + i * PAGE_SIZE, NULL, 0);
		if (pte == NULL || !(*pte & PTE_P))
			return -1;
		*pte = (*pte & PTE_ADDR) | PTE_P | PTE_G;   /* read + execute only */
		invlpg(va + i * PAGE_SIZE);
	}
	return 0;
}

static const struct dpf_env kenv = {
	.alloc = kenv_alloc,
	.free = kenv_free,
	.code_alloc = kenv_code_alloc,
	.code_seal = kenv_code_seal,
	.code_free = kenv_code_free,
	.ctx = NULL,
};

const struct dpf_env *dpf_kenv(void)
{
	return &kenv;
}

void dpf_kenv_stats(struct dpf_kenv_stats *out)
{
	*out = st;
}
