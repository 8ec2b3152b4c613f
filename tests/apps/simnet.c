/* The simulated link of the app tests (see simnet.h). */
#include "simnet.h"

const struct simnet_filters *simnet_filters;

static int sim_filter_install(void *ctx, const struct tcpip_filter *f)
{
	return simnet_filters->install(ctx, f);
}

static void sim_filter_remove(void *ctx, const struct tcpip_filter *f)
{
	simnet_filters->remove(ctx, f);
}

static void sim_report(void *ctx, tcpip_print_fn fn, void *arg)
{
	struct simside *s = ctx;
	char line[64];
	int n = snprintf(line, sizeof line, "netif: simnet side %d\n", s->idx);
	fn(arg, line, (size_t)n);
}

static uint32_t prng(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

static int sim_rx(void *ctx, const void **frame, size_t *len, void **cookie)
{
	struct simside *s = ctx;
	struct simframe *f;
	for (;;) {
		f = s->q;
		if (!f || f->due > s->net->now)
			return 0;
		s->q = f->next;
		if (!simnet_filters || simnet_filters->deliver(s, f->data, f->len))
			break;
		free(f);
	}
	*frame = f->data;
	*len = f->len;
	*cookie = f;
	s->held++;
	return 1;
}

static void sim_release(void *ctx, void *cookie)
{
	struct simside *s = ctx;
	s->held--;
	assert_true(s->held >= 0);
	free(cookie);
}

static int sim_tx(void *ctx, const void *frame, size_t len)
{
	struct simside *s = ctx;
	struct simnet *sn = s->net;
	struct simside *to = &sn->side[1 - s->idx];

	assert_true(len >= 60 && len <= 1514);
	sn->sent++;
	if (prng(&sn->rng) % 100 < sn->loss) {
		sn->lost++;
		return 0;   /* lost on the wire: the sender cannot know */
	}
	struct simframe *f = malloc(sizeof *f + len);
	assert_non_null(f);
	memcpy(f->data, frame, len);
	f->len = len;
	f->due = sn->now + sn->delay;
	if (sn->reorder && prng(&sn->rng) % 100 < sn->reorder) {
		f->due += 1 + prng(&sn->rng) % (3 * sn->delay + 1);
		sn->reordered++;
	}
	struct simframe **pp = &to->q;
	while (*pp && (*pp)->due <= f->due)
		pp = &(*pp)->next;
	f->next = *pp;
	*pp = f;
	return 0;
}

static uint64_t sim_now(void *ctx)
{
	return ((struct simside *)ctx)->net->now;
}

static uint32_t sim_random(void *ctx)
{
	return prng(&((struct simside *)ctx)->rng);
}

static bool due_now(struct simside *s)
{
	return s->q && s->q->due <= s->net->now;
}

/* The world moves while side `ctx` waits (see simnet.h). */
static void sim_wait(void *ctx, uint64_t deadline)
{
	struct simside *self = ctx, *other = &self->net->side[1 - self->idx];
	struct simnet *sn = self->net;

	if (netapp_step(&other->na) || due_now(self) || due_now(other))
		return;
	uint64_t next = deadline;
	uint64_t d = netapp_next_deadline(&other->na);
	if (d < next)
		next = d;
	for (int i = 0; i < 2; i++)
		if (sn->side[i].q && sn->side[i].q->due < next)
			next = sn->side[i].q->due;
	if (next == UINT64_MAX)
		fail_msg("deadlock: side %d waits for ever, nothing in flight, no timer",
			 self->idx);
	if (next > sn->now)
		sn->now = next;
}

struct tcpip_sockaddr_in sim_addr(uint32_t ip, uint16_t port)
{
	struct tcpip_sockaddr_in a = { .sin_family = TCPIP_AF_INET };
	a.sin_port = tcpip_htons(port);
	a.sin_addr = tcpip_htonl(ip);
	return a;
}

struct simnet *simnet_new(uint64_t seed, unsigned loss, unsigned reorder, uint64_t delay)
{
	struct simnet *sn = calloc(1, sizeof *sn);
	assert_non_null(sn);
	const char *env = getenv("APPS_SEED");
	sn->rng = (env ? strtoull(env, NULL, 0) : seed) | 1;
	sn->now = 1000;
	sn->loss = loss;
	sn->reorder = reorder;
	sn->delay = delay ? delay : 1;
	for (int i = 0; i < 2; i++) {
		struct simside *s = &sn->side[i];
		s->net = sn;
		s->idx = i;
		s->rng = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
		s->nif = (struct netif){
			.ctx = s, .mac = { 0x02, 0, 0, 0, 0, (uint8_t)(i + 1) }, .rx = sim_rx,
			.rx_release = sim_release, .tx = sim_tx, .now_ms = sim_now,
			.random = sim_random, .wait = sim_wait, .report = sim_report,
		};
		if (simnet_filters) {
			s->nif.filter_install = sim_filter_install;
			s->nif.filter_remove = sim_filter_remove;
		}
		struct tcpip_config cfg = { .ip = i ? SIM_CLIENT_IP : SIM_SERVER_IP,
					    .netmask = TCPIP_IP4(255, 255, 255, 0) };
		size_t size = netapp_mem_size();
		s->mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
		assert_non_null(s->mem);
		assert_int_equal(netapp_init(&s->na, s->mem, size, &s->nif, &cfg), 0);
	}
	return sn;
}

void simnet_run(struct simnet *sn, uint64_t ms)
{
	uint64_t until = sn->now + ms;
	while (sn->now < until)
		netapp_run_once(sim_client(sn), until);
}

void sim_assert_rest(struct netapp *na, unsigned sockets, unsigned pcbs)
{
	struct tcpip_pool_usage u;
	tcpip_pool_usage(na->st, &u);
	assert_int_equal(u.pbufs, 0);
	assert_int_equal(u.blocks, 0);
	assert_int_equal(u.held_frames, 0);
	assert_int_equal(u.reass_slots, 0);
	assert_int_equal(u.sockets, sockets);
	assert_int_equal(u.tcp_pcbs, pcbs);
}

void simnet_free(struct simnet *sn)
{
	for (int i = 0; i < 2; i++) {
		struct simside *s = &sn->side[i];
		struct simframe *f;
		while ((f = s->q)) {
			s->q = f->next;
			free(f);
		}
		netapp_stop(&s->na);
		sim_assert_rest(&s->na, 0, 0);
		assert_int_equal(s->held, 0);
		free(s->mem);
	}
	free(sn);
}

int sim_connect(struct simnet *sn, uint16_t port)
{
	struct netapp *c = sim_client(sn);
	int sd = tcpip_socket(c->st, TCPIP_SOCK_STREAM);
	assert_true(sd >= 0);
	struct tcpip_sockaddr_in a = sim_addr(SIM_SERVER_IP, port);
	assert_int_equal(netapp_connect(c, sd, &a, 30000), 0);
	return sd;
}

uint8_t sim_pattern(uint32_t seed, size_t i)
{
	uint64_t x = (i / 8) * 0x9e3779b97f4a7c15ull + (uint64_t)seed * 0x632be59bd9b4e019ull;
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 32;
	return (uint8_t)(x >> ((i % 8) * 8));
}
