/*
 * test=reclaim: the free-page count must grow by exactly the LOADER pages
 * of the memory map when the loader's memory is reclaimed, and by exactly
 * the MODULE pages of the consumed modules after init is loaded. The
 * expected numbers come straight from the map, not from the reclaim code.
 */
#include <boot/boot.h>
#include <boot/bootinfo.h>
#include <console/console.h>
#include <test/ktest.h>

/* MODULE pages, minus regions that touch a module not in `done`. */
static uint64_t expected_module_pages(uint32_t done)
{
	uint64_t n = bootinfo_pages(&boot_info, EXO_MEM_MODULE);

	for (uint32_t i = 0; i < boot_info.mem_count; i++) {
		const struct exo_mem_region *r = &boot_info.mem[i];
		if (r->type != EXO_MEM_MODULE)
			continue;
		for (uint32_t m = 0; m < boot_info.mod_count; m++) {
			const struct exo_module *mod = &boot_info.mods[m];
			if (!(done & (1u << m)) && mod->start < r->base + r->length &&
			    mod->end > r->base) {
				n -= r->length / 4096;
				break;
			}
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
