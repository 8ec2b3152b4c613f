#include <env/handle.h>

void handle_table_init(struct handle_table *t)
{
	for (int i = 0; i < EXO_NHANDLE; i++)
		t->h[i] = (struct handle){ 0 };
	t->used = 0;
	t->hint = 0;
}

int handle_alloc(struct handle_table *t, uint8_t type, uint32_t name,
		 uint8_t flags, uint16_t peer)
{
	if (type == H_FREE || type == H_ANY || t->used == EXO_NHANDLE)
		return -1;
	for (unsigned n = 0; n < EXO_NHANDLE; n++) {
		unsigned i = (t->hint + n) % EXO_NHANDLE;
		if (t->h[i].type != H_FREE)
			continue;
		t->h[i] = (struct handle){ type, flags, peer, name };
		t->used++;
		t->hint = (i + 1) % EXO_NHANDLE;
		return (int)i;
	}
	return -1;  /* unreachable while `used` is right */
}

struct handle *handle_get(struct handle_table *t, int64_t h, uint8_t type)
{
	if (h < 0 || h >= EXO_NHANDLE || t->h[h].type == H_FREE)
		return 0;
	if (type != H_ANY && t->h[h].type != type)
		return 0;
	return &t->h[h];
}

int handle_free(struct handle_table *t, int64_t h)
{
	if (handle_get(t, h, H_ANY) == 0)
		return -1;
	t->h[h] = (struct handle){ 0 };
	t->used--;
	if ((uint32_t)h < t->hint)
		t->hint = (uint32_t)h;
	return 0;
}

int handle_find(const struct handle_table *t, uint8_t type, uint32_t name)
{
	for (int i = 0; i < EXO_NHANDLE; i++)
		if (t->h[i].type == type && t->h[i].name == name)
			return i;
	return -1;
}

unsigned handle_count(const struct handle_table *t, uint8_t type)
{
	unsigned n = 0;

	for (int i = 0; i < EXO_NHANDLE; i++)
		n += t->h[i].type == type;
	return n;
}
