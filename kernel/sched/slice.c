#include <sched/slice.h>

void slice_init(struct slice_vec *sv, uint16_t *storage)
{
	sv->owner = storage;
	for (int i = 0; i < EXO_NSLICE; i++)
		storage[i] = 0;
}

int slice_bind(struct slice_vec *sv, int64_t idx, uint16_t who)
{
	if (idx < 0 || idx >= EXO_NSLICE || who == 0)
		return SLICE_ERANGE;
	if (sv->owner[idx] != 0)
		return SLICE_EBUSY;
	sv->owner[idx] = who;
	return SLICE_OK;
}

int slice_release(struct slice_vec *sv, int64_t idx, uint16_t who)
{
	if (idx < 0 || idx >= EXO_NSLICE || who == 0)
		return SLICE_ERANGE;
	if (sv->owner[idx] != who)
		return SLICE_EBUSY;
	sv->owner[idx] = 0;
	return SLICE_OK;
}

uint16_t slice_owner(const struct slice_vec *sv, int64_t idx)
{
	return idx >= 0 && idx < EXO_NSLICE ? sv->owner[idx] : 0;
}

unsigned slice_count(const struct slice_vec *sv, uint16_t who)
{
	unsigned n = 0;

	for (int i = 0; i < EXO_NSLICE; i++)
		n += sv->owner[i] == who;
	return n;
}

int slice_next(const struct slice_vec *sv, int from,
	       int (*runnable)(uint16_t owner, void *ctx), void *ctx)
{
	if (from < -1 || from >= EXO_NSLICE)
		from = -1;
	for (int n = 1; n <= EXO_NSLICE; n++) {
		int i = (from + n + EXO_NSLICE) % EXO_NSLICE;
		if (from == -1)
			i = n - 1;
		if (sv->owner[i] != 0 && runnable(sv->owner[i], ctx))
			return i;
	}
	return -1;
}
