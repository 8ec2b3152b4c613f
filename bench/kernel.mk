# Kernel figures (issue 4): cycles (rdtsc) for a null system call, a
# page-fault upcall round trip, a directed yield between two envs, and
# binding + mapping a page, booted from build/exo.iso with test=bench
# (apps/bench), beside the same operations in the Linux 6.1 peer guest
# (bench/linux/micro.c, booted with bench=micro) in the same QEMU
# settings. Prints the table and writes build/bench/kernel.md, which
# docs/libos.md quotes. About a minute (3 boots of each).
#
#   make bench-kernel                      BENCH_KERNEL_RUNS=5 for more boots

BENCH_KERNEL_RUNS ?= 3

.PHONY: bench-kernel
bench-kernel: $(BUILD)/exo.iso $(LINUX_ISO)
	@mkdir -p $(BUILD)/bench
	$(PYTHON) bench/kernel_bench.py --runs $(BENCH_KERNEL_RUNS) \
	  --out $(BUILD)/bench/kernel.md $(BUILD)/exo.iso $(LINUX_ISO)
	@cat $(BUILD)/bench/kernel.md
