/*
 * Kernel-side integration tests, selected with test=NAME on the command
 * line (tests/qemu/cases/NAME.test). Each prints "PASS: ..." itself and powers
 * QEMU off with the success status, or prints "FAIL: ..." and exits with
 * the failure status. Tests that run in user mode (boot, syscall-badptr)
 * live in apps/init instead.
 */
#ifndef TEST_KTEST_H
#define TEST_KTEST_H

#include <stddef.h>
#include <stdint.h>

void ktest_pass(const char *what) __attribute__((noreturn));
void ktest_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* Tests that run before any env exists; return if `name` is not one. */
void ktest_early(const char *name);

/* The early tests themselves (test=kpanic, kstack-overflow, timer). */
void ktest_kpanic(void) __attribute__((noreturn));
void ktest_kstack_overflow(void) __attribute__((noreturn));
void ktest_timer(void) __attribute__((noreturn));

/* test=net-*: network drivers (test/net_test.c); returns if unknown. */
void ktest_net(const char *name);

/* Free-page counts around the two reclaims. */
struct reclaim_stats {
	uint64_t loader_before, loader_after;
	uint64_t module_before, module_after;
	uint32_t modules_done;   /* bitmask over boot_info.mods[] */
};

/* test=reclaim: the counts must match the memory map exactly. */
void ktest_reclaim(const struct reclaim_stats *st) __attribute__((noreturn));

/*
 * test=user-faults: run the init image once per fault kind (argv gains
 * "fault=KIND"); each must be killed with the right vector and give all
 * of its memory back; then a clean run must exit 0.
 */
void ktest_user_faults(const void *elf, size_t size, const char *const *argv,
		       int argc) __attribute__((noreturn));

#endif /* TEST_KTEST_H */
