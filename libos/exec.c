#include <string.h>

#include <elf64.h>
#include <env/ustack.h>
#include <exo/book.h>
#include <exo/errno.h>
#include <exo/layout.h>
#include <libos/console.h>
#include <libos/exec.h>
#include <libos/page.h>
#include <libos/resource.h>
#include <libos/syscall.h>

#define ARGS_AREA 8192

/* Bind a frame, fill it with fill(ctx, page), give it to child at va. */
static long give_page(long child, uint64_t va, unsigned perm,
		      void (*fill)(void *ctx, uint8_t *page), void *ctx)
{
	uint32_t frame;
	int h = page_bind_free(&frame);

	if (h < 0)
		return h;
	long err = sys_page_map(0, h, (void *)EXEC_SCRATCH_VA, EXO_PERM_W);
	if (err < 0) {
		revoke_resource(h);
		return err;
	}
	fill(ctx, (uint8_t *)EXEC_SCRATCH_VA);
	sys_page_unmap(0, (void *)EXEC_SCRATCH_VA);
	long ch = sys_resource_transfer(h, child);
	if (ch < 0) {
		revoke_resource(h);
		return ch;
	}
	return sys_page_map(child, ch, (void *)va, perm);
}

struct seg_fill {
	const struct elf64_image *img;
	uint64_t va;       /* the page being filled */
	unsigned perm;
};

/* Copy into page `va` the file bytes of every segment that covers it. */
static void fill_segments(void *ctx, uint8_t *page)
{
	struct seg_fill *s = ctx;
	const struct elf64_phdr *ph;
	unsigned i = 0;

	memset(page, 0, PAGE_SIZE);
	while ((ph = elf64_next_load(s->img, &i)) != NULL) {
		uint64_t lo = ph->p_vaddr, hi = ph->p_vaddr + ph->p_filesz;
		uint64_t a = lo > s->va ? lo : s->va;
		uint64_t b = hi < s->va + PAGE_SIZE ? hi : s->va + PAGE_SIZE;
		if (a < b)
			memcpy(page + (a - s->va), s->img->data + ph->p_offset + (a - lo),
			       b - a);
	}
}

