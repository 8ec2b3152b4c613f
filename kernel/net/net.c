/* Network bring-up (net/net.h). */
#include <console/console.h>
#include <net/demux.h>
#include <net/net.h>
#include <net/netdev_driver.h>
#include <net/pci.h>

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
	demux_init();
}
