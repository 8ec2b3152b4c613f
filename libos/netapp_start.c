/*
 * Starting a network program (user world): configuration from the kernel
 * command line and argv, the NIC from the datapath, the stack's memory
 * from a demand-paged region. See <libos/netapp.h>.
 */
#include <libos/args.h>
#include <libos/libos.h>
#include <libos/netapp.h>
#include <libos/page.h>

/* Above the page allocator's heap, exec's scratch window and init's initrd
 * window (libos/page.h, libos/exec.h, apps/init/initrd.c). */
#define NETAPP_MEM_VA 0x0000500000000000UL

void netapp_console_print(void *arg, const char *text, size_t len)
{
	(void)arg;
	sys_cputs(text, len);
}

uint16_t netapp_port_arg(int argc, char **argv, const char *key, uint16_t dflt)
{
	const char *v = arg_value(argc, argv, key);
	unsigned p = 0;
	if (!v || !*v)
		return dflt;
	for (; *v >= '0' && *v <= '9' && p < 65536; v++)
		p = p * 10 + (unsigned)(*v - '0');
	return *v || p == 0 || p > 65535 ? 0 : (uint16_t)p;
}

/* "cmdline argv[1] argv[2] ..." into buf: later words override earlier. */
static int gather_words(char *buf, size_t size, int argc, char **argv)
{
	long n = sys_cmdline(buf, size);
	if (n < 0)
		return (int)n;
	size_t len = (size_t)n;
	for (int i = 1; i < argc; i++) {
		size_t k = 0;
		while (argv[i][k])
			k++;
		if (len + 1 + k + 1 > size)
			return -1;
		buf[len++] = ' ';
		__builtin_memcpy(buf + len, argv[i], k);
		len += k;
	}
	buf[len] = 0;
	return 0;
}

int netapp_start(struct netapp *na, struct netif *nif, const char *prog, int argc,
		 char **argv)
{
	static char words[2048];
	struct tcpip_config cfg = { .dhcp = true };
	const char *bad = 0;

	if (gather_words(words, sizeof words, argc, argv) != 0) {
		printf("%s: command line too long\n", prog);
		return TCPIP_EINVAL;
	}
	if (tcpip_config_parse(&cfg, words, &bad) != 0) {
		printf("%s: bad network setting at \"%.40s\"\n", prog, bad);
		return TCPIP_EINVAL;
	}
	int r = netif_open(nif);
	if (r < 0) {
		printf("%s: no network interface (error %d)\n", prog, r);
		return r;
	}
	size_t size = (netapp_mem_size() + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (page_demand_region(NETAPP_MEM_VA, size) != 0) {
		printf("%s: cannot reserve %zu bytes for the stack\n", prog, size);
		return TCPIP_ENOMEM;
	}
	r = netapp_init(na, (void *)NETAPP_MEM_VA, size, nif, &cfg);
	if (r < 0) {
		printf("%s: stack initialisation failed (%d)\n", prog, r);
		return r;
	}
	struct tcpip_ipconfig ip;
	tcpip_get_ipconfig(na->st, &ip);
	printf("%s: stack up, %s %u.%u.%u.%u\n", prog, ip.dhcp_state, ip.ip >> 24,
	       (ip.ip >> 16) & 255, (ip.ip >> 8) & 255, ip.ip & 255);
	return 0;
}
