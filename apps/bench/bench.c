/*
 * bench: the exokernel side of `make bench-kernel`. The same four
 * operations as bench/linux/micro.c, timed the same way (rdtsc, medians
 * of 15 rounds), printed as "bench: NAME CYCLES":
 *
 *   null_syscall     sys_null()
 *   fault_roundtrip  touch an unmapped page -> page-fault upcall -> the
 *                    libOS maps it (page_map) -> the store resumes
 *   yield            directed yield between two envs; cycles per switch
 *   bind_map_page    bind a free frame + map it + unmap + release (the
 *                    whole life of a page, like Linux's mmap + munmap)
 *   bind_map_only    bind + map alone (unmap + release untimed)
 *
 * role=peer is the other side of the yield ping-pong (init starts it).
 */
#include <libos/args.h>
#include <libos/libos.h>

#define ROUNDS 15
#define VA 0x0000700000000000UL

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static uint64_t bench_null(void)
{
	uint64_t r[ROUNDS];

	for (int k = 0; k < ROUNDS; k++) {
		const int n = 2000;
		uint64_t t0 = rdtsc();
		for (int i = 0; i < n; i++)
			sys_null();
		r[k] = (rdtsc() - t0) / n;
	}
	return median(r, ROUNDS);
}

static int fault_handle;

static int map_on_fault(uint64_t vector, uint64_t error, uint64_t addr)
{
	if (vector != 14 || sys_page_map(0, fault_handle, (void *)(addr & ~0xfffUL),
					 EXO_PERM_W) != 0)
		return libos_default_exception(vector, error, addr);
	return 0;
}

static uint64_t bench_fault(void)
{
	uint64_t r[ROUNDS];
	uint32_t frame;

	fault_handle = page_bind_free(&frame);
	libos_handlers.exception = map_on_fault;
	sys_page_map(0, fault_handle, (void *)VA, EXO_PERM_W);
	for (int k = 0; k < ROUNDS; k++) {
		const int n = 200;
		uint64_t total = 0;
		for (int i = 0; i < n; i++) {
			sys_page_unmap(0, (void *)VA);
			uint64_t t0 = rdtsc();
			*(volatile char *)VA = 1;
			total += rdtsc() - t0;
		}
		r[k] = total / n;
	}
	libos_handlers.exception = libos_default_exception;
	sys_page_unmap(0, (void *)VA);
	revoke_resource(fault_handle);
	return median(r, ROUNDS);
}

/* yield(0) with nobody else runnable: the switch path without a CR3 load. */
static uint64_t bench_yield_self(void)
{
	uint64_t r[ROUNDS];

	for (int k = 0; k < ROUNDS; k++) {
		const int n = 2000;
		uint64_t t0 = rdtsc();
		for (int i = 0; i < n; i++)
			sys_yield(0);
		r[k] = (rdtsc() - t0) / n;
	}
	return median(r, ROUNDS);
}

static uint64_t bench_yield(long peer)
{
	uint64_t r[ROUNDS];

	sys_ipc_send(peer, 0, 0);
	sys_yield(peer);   /* let the peer reach its loop */
	for (int k = 0; k < ROUNDS; k++) {
		const int n = 2000;
		uint64_t t0 = rdtsc();
		for (int i = 0; i < n; i++)
			sys_yield(peer);
		r[k] = (rdtsc() - t0) / (2 * n);   /* a round trip is two switches */
	}
	return median(r, ROUNDS);
}

static uint64_t bench_map(int unmap_timed)
{
	uint64_t r[ROUNDS];
	uint32_t frame;

	for (int k = 0; k < ROUNDS; k++) {
		const int n = 500;
		uint64_t total = 0;
		for (int i = 0; i < n; i++) {
			uint64_t t0 = rdtsc();
			int h = page_bind_free(&frame);
			sys_page_map(0, h, (void *)VA, EXO_PERM_W);
			uint64_t t1 = rdtsc();
			sys_page_unmap(0, (void *)VA);
			revoke_resource(h);
			total += (unmap_timed ? rdtsc() : t1) - t0;
		}
		r[k] = total / n;
	}
	return median(r, ROUNDS);
}

static int peer(void)
{
	uint64_t m[3];

	ipc_wait(m);
	while (sys_yield((long)m[0]) == 0)
		;
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	const char *role = arg_value(argc, argv, "role");
	long p = 0;

	if (role && role[0] == 'p' && role[1] == 'e')
		return peer();
	for (const char *v = arg_value(argc, argv, "peer"); v && *v >= '0' && *v <= '9'; v++)
		p = p * 10 + (*v - '0');
	printf("bench: null_syscall %lu\n", (unsigned long)bench_null());
	printf("bench: fault_roundtrip %lu\n", (unsigned long)bench_fault());
	printf("bench: yield_self %lu\n", (unsigned long)bench_yield_self());
	printf("bench: yield %lu\n", (unsigned long)(p ? bench_yield(p) : 0));
	printf("bench: bind_map_page %lu\n", (unsigned long)bench_map(1));
	printf("bench: bind_map_only %lu\n", (unsigned long)bench_map(0));
	return 0;
}
