# tools: build fragment (included by the top-level Makefile).
#
# Host programs of the DPF work, built by `make` into build/host/:
#   dpf-replay   pcap-filter expressions, translated to DPF, run over captures
#   dpf-bench    demux throughput: dpf-jit, dpf-interp, libpcap, dpdk-jit, hand
#   bpf2dpf      shows the DPF atoms an expression translates to
#   pcap-count   libpcap's own count: the reference of the agreement tests
# They link the DPF library as the kernel builds it ($(DPF_HOST_LIB) and the
# host environment shim $(DPF_HOST_ENV_LIB), from kernel/dpf/dpf.mk) and
# libpcap.
# Tests: tests/tools/ (unit tests of the translator, agreement with libpcap
# over pcaps/ and ../shared/pcaps, the replay CLI and bad input, the
# fixtures' reproducibility) and the `expr` fuzz target. `make bench`:
# bench/bench.mk.

TOOLS_INC := -Ikernel -Itools/bpf2dpf -Itools/lib
B2D_SRCS := $(addprefix tools/bpf2dpf/,pred.c path.c alu.c load.c exec.c \
              compile.c print.c)
TOOLS_LIB_SRCS := tools/lib/pktfile.c tools/lib/lines.c
DEMUX_SRCS := tools/lib/demux.c
BENCH_SRCS := $(addprefix tools/dpf-bench/,main.c workload.c engines.c \
                hand.c dpdk.c insert.c)

$(BUILD)/host/obj/tools/%.o: HOST_CFLAGS += $(TOOLS_INC)
$(BUILD)/test/obj/tools/%.o $(BUILD)/test/obj/tests/tools/%.o: \
  TEST_CFLAGS += $(TOOLS_INC)

# DPDK's rte_bpf for the dpdk-jit column of dpf-bench: optional.
DPDK_OK := $(shell pkg-config --exists libdpdk 2>/dev/null && echo yes)
ifeq ($(DPDK_OK),yes)
$(BUILD)/host/obj/tools/dpf-bench/dpdk.o: HOST_CFLAGS += -DHAVE_DPDK \
  $(filter-out -march=%,$(shell pkg-config --cflags libdpdk))
TOOLS_LDLIBS_dpf-bench := $(shell pkg-config --libs libdpdk)
endif
TOOLS_LDLIBS_dpf-bench += -lm

B2D_HOST_OBJS := $(call objs,host/obj,$(B2D_SRCS) $(TOOLS_LIB_SRCS))
TOOLS_DPF := $(DPF_HOST_LIB) $(DPF_HOST_ENV_LIB) # kernel/dpf/dpf.mk

$(BUILD)/host/bpf2dpf: $(call objs,host/obj,tools/bpf2dpf/main.c) \
  $(B2D_HOST_OBJS) $(DPF_HOST_LIB)
$(BUILD)/host/pcap-count: $(call objs,host/obj,tools/pcap-count/pcap-count.c) \
  $(B2D_HOST_OBJS) $(DPF_HOST_LIB)
$(BUILD)/host/dpf-replay: $(call objs,host/obj,tools/dpf-replay/dpf-replay.c \
  $(DEMUX_SRCS)) $(B2D_HOST_OBJS) $(TOOLS_DPF)
$(BUILD)/host/dpf-bench: $(call objs,host/obj,$(BENCH_SRCS) $(DEMUX_SRCS)) \
  $(B2D_HOST_OBJS) $(TOOLS_DPF)

TOOLS_PROGS := $(addprefix $(BUILD)/host/,bpf2dpf pcap-count dpf-replay \
                 dpf-bench)
$(TOOLS_PROGS):
	@mkdir -p $(dir $@)
	$(HOSTCC) $(filter %.o,$^) $(filter %.a,$^) -lpcap \
	  $(TOOLS_LDLIBS_$(notdir $@)) -o $@
HOST_TOOLS += $(TOOLS_PROGS)

# ---- tests ----
TOOLS_TEST_BIN := $(BUILD)/test/tests/tools

$(TOOLS_TEST_BIN)/test_bpf2dpf: $(call objs,test/obj,tests/tools/test_bpf2dpf.c \
  $(B2D_SRCS)) $(DPF_TEST_LIB)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(filter %.o,$^) $(filter %.a,$^) $(TEST_LDLIBS) -lpcap -o $@

# Shell tests run from the source tree; the wrapper in build/ depends on the
# tools so that `make check` builds them first.
TOOLS_SH_TESTS := agreement replay pcaps
$(addprefix $(TOOLS_TEST_BIN)/,$(TOOLS_SH_TESTS)): $(TOOLS_TEST_BIN)/%: \
  tests/tools/%.sh $(TOOLS_PROGS)
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nexec bash "%s/%s" "$$@"\n' "$(CURDIR)" "$<" >$@
	chmod +x $@

HOST_TESTS += $(TOOLS_TEST_BIN)/test_bpf2dpf \
  $(addprefix $(TOOLS_TEST_BIN)/,$(TOOLS_SH_TESTS))

# ---- fuzzing (rules in tests/fuzz/fuzz.mk, included after this file) ----
# Random pcap-filter expressions over random packets: DPF (both engines)
# against libpcap's bpf_filter; untranslatable expressions fail cleanly.
FUZZ_TARGETS += expr
FUZZ_SRCS_expr := tests/fuzz/fuzz_expr.c $(B2D_SRCS) $(DEMUX_SRCS) \
  $(DPF_SRCS) tools/lib/dpf_host_env.c
FUZZ_CFLAGS_expr := $(DPF_INC) $(TOOLS_INC)
FUZZ_LDLIBS_expr := -lpcap

include bench/bench.mk
