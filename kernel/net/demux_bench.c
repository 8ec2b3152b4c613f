/*
 * test=net-demux-bench: the kernel's demultiplexing cost per packet with
 * 1, 256 and 4096 filters on one trie (docs/net.md, Figures). Filter k
 * is "IPv4, UDP, destination 10.77.0.2, destination port 10000 + k" (the
 * shape a libOS binds for a socket), so the trie has one hash group on
 * the port. For each size the JIT image is timed with rdtsc over a
 * packet that matches the last filter and one that matches none (best
 * of 9 batches), and every verdict is checked. The filters share one owner: the overlap
 * rule's cost is a bind-time cost, measured by dpf-bench, not here.
 */
#include <arch/cpu.h>
#include <console/console.h>
#include <dpf/dpf.h>
#include <net/dpf_kenv.h>
#include <test/ktest.h>
#include <test/net_test.h>
#include <time/timer.h>

#define ROUNDS 10000
#define BATCHES 9

static uint8_t prog[512];
static struct dpf_filter filt;

static size_t udp_port_filter(uint16_t port)
{
	struct dpf_builder b;

	dpf_build_init(&b, prog, sizeof(prog));
	dpf_build_path(&b);
	dpf_build_cmp(&b, 0, 12, DPF_W16, 0xffff, DPF_EQ, 0x0800);
	dpf_build_cmp(&b, 0, 23, DPF_W8, 0xff, DPF_EQ, 17);
	dpf_build_cmp(&b, 0, 30, DPF_W32, 0xffffffff, DPF_EQ, 0x0a4d0002);
	dpf_build_shift(&b, 0, 14, DPF_W8, 0x0f, 2, 14);
	dpf_build_cmp(&b, DPF_F_REL, 2, DPF_W16, 0xffff, DPF_EQ, port);
	return dpf_build_finish(&b);
}

static void udp_packet(uint8_t *p, uint16_t port)
{
	for (int i = 0; i < 64; i++)
		p[i] = 0;
	p[12] = 0x08;                 /* IPv4 */
	p[14] = 0x45;                 /* version 4, IHL 5 */
	p[23] = 17;                   /* UDP */
	p[30] = 10; p[31] = 77; p[32] = 0; p[33] = 2;
	p[36] = (uint8_t)(port >> 8);
	p[37] = (uint8_t)port;
}

/* Cycles per lookup: the best of BATCHES batches of ROUNDS lookups, so a
 * batch that the host preempted (TCG, shared CPUs) does not count. */
static uint64_t time_lookup(dpf_jit_fn fn, const uint8_t *pkt, uint32_t want)
{
	uint64_t best = UINT64_MAX;

	for (int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();
		for (int i = 0; i < ROUNDS; i++)
			if (fn(pkt, 64, 64) != want)
				ktest_fail("net-demux-bench: wrong verdict");
		uint64_t c = (rdtsc() - t0) / ROUNDS;
		best = c < best ? c : best;
	}
	return best;
}

void ktest_net_demux_bench(void)
{
	static const unsigned sizes[] = { 1, 256, 4096 };
	struct dpf_trie *t = dpf_trie_create(dpf_kenv());
	struct dpf_error err;
	uint8_t hit[64], miss[64];
	unsigned n = 0;
	uint64_t mhz = timer_tsc_hz() / 1000000;

	if (t == NULL)
		ktest_fail("net-demux-bench: no memory for a trie");
	udp_packet(miss, 9);
	for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (; n < sizes[s]; n++) {
			size_t len = udp_port_filter((uint16_t)(10000 + n));
			if (len == 0 || dpf_verify(prog, len, &filt, &err) != 0 ||
			    dpf_trie_insert(t, &filt, n + 1, 1, 0, &err) != 0)
				ktest_fail("net-demux-bench: filter %u: %s", n, err.msg);
		}
		uint64_t c0 = rdtsc();
		struct dpf_jit *j = dpf_jit_compile(t, &err);
		uint64_t cc = rdtsc() - c0;
		if (j == NULL)
			ktest_fail("net-demux-bench: JIT: %s", err.msg);
		udp_packet(hit, (uint16_t)(10000 + n - 1));
		dpf_jit_fn fn = dpf_jit_entry(j);
		uint64_t ch = time_lookup(fn, hit, n);
		uint64_t cm = time_lookup(fn, miss, DPF_NO_MATCH);
		printk("demux-bench: filters %u: hit %lu cycles, miss %lu cycles "
		       "(TSC %lu MHz); image %lu bytes, compiled in %lu us\n", n,
		       (unsigned long)ch, (unsigned long)cm, (unsigned long)mhz,
		       (unsigned long)dpf_jit_size(j),
		       (unsigned long)(mhz ? cc / mhz : 0));
		dpf_jit_free(j);
	}
	dpf_trie_destroy(t);
	struct dpf_kenv_stats ks;
	dpf_kenv_stats(&ks);
	if (ks.code_frames != 0 || ks.heap_bytes != 0)
		ktest_fail("net-demux-bench: leaked %lu code frames, %lu heap bytes",
			   (unsigned long)ks.code_frames, (unsigned long)ks.heap_bytes);
	ktest_pass("net-demux-bench");
}
