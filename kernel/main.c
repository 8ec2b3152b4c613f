/*
 * kmain: the order in which the kernel takes over the machine from the
 * loader (docs/boot.md, "Kernel side").
 *
 *   1. console, then check and copy the boot information;
 *   2. CPU state: features (NX, SSE for user mode), GDT/TSS, IDT, per-CPU;
 *   3. memory: frame allocator, own page tables (then SMEP/SMAP), kernel
 *      stacks, reclaim of the loader's memory;
 *   4. syscall MSRs, timer;
 *   5. the bookkeeping window and the slice vector;
 *   6. init: load it from its module, reclaim the modules, hand it the
 *      initrd, and run the scheduler.
 */
#include <string.h>

#include <arch/cpu.h>
#include <arch/features.h>
#include <arch/gdt.h>
#include <arch/irq.h>
#include <arch/kctx.h>
#include <arch/percpu.h>
#include <arch/syscall.h>
#include <arch/trap.h>
#include <boot/boot.h>
#include <boot/bootinfo.h>
#include <console/console.h>
#include <env/env.h>
#include <mm/book.h>
#include <mm/kvm.h>
#include <mm/page.h>
#include <mm/phys.h>
#include <mm/pmem.h>
#include <net/net.h>
#include <sched/sched.h>
#include <test/ktest.h>
#include <time/timer.h>

#define KSTACK_PAGES 4   /* per-CPU: syscalls and traps from ring 3 */
#define MAIN_PAGES 8     /* the main flow (kmain_main, env_run, tests) */
#define IST_PAGES 2

static struct reclaim_stats reclaim;

void kmain(uint64_t bootinfo_va) __attribute__((noreturn));

/*
 * Kernel stacks live in the stack window with guard pages (mm/kvm.h); the
 * boot stack in .bss has none and is left as soon as they exist.
 */
static void stacks_init(void)
{
	uint64_t top = kvm_alloc_stack(KSTACK_PAGES);

	tss_set_rsp0(top);
	this_cpu()->kstack_top = top;
	tss_set_ist(IST_DF, kvm_alloc_stack(IST_PAGES));
	tss_set_ist(IST_NMI, kvm_alloc_stack(IST_PAGES));
	tss_set_ist(IST_MC, kvm_alloc_stack(IST_PAGES));
}

static void reclaim_loader(void)
{
	reclaim.loader_before = pmem_free_pages();
	uint64_t n = pmem_reclaim_type(&boot_info, EXO_MEM_LOADER);
	reclaim.loader_after = pmem_free_pages();
	printk("mm: reclaimed %lu loader pages; free %lu -> %lu pages\n",
	       (unsigned long)n, (unsigned long)reclaim.loader_before,
	       (unsigned long)reclaim.loader_after);
}

/* The kernel file and init's image are consumed once init is loaded. */
static void reclaim_modules(void)
{
	uint32_t done = 0;

	for (uint32_t m = 0; m < boot_info.mod_count; m++)
		if (strcmp(boot_info.mods[m].name, "kernel") == 0 ||
		    strcmp(boot_info.mods[m].name, "init") == 0)
			done |= 1u << m;
	reclaim.modules_done = done;
	reclaim.module_before = pmem_free_pages();
	uint64_t n = pmem_reclaim_modules(&boot_info, done);
	reclaim.module_after = pmem_free_pages();
	printk("mm: reclaimed %lu module pages; free %lu -> %lu pages\n",
	       (unsigned long)n, (unsigned long)reclaim.module_before,
	       (unsigned long)reclaim.module_after);
}

/* argv for init: "init" and then the words of the kernel command line. */
static int init_argv(const char **argv, int max)
{
	int argc = 0;

	argv[argc++] = "init";
	for (int i = 0; i < boot_cmdline.nwords && argc < max; i++)
		argv[argc++] = boot_cmdline.words[i];
	return argc;
}

/* The initrd stays where GRUB put it; init binds its pages read-only. */
static void offer_initrd(void)
{
	const struct exo_module *mod = bootinfo_module(&boot_info, "initrd");

	if (mod == NULL)
		return;
	book_set_initrd(mod->start, mod->end);
	printk("kernel: initrd: %lu bytes at frame %#lx, for init to bind\n",
	       (unsigned long)(mod->end - mod->start),
	       (unsigned long)(mod->start / 4096));
}

static void run_init(const char *test)
{
	const struct exo_module *mod = bootinfo_module(&boot_info, "init");
	const char *argv[CMDLINE_MAX_WORDS + 1];
	struct env_stop st;
	char why[160];

	if (mod == NULL)
		panic("kernel: no module named 'init' (see boot/grub.cfg)");
	const void *image = pa2va(mod->start);
	size_t size = mod->end - mod->start;
	int argc = init_argv(argv, CMDLINE_MAX_WORDS + 1);

	if (test && strcmp(test, "user-faults") == 0)
		ktest_user_faults(image, size, argv, argc);
	struct env *e = env_create(image, size, argv, argc, why, sizeof(why));
	if (e == NULL)
		panic("kernel: cannot start init: %s", why);
	e->caps = EXO_CAP_ALL;   /* init holds every capability */
	env_book_sync(e);
	reclaim_modules();
	offer_initrd();
	if (test && strcmp(test, "reclaim") == 0)
		ktest_reclaim(&reclaim);
	printk("kernel: starting init as env %d\n", e->id);
	sched_run_until(e, &st);
	if (st.killed)
		printk("kernel: init died (%s)\n", trap_name(st.vector));
	else
		printk("kernel: init exited with status %d\n", st.status);
	if (test)
		ktest_fail("test '%s' did not finish (init stopped without powering off)",
			   test);
	sched_run_until(NULL, &st);
}

/* The rest of the boot, on a guarded stack. */
static void kmain_main(void)
{
	book_init();
	page_init();
	sched_init();
	reclaim_loader();
	syscall_init();
	timer_init();
	irq_init();
	net_init();

	const char *test = boot_test();
	if (test) {
		printk("kernel: test '%s' selected\n", test);
		ktest_early(test);
	}
	run_init(test);
	printk("kernel: nothing left to run; idling\n");
	for (;;)
		sti_hlt();
}

void kmain(uint64_t bootinfo_va)
{
	console_init();
	printk("kernel: exokernel starting\n");
	boot_accept(bootinfo_va);
	cpu_features_init();
	gdt_init();
	idt_init();
	percpu_init();
	pmem_init(&boot_info);
	kvm_init(&boot_info);
	cpu_protect_init();
	stacks_init();
	kctx_start(kvm_alloc_stack(MAIN_PAGES), kmain_main);
}
