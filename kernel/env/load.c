#include <stdint.h>

#include <arch/cpu.h>
#include <arch/gdt.h>
#include <arch/paging.h>
#include <elf64.h>
#include <env/env.h>
#include <env/load.h>
#include <env/resource.h>
#include <env/ustack.h>
#include <exo/book.h>
#include <exo/layout.h>
#include <fmt.h>
#include <mm/page.h>

/* The argument area built at the top of the stack (argv strings etc.). */
#define ARGS_AREA 8192

/* Bind a fresh page to e and map it at va, or widen an existing mapping. */
static int back_page(struct env *e, uint64_t va, unsigned perm)
{
	int h;

	if (uvm_protect_add(&e->as, va, perm) == 0)
		return 0;   /* a page two segments share */
	if (page_bind_any(e, &h) != 0)
		return -1;
	return page_map(e, h, va, perm);
}

static int back_range(struct env *e, uint64_t va, uint64_t len, unsigned perm)
{
	uint64_t start = va & ~(PAGE_SIZE - 1);
	uint64_t end = (va + len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	for (uint64_t p = start; p < end; p += PAGE_SIZE)
		if (back_page(e, p, perm) != 0)
			return -1;
	return 0;
}

int load_elf(struct env *e, const void *elf, size_t size, char *why,
	     size_t whylen)
{
	struct elf64_image img;
	const struct elf64_phdr *ph;
	unsigned i = 0;

	if (elf64_check(&img, elf, size, EXO_USER_LOAD_MIN, EXO_BOOK_BASE,
			e->name, why, whylen) != ELF64_OK)
		return -1;
	while ((ph = elf64_next_load(&img, &i)) != NULL) {
		unsigned perm = (ph->p_flags & ELF64_PF_W ? UVM_W : 0) |
				(ph->p_flags & ELF64_PF_X ? UVM_X : 0);
		if (ph->p_memsz == 0)
			continue;
		if (back_range(e, ph->p_vaddr, ph->p_memsz, perm) != 0 ||
		    uvm_write(&e->as, ph->p_vaddr, img.data + ph->p_offset,
			      ph->p_filesz) != 0) {
			fmt_snprintf(why, whylen, "%s: out of memory loading %#lx+%#lx",
				     e->name, (unsigned long)ph->p_vaddr,
				     (unsigned long)ph->p_memsz);
			return -1;
		}
	}
	e->tf.rip = img.entry;
	e->tf.cs = USER_CS;
	e->tf.ss = USER_DS;
	e->tf.rflags = RFLAGS_FIXED | RFLAGS_IF;
	return 0;
}

int load_stack(struct env *e, const char *const *argv, int argc, char *why,
	       size_t whylen)
{
	static uint8_t area[ARGS_AREA];  /* kernel runs one loader at a time */
	const uint64_t auxv[] = {
		EXO_AT_PAGESZ, EXO_PAGE_SIZE,
		EXO_AT_ENTRY, e->tf.rip,
	};
	struct ustack_args a = { argv, argc, NULL, 0, auxv, 2 };
	uint64_t rsp;

	if (back_range(e, EXO_USER_STACK_TOP - EXO_USER_STACK_SIZE,
		       EXO_USER_STACK_SIZE, UVM_W) != 0) {
		fmt_snprintf(why, whylen, "%s: out of memory for the stack", e->name);
		return -1;
	}
	if (ustack_build(area, sizeof(area), EXO_USER_STACK_TOP, &a, &rsp) != 0) {
		fmt_snprintf(why, whylen, "%s: %d arguments do not fit %d bytes",
			     e->name, argc, ARGS_AREA);
		return -1;
	}
	/* Only the used part: the rest of the fresh stack is already zero. */
	uvm_write(&e->as, rsp, area + (rsp - (EXO_USER_STACK_TOP - ARGS_AREA)),
		  EXO_USER_STACK_TOP - rsp);
	e->tf.rsp = rsp;
	return 0;
}

int load_slice(struct env *e, char *why, size_t whylen)
{
	for (int i = 0; i < EXO_NSLICE; i++)
		if (resource_bind(e, EXO_NAME_SLICE(i)) >= 0)
			return 0;
	fmt_snprintf(why, whylen, "%s: no free time slice", e->name);
	return -1;
}
