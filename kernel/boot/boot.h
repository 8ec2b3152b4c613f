/*
 * What the kernel keeps from the boot: its own copy of the boot
 * information (the original lives in loader memory that is reclaimed) and
 * the parsed command line.
 */
#ifndef BOOT_BOOT_H
#define BOOT_BOOT_H

#include <stdint.h>

#include <boot/cmdline.h>
#include <exo/bootinfo.h>

extern struct exo_bootinfo boot_info;
extern struct cmdline boot_cmdline;

/*
 * Check the loader's structure at virtual address bi_va and copy it;
 * panics with the reason if it is unusable.
 */
void boot_accept(uint64_t bi_va);

/* The test selected with test=NAME, or NULL. */
const char *boot_test(void);

#endif /* BOOT_BOOT_H */
