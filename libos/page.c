#include <exo/book.h>
#include <exo/errno.h>
#include <libos/page.h>
#include <libos/resource.h>
#include <libos/syscall.h>

struct page_rec {
	uint64_t va;       /* 0: unused */
	int64_t handle;
	uint32_t frame;
};

struct region {
	uint64_t base, len;
};

static struct page_rec recs[PAGE_MAX];
static struct region regions[4];
static uint64_t heap_next = PAGE_HEAP_BASE;
static uint32_t scan_hint;

/*
 * Frames this env released lately, reused first (last in, first out):
 * they are likely still in the caches and TLBs, as with the per-CPU
 * free lists of other kernels. Another env may have taken one meanwhile;
 * the bind then simply fails and the next is tried.
 */
#define HOT_MAX 16
static uint32_t hot[HOT_MAX];
static int nhot;
static uint32_t bound[EXO_NHANDLE];   /* frame + 1 bound by page_bind_free */

void page_released(int64_t h)
{
	if (h < 0 || h >= EXO_NHANDLE || bound[h] == 0)
		return;
	if (nhot < HOT_MAX)
		hot[nhot++] = bound[h] - 1;
	bound[h] = 0;
}

static int bind_hot(uint32_t *frame)
{
	const uint16_t *owner = book_owners();

	while (nhot > 0) {
		uint32_t f = hot[--nhot];
		if (owner[f] != EXO_OWNER_FREE)
			continue;
		int h = bind_resource((int)EXO_NAME_PAGE(f));
		if (h >= 0) {
			*frame = f;
			bound[h] = f + 1;
			return h;
		}
	}
	return -1;
}

int page_bind_free(uint32_t *frame)
{
	const struct exo_book *b = exo_book();
	const uint16_t *owner = book_owners();
	int hh = bind_hot(frame);

	if (hh >= 0)
		return hh;
	for (uint32_t k = 0; k < b->nframes; k++) {
		uint32_t f = (scan_hint + k) % b->nframes;
		if (owner[f] != EXO_OWNER_FREE)
			continue;
		int h = bind_resource((int)EXO_NAME_PAGE(f));
		if (h >= 0) {
			scan_hint = f + 1;
			*frame = f;
			bound[h] = f + 1;
			return h;
		}
		if (h != -EXO_EBUSY)
			return h;   /* handle table full, say */
	}
	return -EXO_ENOMEM;
}

static struct page_rec *rec_of(uint64_t va)
{
	for (int i = 0; i < PAGE_MAX; i++)
		if (recs[i].va == va)
			return &recs[i];
	return 0;
}

int page_alloc_at(uint64_t va, unsigned perm)
{
	struct page_rec *r = rec_of(0);
	uint32_t frame;

	if (r == 0)
		return -EXO_ENOMEM;
	int h = page_bind_free(&frame);
	if (h < 0)
		return h;
	long err = sys_page_map(0, h, (void *)va, perm);
	if (err < 0) {
		revoke_resource(h);
		return (int)err;
	}
	*r = (struct page_rec){ va, h, frame };
	return 0;
}

void *page_alloc(void)
{
	uint64_t va = heap_next;

	if (page_alloc_at(va, EXO_PERM_W) != 0)
		return 0;
	heap_next += PAGE_SIZE;
	return (void *)va;
}

int page_free(void *va)
{
	struct page_rec *r = va ? rec_of((uint64_t)va) : 0;

	if (r == 0)
		return -EXO_EINVAL;
	sys_page_unmap(0, va);
	int err = revoke_resource((int)r->handle);
	r->va = 0;
	return err;
}

int64_t page_frame(const void *va)
{
	struct page_rec *r = va ? rec_of((uint64_t)va) : 0;

	return r ? (int64_t)r->frame : -1;
}

int64_t page_handle(const void *va)
{
	struct page_rec *r = va ? rec_of((uint64_t)va) : 0;

	return r ? r->handle : -1;
}

void page_forget_handle(int64_t h)
{
	for (int i = 0; i < PAGE_MAX; i++)
		if (recs[i].va && recs[i].handle == h)
			recs[i].va = 0;
}

int page_demand_region(uint64_t base, uint64_t len)
{
	for (int i = 0; i < 4; i++)
		if (regions[i].len == 0) {
			regions[i] = (struct region){ base, len };
			return 0;
		}
	return -EXO_ENOMEM;
}

int page_demand_fault(uint64_t addr, uint64_t error)
{
	if (error & 1)
		return -1;   /* a protection fault: a page is there already */
	for (int i = 0; i < 4; i++)
		if (regions[i].len && addr >= regions[i].base &&
		    addr - regions[i].base < regions[i].len)
			return page_alloc_at(addr & ~(PAGE_SIZE - 1), EXO_PERM_W);
	return -1;
}
