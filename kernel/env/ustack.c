#include <string.h>

#include <env/ustack.h>

/* Copy s just below *cur (in img), return its virtual address. */
static int push_string(uint8_t *img, uint64_t base, uint64_t *cur,
		       const char *s, uint64_t *va)
{
	size_t n = strlen(s) + 1;

	if (*cur - base < n)
		return -1;
	*cur -= n;
	memcpy(img + (*cur - base), s, n);
	*va = *cur;
	return 0;
}

static void put64(uint8_t *img, uint64_t base, uint64_t va, uint64_t v)
{
	memcpy(img + (va - base), &v, sizeof(v));
}

int ustack_build(uint8_t *img, size_t size, uint64_t top,
		 const struct ustack_args *a, uint64_t *rsp)
{
	uint64_t base = top - size;
	uint64_t cur = top;
	uint64_t argv_va[USTACK_MAX_STRINGS];
	uint64_t envp_va[USTACK_MAX_STRINGS];

	if (a->argc < 0 || a->envc < 0 || a->nauxv < 0 || (top & 15) ||
	    a->argc > USTACK_MAX_STRINGS || a->envc > USTACK_MAX_STRINGS ||
	    a->nauxv > USTACK_MAX_STRINGS)
		return -1;
	for (int i = 0; i < a->argc; i++)
		if (push_string(img, base, &cur, a->argv[i], &argv_va[i]))
			return -1;
	for (int i = 0; i < a->envc; i++)
		if (push_string(img, base, &cur, a->envp[i], &envp_va[i]))
			return -1;

	/* argc + argv + NULL + envp + NULL + auxv pairs + AT_NULL pair */
	uint64_t words = 1 + (uint64_t)a->argc + 1 + (uint64_t)a->envc + 1 +
			 2 * (uint64_t)a->nauxv + 2;
	cur &= ~15ULL;
	if (cur - base < words * 8 + 15)
		return -1;
	uint64_t sp = (cur - words * 8) & ~15ULL;
	uint64_t p = sp;

	put64(img, base, p, (uint64_t)a->argc), p += 8;
	for (int i = 0; i < a->argc; i++)
		put64(img, base, p, argv_va[i]), p += 8;
	put64(img, base, p, 0), p += 8;
	for (int i = 0; i < a->envc; i++)
		put64(img, base, p, envp_va[i]), p += 8;
	put64(img, base, p, 0), p += 8;
	for (int i = 0; i < 2 * a->nauxv; i++)
		put64(img, base, p, a->auxv[i]), p += 8;
	put64(img, base, p, 0), p += 8;   /* AT_NULL */
	put64(img, base, p, 0);
	*rsp = sp;
	return 0;
}
