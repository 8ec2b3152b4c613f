#include <exo/errno.h>
#include <mm/urange.h>

int urange_check(uint64_t va, uint64_t len, uint64_t top)
{
	if (len == 0)
		return 0;
	if (va >= top || len > top - va)
		return -EXO_EFAULT;
	return 0;
}

uint64_t urange_pages(uint64_t va, uint64_t len)
{
	uint64_t first = va >> 12;
	uint64_t last = (va + len - 1) >> 12;

	return last - first + 1;
}
