/*
 * netapp: the event loop around the libOS TCP/IP stack (see
 * <libos/netapp.h>). The stack's environment hooks are bound to the
 * interface; socket events only raise a counter, because hooks run inside
 * the stack and must not call back into it: the services see the change on
 * their next run, right after the pass that caused it.
 */
#include <libos/netapp.h>

static uint64_t env_now(void *ctx)
{
	const struct netif *nif = ((struct netapp *)ctx)->nif;
	return nif->now_ms(nif->ctx);
}

static uint32_t env_random(void *ctx)
{
	const struct netif *nif = ((struct netapp *)ctx)->nif;
	return nif->random(nif->ctx);
}

static void env_output(void *ctx, const void *frame, size_t len)
{
	struct netapp *na = ctx;
	if (na->nif->tx(na->nif->ctx, frame, len) != 0)
		na->c.tx_dropped++;   /* TCP retransmits; ARP and UDP are best effort */
	else
		na->c.tx++;
}

static void env_rx_release(void *ctx, void *cookie)
{
	struct netapp *na = ctx;
	na->nif->rx_release(na->nif->ctx, cookie);
}

static int env_filter_install(void *ctx, const struct tcpip_filter *f)
{
	struct netapp *na = ctx;
	return na->nif->filter_install ? na->nif->filter_install(na->nif->ctx, f) : 0;
}

static void env_filter_remove(void *ctx, const struct tcpip_filter *f)
{
	struct netapp *na = ctx;
	if (na->nif->filter_remove)
		na->nif->filter_remove(na->nif->ctx, f);
}

static void env_sock_event(void *ctx, int sd)
{
	struct netapp *na = ctx;
	(void)sd;
	na->pending++;
	na->c.sock_events++;
}

static void env_ip_changed(void *ctx)
{
	struct netapp *na = ctx;
	na->ip_changed = true;
	na->pending++;
}

size_t netapp_mem_size(void)
{
	return tcpip_state_size();
}

static bool mac_is_zero(const uint8_t mac[6])
{
	for (int i = 0; i < 6; i++)
		if (mac[i])
			return false;
	return true;
}

int netapp_init(struct netapp *na, void *mem, size_t size, const struct netif *nif,
		const struct tcpip_config *cfg)
{
	if (!na || !mem || !nif || !cfg || !nif->rx || !nif->rx_release || !nif->tx ||
	    !nif->now_ms || !nif->random || !nif->wait)
		return TCPIP_EINVAL;
	tcpip_memset(na, 0, sizeof *na);
	na->nif = nif;
	na->env = (struct tcpip_env){
		.ctx = na, .now_ms = env_now, .random = env_random, .output = env_output,
		.rx_release = env_rx_release, .filter_install = env_filter_install,
		.filter_remove = env_filter_remove, .sock_event = env_sock_event,
		.ip_changed = env_ip_changed,
	};
	struct tcpip_config c = *cfg;
	if (mac_is_zero(c.mac))
		tcpip_memcpy(c.mac, nif->mac, 6);
	na->st = tcpip_init(mem, size, &c, &na->env);
	if (!na->st)
		return TCPIP_EINVAL;
	tcpip_start(na->st);
	return 0;
}

void netapp_stop(struct netapp *na)
{
	tcpip_stop(na->st);
}

void netapp_add_service(struct netapp *na, struct netapp_service *svc)
{
	struct netapp_service **pp = &na->services;
	while (*pp)
		pp = &(*pp)->next;
	svc->next = 0;
	*pp = svc;
}

void netapp_remove_service(struct netapp *na, struct netapp_service *svc)
{
	for (struct netapp_service **pp = &na->services; *pp; pp = &(*pp)->next)
		if (*pp == svc) {
			*pp = svc->next;
			return;
		}
}

uint64_t netapp_now(struct netapp *na)
{
	return na->nif->now_ms(na->nif->ctx);
}

unsigned netapp_step(struct netapp *na)
{
	const struct netif *nif = na->nif;
	unsigned events = 0;

	na->c.passes++;
	for (unsigned i = 0; i < NETAPP_RX_BUDGET; i++) {
		const void *frame;
		size_t len;
		void *cookie = 0;
		if (!nif->rx(nif->ctx, &frame, &len, &cookie))
			break;
		na->c.frames++;
		events++;
		if (tcpip_input(na->st, frame, len, cookie))
			na->c.kept++;
		else if (cookie)
			nif->rx_release(nif->ctx, cookie);
	}
	if (netapp_now(na) >= tcpip_next_deadline(na->st)) {
		tcpip_tick(na->st);
		events++;
	}
	events += na->pending;
	na->pending = 0;
	for (struct netapp_service *s = na->services; s; s = s->next)
		s->run(na, s->arg);
	na->ip_changed = false;
	/* Socket calls the services made may have raised events of their own
	 * (a connection that failed at once, say): they count for the next pass. */
	return events;
}

uint64_t netapp_next_deadline(struct netapp *na)
{
	uint64_t d = tcpip_next_deadline(na->st);
	for (struct netapp_service *s = na->services; s; s = s->next)
		if (s->deadline) {
			uint64_t sd = s->deadline(na, s->arg);
			if (sd < d)
				d = sd;
		}
	return d;
}

void netapp_run_once(struct netapp *na, uint64_t until)
{
	if (netapp_step(na) || na->pending)
		return;
	uint64_t d = netapp_next_deadline(na);
	if (until < d)
		d = until;
	if (d > netapp_now(na)) {
		na->c.waits++;
		na->nif->wait(na->nif->ctx, d);
	}
}

void netapp_run(struct netapp *na, const volatile bool *stop)
{
	while (!stop || !*stop)
		netapp_run_once(na, UINT64_MAX);
}
