#include <string.h>

#include <arch/paging.h>
#include <exo/errno.h>
#include <mm/phys.h>
#include <mm/urange.h>
#include <mm/usercopy.h>
#include <mm/uvm.h>

int user_check(const struct uvm *as, uint64_t uva, uint64_t len, int write)
{
	if (urange_check(uva, len, EXO_USER_TOP) != 0)
		return -EXO_EFAULT;
	if (len == 0)
		return 0;
	uint64_t need = PTE_P | PTE_U | (write ? PTE_W : 0);
	uint64_t page = uva & ~(PAGE_SIZE - 1);
	/* Stops at the first bad page, so a huge length costs one walk. */
	for (uint64_t n = urange_pages(uva, len); n > 0; n--, page += PAGE_SIZE) {
		uint64_t pa, flags;
		if (!pt_translate(as->pml4, page, &pa, &flags) ||
		    (flags & need) != need)
			return -EXO_EFAULT;
	}
	return 0;
}

/*
 * Copy n bytes; word by word when everything is 8-byte aligned (register
 * frames and upcall areas are), which under QEMU's TCG is far cheaper
 * than rep movsb, emulated a byte at a time.
 */
static void move(void *d, const void *s, size_t n)
{
	if ((((uintptr_t)d | (uintptr_t)s | n) & 7) != 0 || n == 0) {
		memcpy(d, s, n);
		return;
	}
	size_t words = n / 8;
	__asm__ volatile("1:\n\t"
			 "movq (%1), %%rax\n\t"
			 "movq %%rax, (%0)\n\t"
			 "addq $8, %0\n\t"
			 "addq $8, %1\n\t"
			 "decq %2\n\t"
			 "jnz 1b"
			 : "+r"(d), "+r"(s), "+r"(words) : : "rax", "memory", "cc");
}

/* Physical address of a user byte already checked by user_check(). */
static void *user_byte(const struct uvm *as, uint64_t uva)
{
	uint64_t pa, flags;

	pt_translate(as->pml4, uva, &pa, &flags);
	return pa2va(pa);
}

int copy_from_user(const struct uvm *as, void *dst, uint64_t uva, size_t len)
{
	uint8_t *d = dst;

	if (user_check(as, uva, len, 0) != 0)
		return -EXO_EFAULT;
	while (len > 0) {
		size_t n = PAGE_SIZE - (uva & (PAGE_SIZE - 1));
		if (n > len)
			n = len;
		move(d, user_byte(as, uva), n);
		d += n, uva += n, len -= n;
	}
	return 0;
}

int copy_to_user(const struct uvm *as, uint64_t uva, const void *src, size_t len)
{
	const uint8_t *s = src;

	if (user_check(as, uva, len, 1) != 0)
		return -EXO_EFAULT;
	while (len > 0) {
		size_t n = PAGE_SIZE - (uva & (PAGE_SIZE - 1));
		if (n > len)
			n = len;
		move(user_byte(as, uva), s, n);
		s += n, uva += n, len -= n;
	}
	return 0;
}
