# bench: `make bench` runs dpf-bench (CSV) and plots ns/packet against the
# number of filters, one line per engine, into build/bench/:
#   bench.csv  the measurements         bench.png  the plot (gnuplot)
#   bench.log  notes: workload, subsampling, insert + re-JIT time
#   figures.md the ratios docs/dpf.md's "## Figures" section quotes
# It takes about half a minute (65536 filters per engine); BENCH_ARGS sets the
# options (default: 9 runs per measurement), e.g.
#   make bench BENCH_ARGS="--filters 1,16,256 -n 200000".

BENCH_DIR := $(BUILD)/bench
BENCH_ARGS ?= --repeat 9

.PHONY: bench
bench: $(BUILD)/host/dpf-bench
	@mkdir -p $(BENCH_DIR)
	$(BUILD)/host/dpf-bench --csv $(BENCH_ARGS) >$(BENCH_DIR)/bench.csv \
	  2>$(BENCH_DIR)/bench.log || { cat $(BENCH_DIR)/bench.log; exit 1; }
	cat $(BENCH_DIR)/bench.log $(BENCH_DIR)/bench.csv
	gnuplot -e "csv='$(BENCH_DIR)/bench.csv'; png='$(BENCH_DIR)/bench.png'" \
	  bench/plot.gp
	$(PYTHON) bench/figures.py $(BENCH_DIR)/bench.csv $(BENCH_DIR)/bench.log \
	  >$(BENCH_DIR)/figures.md
	cat $(BENCH_DIR)/figures.md
