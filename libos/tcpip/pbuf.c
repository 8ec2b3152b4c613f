/*
 * Buffer pools: a fixed array of pbuf descriptors and a fixed array of 2 KiB
 * blocks, both inside struct tcpip. Nothing is allocated anywhere else, so
 * the stack's memory use is bounded by its state size, and a test can check
 * that every descriptor and block returns to the pools.
 *
 * The receive path avoids copies: pb_keep() turns the frame being input into
 * a PB_EXT pbuf that points into the frame itself, and the embedder gets the
 * frame back when that pbuf is freed. Short payloads are copied instead
 * (the "copybreak" idea): holding a whole frame, often a ring slot, for a
 * few bytes would waste the ring; so is anything beyond TCPIP_MAX_HELD_FRAMES.
 */
#include "priv.h"

void pb_init(struct tcpip *st)
{
	st->pb_freelist = NULL;
	for (unsigned i = TCPIP_NPBUF; i-- > 0;) {
		st->pbufs[i].kind = PB_FREE;
		st->pbufs[i].next = st->pb_freelist;
		st->pb_freelist = &st->pbufs[i];
	}
	for (unsigned i = 0; i < TCPIP_NBLOCK; i++)
		st->blk_free[i] = (uint16_t)(TCPIP_NBLOCK - 1 - i);
	st->blk_top = TCPIP_NBLOCK;
	st->pb_used = st->blk_used = st->held = 0;
}

static struct pbuf *desc_alloc(struct tcpip *st)
{
	struct pbuf *p = st->pb_freelist;

	if (!p) {
		EV(st, NOMEM);
		return NULL;
	}
	st->pb_freelist = p->next;
	st->pb_used++;
	tcpip_memset(p, 0, sizeof *p);
	return p;
}

static void desc_free(struct tcpip *st, struct pbuf *p)
{
	p->kind = PB_FREE;
	p->next = st->pb_freelist;
	st->pb_freelist = p;
	st->pb_used--;
}

/* An empty block-backed pbuf (len 0, TCPIP_BLOCK_SIZE bytes of room). */
struct pbuf *pb_alloc(struct tcpip *st)
{
	if (st->blk_top == 0) {
		EV(st, NOMEM);
		return NULL;
	}
	struct pbuf *p = desc_alloc(st);
	if (!p)
		return NULL;
	p->kind = PB_BLOCK;
	p->block = st->blocks[st->blk_free[--st->blk_top]];
	p->data = p->block;
	st->blk_used++;
	return p;
}

/*
 * Keep len bytes of the frame being input: by reference when allowed and
 * worth it, else as a copy (len <= TCPIP_BLOCK_SIZE). NULL if out of memory.
 */
bool pb_can_ref(const struct tcpip *st, uint32_t len)
{
	return st->rx_cookie && !st->rx_taken && len >= TCPIP_COPYBREAK &&
	       st->held < TCPIP_MAX_HELD_FRAMES;
}

struct pbuf *pb_keep(struct tcpip *st, const uint8_t *data, uint32_t len)
{
	struct pbuf *p;

	if (pb_can_ref(st, len)) {
		p = desc_alloc(st);
		if (!p)
			return NULL;
		p->kind = PB_EXT;
		p->data = (uint8_t *)(uintptr_t)data; /* never written */
		p->len = len;
		p->cookie = st->rx_cookie;
		st->rx_taken = true;
		st->held++;
		EV(st, RX_HELD);
		return p;
	}
	if (len > TCPIP_BLOCK_SIZE)
		return NULL;
	p = pb_alloc(st);
	if (!p)
		return NULL;
	tcpip_memcpy(p->data, data, len);
	p->len = len;
	EV(st, RX_COPIED);
	return p;
}

void pb_free(struct tcpip *st, struct pbuf *p)
{
	if (p->kind == PB_BLOCK) {
		st->blk_free[st->blk_top++] = (uint16_t)((p->block - st->blocks[0]) /
							 TCPIP_BLOCK_SIZE);
		st->blk_used--;
	} else if (p->kind == PB_EXT) {
		st->held--;
		if (st->env.rx_release)
			st->env.rx_release(st->env.ctx, p->cookie);
	}
	desc_free(st, p);
}

void pbq_push(struct pbq *q, struct pbuf *p)
{
	p->next = NULL;
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->bytes += p->len;
	q->count++;
}

struct pbuf *pbq_pop(struct pbq *q)
{
	struct pbuf *p = q->head;

	if (!p)
		return NULL;
	q->head = p->next;
	if (!q->head)
		q->tail = NULL;
	q->bytes -= p->len;
	q->count--;
	p->next = NULL;
	return p;
}

void pbq_free(struct tcpip *st, struct pbq *q)
{
	struct pbuf *p;

	while ((p = pbq_pop(q)))
		pb_free(st, p);
}

/* Append bytes, filling the tail block first. Returns the bytes taken. */
uint32_t pbq_append(struct tcpip *st, struct pbq *q, const uint8_t *src, uint32_t len)
{
	uint32_t done = 0;

	while (done < len) {
		struct pbuf *t = q->tail;
		uint32_t room = 0;

		if (t && t->kind == PB_BLOCK)
			room = (uint32_t)(t->block + TCPIP_BLOCK_SIZE - (t->data + t->len));
		if (room == 0) {
			t = pb_alloc(st);
			if (!t)
				break;
			pbq_push(q, t);
			room = TCPIP_BLOCK_SIZE;
		}
		uint32_t n = TCPIP_MIN(room, len - done);
		tcpip_memcpy(t->data + t->len, src + done, n);
		t->len += n;
		q->bytes += n;
		done += n;
	}
	return done;
}

/* Remove len (<= q->bytes) bytes from the front. */
void pbq_drop(struct tcpip *st, struct pbq *q, uint32_t len)
{
	while (len > 0 && q->head) {
		struct pbuf *p = q->head;
		if (p->len <= len) {
			len -= p->len;
			pb_free(st, pbq_pop(q));
		} else {
			p->data += len;
			p->len -= len;
			q->bytes -= len;
			len = 0;
		}
	}
}

/* Copy len bytes starting off bytes into the queue (caller checked bounds). */
void pbq_copy(const struct pbq *q, uint32_t off, uint8_t *dst, uint32_t len)
{
	const struct pbuf *p = q->head;

	while (p && off >= p->len) {
		off -= p->len;
		p = p->next;
	}
	while (p && len > 0) {
		uint32_t n = TCPIP_MIN(len, p->len - off);
		tcpip_memcpy(dst, p->data + off, n);
		dst += n;
		len -= n;
		off = 0;
		p = p->next;
	}
}
