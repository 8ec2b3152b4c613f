#include <string.h>

#include <boot/boot.h>
#include <boot/bootinfo.h>
#include <console/console.h>

struct exo_bootinfo boot_info;
struct cmdline boot_cmdline;

void boot_accept(uint64_t bi_va)
{
	char why[160];

	/* Before reading a field: is the pointer even plausible? */
	if (bi_va < EXO_DIRECT_MAP || bi_va > EXO_KERNEL_BASE || (bi_va & 7))
		panic("bootinfo: pointer %#lx is not a direct-map address",
		      (unsigned long)bi_va);
	const struct exo_bootinfo *bi = (const struct exo_bootinfo *)bi_va;
	if (bootinfo_check(bi, why, sizeof(why)) != 0)
		panic("%s", why);
	memcpy(&boot_info, bi, sizeof(boot_info));
	if (cmdline_parse(&boot_cmdline, boot_info.cmdline) != 0)
		panic("cmdline: more than %d words: '%s'", CMDLINE_MAX_WORDS,
		      boot_info.cmdline);
	printk("kernel: command line '%s', %u memory regions, %u modules\n",
	       boot_info.cmdline, boot_info.mem_count, boot_info.mod_count);
}

const char *boot_test(void)
{
	return cmdline_get(&boot_cmdline, "test");
}
