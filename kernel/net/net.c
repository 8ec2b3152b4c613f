/* Network bring-up (net/net.h). */
#include <boot/boot.h>
#include <boot/cmdline.h>
#include <console/console.h>
#include <net/demux.h>
#include <net/net.h>
#include <net/netdev_driver.h>
#include <net/pci.h>

#define NET_IDLE_POLL_US 1000

static const struct netdev_pci_driver *const drivers[] = {
	&e1000_driver,
	&virtio_net_driver,
};

static void attach(struct pci_dev *pd)
{
	for (unsigned i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		if (!drivers[i]->match(pd))
			continue;
		if (drivers[i]->attach(pd) < 0) {
			printk("net: %s: %02x:%02x.%u not usable\n",
			       drivers[i]->name, pd->bus, pd->slot, pd->fn);
			continue;
		}
		pd->claimed_by = drivers[i]->name;
		return;
	}
}

/* idlepoll=US on the kernel command line; absent or malformed: 1000. */
static unsigned idle_poll_us(void)
{
	const char *s = cmdline_get(&boot_cmdline, "idlepoll");
	unsigned v = 0, digits = 0;

	if (s == NULL)
		return NET_IDLE_POLL_US;
	while (*s >= '0' && *s <= '9' && digits < 7) {
		v = v * 10 + (unsigned)(*s++ - '0');
		digits++;
	}
	if (digits == 0 || *s) {
		printk("net: idlepoll= wants microseconds; using %u\n", NET_IDLE_POLL_US);
		return NET_IDLE_POLL_US;
	}
	return v;
}

void net_init(void)
{
	pci_scan();
	for (unsigned i = 0; i < pci_count(); i++)
		attach(pci_get(i));
	for (unsigned i = 0; i < netdev_count(); i++) {
		struct netdev *d = netdev_get(i);
		uint8_t m[ETH_ALEN];
		netdev_mac(d, m);
		printk("net: %s: MAC %02x:%02x:%02x:%02x:%02x:%02x, link %s, %s\n",
		       netdev_name(d), m[0], m[1], m[2], m[3], m[4], m[5],
		       netdev_link_up(d) ? "up" : "down",
		       netdev_uses_irq(d) ? "interrupts" : "polled from the tick");
	}
	if (netdev_count() == 0)
		printk("net: no network device\n");
	else {
		unsigned us = idle_poll_us();
		netdev_set_idle_poll(us);
		if (us)
			printk("net: idle polling for %u us after each frame received\n", us);
		else
			printk("net: idle polling off (idlepoll=0): interrupts only\n");
	}
	demux_init();
}
