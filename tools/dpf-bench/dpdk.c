/*
 * DPDK's rte_bpf JIT as a dpf-bench engine (built when pkg-config finds
 * libdpdk; HAVE_DPDK).
 *
 * Each classic BPF filter is converted to eBPF (rte_bpf_convert), loaded
 * (rte_bpf_load: validation) and JIT-compiled (rte_bpf_get_jit); a packet
 * is classified by calling each filter's native code in turn until one
 * accepts, as with libpcap. Converted programs take an rte_mbuf: one mbuf
 * header is pointed at each packet before the calls (a few stores, part of
 * the measured cost, as a real driver hands the filter a ready mbuf).
 *
 * Why a child process: DPDK 22.11's converter and JIT have known bugs with
 * indirect loads (`ld [x+k]`), and a miscompiled filter may crash instead
 * of answering. The whole engine (EAL initialisation included: rte_zmalloc
 * needs it) runs in a fork()ed child that reports through shared memory; a
 * crash becomes an error message for that N, and wrong verdicts are caught
 * by the caller's cross-check against libpcap.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#ifdef HAVE_DPDK
#define ALLOW_EXPERIMENTAL_API
#include <rte_bpf.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <stdlib.h>

struct shared {
	int ok;
	double ns;
	char msg[256];
	uint32_t verdicts[];
};

static int eal_up(void)
{
	static char *args[] = {
		"dpf-bench", "--no-huge", "--no-pci", "--no-shconf",
		"--no-telemetry", "-l", "0", "-m", "64",
		"--log-level=*:critical", NULL,
	};

	return rte_eal_init(10, args);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void child(struct shared *sh, const struct workload *w,
		  const struct bpf_program *progs, size_t n, size_t first,
		  size_t stride, size_t count, int repeat)
{
	struct rte_bpf_jit *jit = calloc(n, sizeof(*jit));
	double *times = calloc((size_t)repeat, sizeof(*times));
	static struct rte_mbuf m;
	size_t f, i, at;
	int r;

	if (!jit || !times || eal_up() < 0) {
		snprintf(sh->msg, sizeof(sh->msg), "EAL initialisation failed");
		return;
	}
	for (f = 0; f < n; f++) {
		struct rte_bpf_prm *prm = rte_bpf_convert(&progs[f]);
		struct rte_bpf *bpf = prm ? rte_bpf_load(prm) : NULL;

		rte_free(prm);
		if (!bpf || rte_bpf_get_jit(bpf, &jit[f]) < 0 || !jit[f].func) {
			snprintf(sh->msg, sizeof(sh->msg), "filter %zu: %s "
				 "failed: %s%s", f + 1, !prm ? "rte_bpf_convert"
				 : !bpf ? "rte_bpf_load" : "rte_bpf_get_jit",
				 rte_strerror(rte_errno), f < 1000 ? "" :
				 " (each loaded program holds its own memory "
				 "mappings: see /proc/sys/vm/max_map_count)");
			return;
		}
	}
	m.nb_segs = 1;
	m.data_off = 0;
	for (r = 0; r < repeat; r++) {
		double t0 = bench_now_ns();

		for (i = 0, at = first; i < count; i++, at += stride) {
			const struct pkt *k = w->seq[at];
			uint32_t id = 0;

			/* one segment: an mbuf holds at most 64 KiB */
			uint16_t len = k->caplen > 0xffff ? 0xffff :
				       (uint16_t)k->caplen;

			m.buf_addr = (void *)(uintptr_t)k->data;
			m.data_len = len;
			m.pkt_len = len;
			for (f = 0; f < n; f++)
				if (jit[f].func(&m)) {
					id = (uint32_t)f + 1;
					break;
				}
			sh->verdicts[i] = id;
		}
		times[r] = (bench_now_ns() - t0) / (double)count;
	}
	qsort(times, (size_t)repeat, sizeof(*times), cmp_double);
	sh->ns = times[repeat / 2];
	sh->ok = 1;
}

int dpdk_available(void)
{
	return 1;
}

int dpdk_measure(const struct workload *w, const struct bpf_program *progs,
		 size_t n, size_t first, size_t stride, size_t count,
		 int repeat, uint32_t *verdicts, double *ns_per_pkt,
		 char *err, size_t errlen)
{
	size_t size = sizeof(struct shared) + count * sizeof(uint32_t);
	struct shared *sh = mmap(NULL, size, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status, rc = -1;
	pid_t pid;

	if (sh == MAP_FAILED) {
		snprintf(err, errlen, "mmap failed");
		return -1;
	}
	memset(sh, 0, sizeof(*sh));
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		child(sh, w, progs, n, first, stride, count, repeat);
		_exit(0); /* skip DPDK's and stdio's exit handlers */
	}
	if (pid < 0) {
		snprintf(err, errlen, "fork failed");
	} else if (waitpid(pid, &status, 0) < 0) {
		snprintf(err, errlen, "waitpid failed");
	} else if (WIFSIGNALED(status)) {
		snprintf(err, errlen, "the DPDK child crashed (signal %d, %s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	} else if (!sh->ok) {
		snprintf(err, errlen, "%s", sh->msg[0] ? sh->msg :
			 "the DPDK child failed");
	} else {
		memcpy(verdicts, sh->verdicts, count * sizeof(uint32_t));
		*ns_per_pkt = sh->ns;
		rc = 0;
	}
	munmap(sh, size);
	return rc;
}

#else /* !HAVE_DPDK */

int dpdk_available(void)
{
	return 0;
}

int dpdk_measure(const struct workload *w, const struct bpf_program *progs,
		 size_t n, size_t first, size_t stride, size_t count,
		 int repeat, uint32_t *verdicts, double *ns_per_pkt,
		 char *err, size_t errlen)
{
	(void)w, (void)progs, (void)n, (void)first, (void)stride;
	(void)count, (void)repeat, (void)verdicts, (void)ns_per_pkt;
	snprintf(err, errlen, "built without DPDK (pkg-config libdpdk)");
	return -1;
}

#endif
