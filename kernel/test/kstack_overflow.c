/*
 * test=kstack-overflow: unbounded recursion on the kernel's main stack
 * must hit the guard page below it. The #PF cannot be delivered on the
 * stack that overflowed, which makes it a double fault; #DF runs on its own
 * IST stack and ends in the usual register dump and panic. Without guard
 * pages and IST this would silently corrupt memory or triple-fault.
 */
#include <stdint.h>

#include <console/console.h>
#include <test/ktest.h>

static int __attribute__((noinline)) dive(volatile char *up, int depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	frame[511] = up ? up[0] : 0;
	if (depth > 1000000)  /* never reached: 512 MB of stack */
		return 0;
	return dive(frame, depth + 1) + frame[511];
}

void ktest_kstack_overflow(void)
{
	printk("ktest: kstack-overflow: recursing until the guard page\n");
	dive(NULL, 0);
	panic("ktest: kstack-overflow: the recursion returned");
}