/* Permissions of page va: the union over the segments covering it; 0 if none. */
static unsigned page_perm(const struct elf64_image *img, uint64_t va, int *covered)
{
	const struct elf64_phdr *ph;
	unsigned i = 0, perm = 0;

	*covered = 0;
	while ((ph = elf64_next_load(img, &i)) != NULL) {
		uint64_t lo = ph->p_vaddr & ~(PAGE_SIZE - 1);
		uint64_t hi = (ph->p_vaddr + ph->p_memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		if (ph->p_memsz == 0 || va < lo || va >= hi)
			continue;
		*covered = 1;
		perm |= (ph->p_flags & ELF64_PF_W ? EXO_PERM_W : 0) |
			(ph->p_flags & ELF64_PF_X ? EXO_PERM_X : 0);
	}
	return perm;
}

static long load_segments(long child, const struct elf64_image *img)
{
	uint64_t lo = img->vaddr_lo & ~(PAGE_SIZE - 1);

	for (uint64_t va = lo; va < img->vaddr_hi; va += PAGE_SIZE) {
		int covered;
		struct seg_fill s = { img, va, page_perm(img, va, &covered) };
		if (!covered)
			continue;
		long err = give_page(child, va, s.perm, fill_segments, &s);
		if (err < 0)
			return err;
	}
	return 0;
}

struct stack_fill {
	const uint8_t *args;   /* image of [top - ARGS_AREA, top) */
	uint64_t va;
};

static void fill_stack(void *ctx, uint8_t *page)
{
	struct stack_fill *s = ctx;
	uint64_t args_lo = EXO_USER_STACK_TOP - ARGS_AREA;

	if (s->va >= args_lo)
		memcpy(page, s->args + (s->va - args_lo), PAGE_SIZE);
	else
		memset(page, 0, PAGE_SIZE);
}

static long load_stack(long child, const char *const *argv, int argc,
		       uint64_t entry, uint64_t *rsp)
{
	static uint8_t area[ARGS_AREA];
	const uint64_t auxv[] = { EXO_AT_PAGESZ, EXO_PAGE_SIZE, EXO_AT_ENTRY, entry };
	struct ustack_args a = { argv, argc, 0, 0, auxv, 2 };

	memset(area, 0, sizeof(area));
	if (ustack_build(area, sizeof(area), EXO_USER_STACK_TOP, &a, rsp) != 0)
		return -EXO_ERANGE;
	for (int i = 0; i < EXEC_STACK_PAGES; i++) {
		struct stack_fill s = { area, EXO_USER_STACK_TOP - (uint64_t)(i + 1) * PAGE_SIZE };
		long err = give_page(child, s.va, EXO_PERM_W, fill_stack, &s);
		if (err < 0)
			return err;
	}
	return 0;
}

/* Bind `slices` free slices and hand them to child. */
static long give_slices(long child, unsigned slices)
{
	for (unsigned i = 0; i < slices; i++) {
		int s = slice_bind_free(NULL);
		if (s < 0)
			return s;
		long err = sys_resource_transfer(s, child);
		if (err < 0) {
			revoke_resource(s);
			return err;
		}
	}
	return 0;
}

/* A page list must fit user space below the bookkeeping window, clear of
 * the image (the stack lies above the window). */
static int pages_ok(const struct exec_pages *p, const struct elf64_image *img)
{
	if (p->npages == 0)
		return 1;
	if (p->handles == NULL || p->npages > EXEC_PAGES_MAX ||
	    (p->va & (PAGE_SIZE - 1)) != 0 || p->va < EXO_USER_LOAD_MIN ||
	    p->va >= EXO_BOOK_BASE ||
	    (uint64_t)p->npages * PAGE_SIZE > EXO_BOOK_BASE - p->va ||
	    (p->perm & ~(unsigned)EXO_PERM_ALL) != 0)
		return 0;
	uint64_t end = p->va + (uint64_t)p->npages * PAGE_SIZE;
	return end <= (img->vaddr_lo & ~(PAGE_SIZE - 1)) || p->va >= img->vaddr_hi;
}

/* Transfer the listed pages, in order, and map them in child. */
static long give_pages(long child, struct exec_pages *p)
{
	for (uint32_t i = 0; i < p->npages; i++) {
		long ch = sys_resource_transfer(p->handles[i], child);
		if (ch < 0)
			return ch;
		p->given = i + 1;
		long err = sys_page_map(child, ch, (void *)(p->va + (uint64_t)i * PAGE_SIZE),
					p->perm);
		if (err < 0)
			return err;
	}
	return 0;
}

long exec_image(const void *elf, size_t size, const char *const *argv,
		int argc, unsigned caps, unsigned slices)
{
	return exec_image_pages(elf, size, argv, argc, caps, slices, NULL);
}

long exec_image_pages(const void *elf, size_t size, const char *const *argv,
		      int argc, unsigned caps, unsigned slices,
		      struct exec_pages *pages)
{
	struct elf64_image img;
	char why[160], name[16];
	uint64_t rsp;

	if (pages)
		pages->given = 0;
	if (elf64_check(&img, elf, size, EXO_USER_LOAD_MIN, EXO_BOOK_BASE, argv[0],
			why, sizeof(why)) != ELF64_OK) {
		printf("exec: %s\n", why);
		return -EXO_EINVAL;
	}
	if (pages && !pages_ok(pages, &img)) {
		printf("exec: %s: bad page list (%u pages at %#lx)\n", argv[0],
		       pages->npages, (unsigned long)pages->va);
		return -EXO_EINVAL;
	}
	size_t n = strnlen(argv[0], sizeof(name) - 1);
	memcpy(name, argv[0], n);
	name[n] = '\0';
	long child = sys_env_create(name, caps);
	if (child < 0)
		return child;
	long err = load_segments(child, &img);
	if (err == 0)
		err = load_stack(child, argv, argc, img.entry, &rsp);
	/* After the segments: the pages may share a frame with the image
	 * itself (the initrd), and a transfer unmaps it from the caller. */
	if (err == 0 && pages)
		err = give_pages(child, pages);
	if (err == 0)
		err = give_slices(child, slices ? slices : 1);
	if (err >= 0)
		err = sys_env_start(child, (void *)img.entry, (void *)rsp);
	if (err < 0) {
		printf("exec: %s: error %ld\n", name, err);
		sys_env_destroy(child);   /* its frames go back to the pool */
		return err;
	}
	return child;
}
