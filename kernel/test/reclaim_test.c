/*
 * test=reclaim: the free-page count must grow by exactly the LOADER pages
 * of the memory map when the loader's memory is reclaimed, and by exactly
 * the MODULE pages of the consumed modules (less any page shared with the
 * initrd, which stays) after init is loaded. The expected numbers come
 * straight from the map, not from the reclaim code.
 */
#include <boot/boot.h>
#include <boot/bootinfo.h>
#include <console/console.h>
#include <test/ktest.h>

/*
 * Pages of MODULE regions that hold a consumed module and no live one,
 * walked region by region from the map.
 */
static uint64_t expected_module_pages(uint32_t done)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < boot_info.mem_count; i++) {
		const struct exo_mem_region *r = &boot_info.mem[i];
		if (r->type != EXO_MEM_MODULE)
			continue;
		for (uint64_t pa = r->base; pa < r->base + r->length; pa += 4096) {
			int used = 0, busy = 0;
			for (uint32_t m = 0; m < boot_info.mod_count; m++) {
				const struct exo_module *mod = &boot_info.mods[m];
				if (mod->start < pa + 4096 && mod->end > pa) {
					if (done & (1u << m))
						used = 1;
					else
						busy = 1;
				}
			}
			n += used && !busy;
		}
	}
	return n;
}

void ktest_reclaim(const struct reclaim_stats *st)
{
	uint64_t want_loader = bootinfo_pages(&boot_info, EXO_MEM_LOADER);
	uint64_t want_mod = expected_module_pages(st->modules_done);
	uint64_t got_loader = st->loader_after - st->loader_before;
	uint64_t got_mod = st->module_after - st->module_before;

	printk("ktest: reclaim: loader %lu pages (map says %lu), modules %lu pages (map says %lu)\n",
	       (unsigned long)got_loader, (unsigned long)want_loader,
	       (unsigned long)got_mod, (unsigned long)want_mod);
	if (want_loader == 0 || want_mod == 0)
		ktest_fail("reclaim: the map has no loader or module memory to reclaim");
	if (got_loader != want_loader || got_mod != want_mod)
		ktest_fail("reclaim: free-page growth does not match the memory map");
	ktest_pass("reclaim");
}
