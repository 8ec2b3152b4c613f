#include <mm/owner.h>

void owner_init(struct owner_table *t, uint16_t *storage, uint64_t nframes)
{
	t->owner = storage;
	t->nframes = nframes;
	for (uint64_t f = 0; f < nframes; f++)
		storage[f] = EXO_OWNER_KERNEL;
}

uint16_t owner_get(const struct owner_table *t, uint64_t frame)
{
	return frame < t->nframes ? t->owner[frame] : EXO_OWNER_KERNEL;
}

int owner_set(struct owner_table *t, uint64_t frame, uint16_t who)
{
	if (frame >= t->nframes)
		return OWNER_ERANGE;
	t->owner[frame] = who;
	return OWNER_OK;
}

int owner_move(struct owner_table *t, uint64_t frame, uint16_t from, uint16_t to)
{
	if (frame >= t->nframes)
		return OWNER_ERANGE;
	if (t->owner[frame] != from)
		return OWNER_EBUSY;
	t->owner[frame] = to;
	return OWNER_OK;
}

uint64_t owner_count(const struct owner_table *t, uint16_t who)
{
	uint64_t n = 0;

	for (uint64_t f = 0; f < t->nframes; f++)
		n += t->owner[f] == who;
	return n;
}
