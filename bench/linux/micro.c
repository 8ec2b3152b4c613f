/*
 * Linux peer for `make bench-kernel`: the same operations the exokernel
 * benchmark times, measured in cycles (rdtsc) inside the Linux 6.1 guest.
 *
 *   null syscall       getpid() via syscall(2), so libc caching can't help
 *   fault round trip   touch a PROT_NONE page -> SIGSEGV handler mprotects it
 *                      -> the faulting instruction resumes
 *   yield              two processes on one CPU calling sched_yield; cycles
 *                      per call (CFS often does not switch at all: see switch)
 *   switch             two processes on one CPU ping-ponging a byte over two
 *                      pipes: every step is a real context switch (the fair
 *                      peer of a directed yield); cycles per switch
 *   map one page       mmap(MAP_POPULATE) of one anonymous page + munmap
 *
 * Built static with musl-gcc; prints "micro: NAME CYCLES" lines (medians).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 15

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

static uint64_t bench_getpid(void)
{
	uint64_t r[ROUNDS];
	for (int k = 0; k < ROUNDS; k++) {
		const int n = 2000;
		uint64_t t0 = rdtsc();
		for (int i = 0; i < n; i++)
			syscall(SYS_getpid);
		r[k] = (rdtsc() - t0) / n;
	}
	return median(r, ROUNDS);
}

static char *fault_page;
static long page_size;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	mprotect((void *)((uintptr_t)si->si_addr & ~(uintptr_t)(page_size - 1)),
		 page_size, PROT_READ | PROT_WRITE);
}

static uint64_t bench_fault(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	fault_page = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	uint64_t r[ROUNDS];
	for (int k = 0; k < ROUNDS; k++) {
		const int n = 200;
		uint64_t total = 0;
		for (int i = 0; i < n; i++) {
			mprotect(fault_page, page_size, PROT_NONE);
			uint64_t t0 = rdtsc();
			*(volatile char *)fault_page = 1;
			total += rdtsc() - t0;
		}
		r[k] = total / n;
	}
	return median(r, ROUNDS);
}

static uint64_t bench_yield(void)
{
	uint64_t r[ROUNDS];
	for (int k = 0; k < ROUNDS; k++) {
		const int n = 2000;
		pid_t child = fork();
		if (child == 0) {
			for (int i = 0; i < n; i++)
				sched_yield();
			_exit(0);
		}
		sched_yield(); /* let the child start spinning */
		uint64_t t0 = rdtsc();
		for (int i = 0; i < n; i++)
			sched_yield();
		uint64_t t = rdtsc() - t0;
		waitpid(child, NULL, 0);
		r[k] = t / (2 * n); /* each round trip is two switches */
	}
	return median(r, ROUNDS);
}

static uint64_t bench_switch(void)
{
	uint64_t r[ROUNDS];
	for (int k = 0; k < ROUNDS; k++) {
		const int n = 1000;
		int ab[2], ba[2];
		char c = 0;
		if (pipe(ab) < 0 || pipe(ba) < 0)
			return 0;
		pid_t child = fork();
		if (child == 0) {
			for (int i = 0; i < n; i++) {
				if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
					_exit(1);
			}
			_exit(0);
		}
		uint64_t t0 = rdtsc();
		for (int i = 0; i < n; i++) {
			if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
				break;
		}
		uint64_t t = rdtsc() - t0;
		waitpid(child, NULL, 0);
		close(ab[0]); close(ab[1]); close(ba[0]); close(ba[1]);
		r[k] = t / (2 * n); /* each round trip is two switches */
	}
	return median(r, ROUNDS);
}

static uint64_t bench_map(void)
{
	uint64_t r[ROUNDS];
	for (int k = 0; k < ROUNDS; k++) {
		const int n = 500;
		uint64_t t0 = rdtsc();
		for (int i = 0; i < n; i++) {
			void *p = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
			munmap(p, page_size);
		}
		r[k] = (rdtsc() - t0) / n;
	}
	return median(r, ROUNDS);
}

int main(void)
{
	page_size = sysconf(_SC_PAGESIZE);
	printf("micro: null_syscall %llu\n", (unsigned long long)bench_getpid());
	printf("micro: fault_roundtrip %llu\n", (unsigned long long)bench_fault());
	printf("micro: yield %llu\n", (unsigned long long)bench_yield());
	printf("micro: switch %llu\n", (unsigned long long)bench_switch());
	printf("micro: bind_map_page %llu\n", (unsigned long long)bench_map());
	fflush(stdout);
	return 0;
}
