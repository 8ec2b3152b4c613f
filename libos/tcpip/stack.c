/*
 * The stack object and its entry points: initialisation, frame input,
 * timers, teardown, and the queries the embedder uses.
 */
#include "priv.h"

size_t tcpip_state_size(void)
{
	return sizeof(struct tcpip);
}

static bool config_ok(const struct tcpip_config *c)
{
	if ((c->mac[0] & 1) || !(c->mac[0] | c->mac[1] | c->mac[2] | c->mac[3] | c->mac[4] |
				 c->mac[5]))
		return false; /* multicast or zero MAC */
	if (c->dhcp)
		return true;
	uint32_t inv = ~c->netmask;
	if ((inv & (inv + 1)) != 0)
		return false; /* netmask not contiguous */
	if (c->ip == 0 || c->ip == 0xffffffffu || (c->ip >> 28) >= 0xe)
		return false;
	return c->gateway == 0 || ((c->gateway ^ c->ip) & c->netmask) == 0;
}

struct tcpip *tcpip_init(void *mem, size_t size, const struct tcpip_config *cfg,
			 const struct tcpip_env *env)
{
	if (!mem || size < sizeof(struct tcpip) || ((uintptr_t)mem & 7) || !cfg || !env ||
	    !env->now_ms || !env->random || !env->output || !config_ok(cfg))
		return NULL;
	struct tcpip *st = mem;
	tcpip_memset(st, 0, offsetof(struct tcpip, tx));
	st->env = *env;
	tcpip_memcpy(st->mac, cfg->mac, 6);
	st->use_dhcp = cfg->dhcp;
	if (!cfg->dhcp) {
		st->ip = cfg->ip;
		st->netmask = cfg->netmask;
		st->gateway = cfg->gateway;
	}
	pb_init(st);
	st->now = env->now_ms(env->ctx);
	st->ip_id = (uint16_t)env->random(env->ctx);
	return st;
}

/* Ask the environment to install or remove a filter; nonzero = refused. */
int filter_hook(struct tcpip *st, const struct tcpip_filter *f, bool install)
{
	if (install)
		return st->env.filter_install ? st->env.filter_install(st->env.ctx, f) : 0;
	if (st->env.filter_remove)
		st->env.filter_remove(st->env.ctx, f);
	return 0;
}

static const uint8_t base_kinds[] = { TCPIP_FILTER_ARP, TCPIP_FILTER_ICMP, TCPIP_FILTER_FRAG };

/* The filters every stack needs: ARP, and ICMP and fragments to its address. */
void tcpip_base_filters(struct tcpip *st, bool install)
{
	for (unsigned i = 0; i < sizeof base_kinds; i++) {
		struct tcpip_filter f = { .kind = base_kinds[i], .local_ip = st->ip,
					  .shared = base_kinds[i] != TCPIP_FILTER_ICMP };
		bool on = st->base_filters & (1u << i);
		if (install == on || (install && i > 0 && !st->ip))
			continue;
		if (install && filter_hook(st, &f, true) != 0)
			continue;
		if (!install)
			filter_hook(st, &f, false);
		st->base_filters ^= (uint8_t)(1u << i);
	}
}

void tcpip_start(struct tcpip *st)
{
	st->now = st->env.now_ms(st->env.ctx);
	tcpip_base_filters(st, true);
	if (st->use_dhcp)
		dhcp_start(st);
	else
		arp_announce(st);
}

void tcpip_stop(struct tcpip *st)
{
	st->now = st->env.now_ms(st->env.ctx);
	sock_release_all(st);
	for (unsigned i = 0; i < TCPIP_NTCP; i++)
		if (st->tcp[i].state != TCP_CLOSED)
			tcp_abort(st, &st->tcp[i], TCPIP_ECONNABORTED);
	arp_flush(st);
	ip_reass_flush(st);
	dhcp_stop(st);
	tcpip_base_filters(st, false);
}

bool tcpip_input(struct tcpip *st, const void *frame, size_t len, void *cookie)
{
	st->now = st->env.now_ms(st->env.ctx);
	EV(st, RX_FRAMES);
	st->rx_cookie = cookie;
	st->rx_taken = false;
	int v = frame ? eth_input(st, (uint8_t *)(uintptr_t)frame, len) : RX_ETH_SHORT;
	st->stats.rx[v]++;
	st->rx_cookie = NULL;
	return st->rx_taken;
}

void tcpip_tick(struct tcpip *st)
{
	st->now = st->env.now_ms(st->env.ctx);
	arp_tick(st);
	ip_reass_tick(st);
	tcp_tick(st);
	dhcp_tick(st);
}

uint64_t tcpip_next_deadline(struct tcpip *st)
{
	uint64_t d = arp_deadline(st);

	d = TCPIP_MIN(d, ip_reass_deadline(st));
	d = TCPIP_MIN(d, tcp_deadline(st));
	return TCPIP_MIN(d, dhcp_deadline(st));
}

void tcpip_get_ipconfig(struct tcpip *st, struct tcpip_ipconfig *out)
{
	out->ip = st->ip;
	out->netmask = st->netmask;
	out->gateway = st->gateway;
	out->dns = st->dns;
	out->dhcp_server = st->dhcp.server;
	out->lease_s = st->dhcp.state == DHCP_OFF ? 0 : st->dhcp.lease_s;
	out->dhcp_state = dhcp_state_name(st);
}

const struct tcpip_stats *tcpip_get_stats(struct tcpip *st)
{
	return &st->stats;
}

void tcpip_pool_usage(struct tcpip *st, struct tcpip_pool_usage *u)
{
	tcpip_memset(u, 0, sizeof *u);
	u->pbufs = st->pb_used;
	u->blocks = st->blk_used;
	u->held_frames = st->held;
	for (unsigned i = 0; i < TCPIP_NSOCK; i++)
		u->sockets += st->socks[i].type != 0;
	for (unsigned i = 0; i < TCPIP_NTCP; i++)
		u->tcp_pcbs += st->tcp[i].state != TCP_CLOSED;
	for (unsigned i = 0; i < TCPIP_ARP_ENTRIES; i++)
		u->arp_entries += st->arp[i].state != ARP_FREE;
	for (unsigned i = 0; i < TCPIP_REASS_SLOTS; i++)
		u->reass_slots += st->reass[i].used;
}
