/*
 * test=kpanic: the kernel faults on purpose, to show that a ring-0
 * exception ends in a register dump and "PANIC" with the failure status
 * (tests/qemu/cases/kernel-panic.test expects exactly that).
 */
#include <stdint.h>

#include <console/console.h>
#include <test/ktest.h>

/* A lower-half address: nothing is mapped there while no env runs. */
static volatile uint64_t *volatile bad = (volatile uint64_t *)0x0000000dead00000ULL;

void ktest_kpanic(void)
{
	printk("ktest: kpanic: writing to unmapped %p\n", (void *)bad);
	*bad = 1;
	panic("ktest: kpanic: the write did not fault");
}
