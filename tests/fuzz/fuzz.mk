# tests/fuzz: libFuzzer targets, built with clang
# (-fsanitize=fuzzer,address,undefined) into build/fuzz/fuzz_NAME.
#
#   make fuzz                              every target, FUZZ_SECONDS (60) each
#   make fuzz FUZZ_RUN=bytecode FUZZ_SECONDS=600   one target, longer
#   make check                             a smoke run, FUZZ_SMOKE_SECONDS (15)
#                                          per target, counted as one test each
#
# Declaring a target NAME (in this file, or in any fragment that the
# top-level Makefile includes before this one, e.g. tools/tools.mk):
#   FUZZ_TARGETS += NAME
#   FUZZ_SRCS_NAME   := the .c files, compiled and linked in one clang run
#   FUZZ_CFLAGS_NAME := extra compiler flags          (optional)
#   FUZZ_LDLIBS_NAME := extra libraries               (optional)
#   FUZZ_SEEDS_NAME  := directories of seed inputs    (optional)
# Findings go to build/fuzz/crash-NAME-*, the growing corpus to
# build/fuzz/corpus/NAME, logs to build/test-logs/fuzz-NAME.log.

FUZZ_TARGETS += bytecode
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 15
FUZZ_CFLAGS := $(WARN) -O1 -g -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -Iinclude -Ilib -DEXO_HOST -DEXO_FUZZ

# Random bytecode + random packets: the verifier never crashes, accepted
# filters agree under the JIT and the interpreter. Seeds: hand-made
# programs (tests/fuzz/seeds/bytecode) joined with packets from pcaps/.
FUZZ_SRCS_bytecode := tests/fuzz/fuzz_bytecode.c $(DPF_SRCS) \
  tools/lib/dpf_host_env.c
FUZZ_CFLAGS_bytecode := $(DPF_INC)
FUZZ_SEEDS_bytecode := $(BUILD)/fuzz/seeds/bytecode

$(BUILD)/fuzz/seeds/bytecode: tests/fuzz/make-seeds.py \
  $(wildcard tests/fuzz/seeds/bytecode/*.dpf) $(wildcard pcaps/*.pcap)
	rm -rf $@
	$(PYTHON) tests/fuzz/make-seeds.py $@ tests/fuzz/seeds/bytecode pcaps

FUZZ_BINS := $(foreach t,$(FUZZ_TARGETS),$(BUILD)/fuzz/fuzz_$(t))
FUZZ_HDRS := $(wildcard kernel/dpf/*.h tools/lib/*.h)

define FUZZ_TARGET_RULE
$(BUILD)/fuzz/fuzz_$(1): $$(FUZZ_SRCS_$(1)) $$(FUZZ_HDRS)
	@mkdir -p $$(dir $$@)
	$$(CLANG) $$(FUZZ_CFLAGS) $$(FUZZ_CFLAGS_$(1)) $$(FUZZ_SRCS_$(1)) \
	  $$(FUZZ_LDLIBS_$(1)) -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_TARGET_RULE,$(t))))

# NAME:BINARY:SEEDDIR,SEEDDIR for tests/fuzz/run-fuzz.sh
fuzz_spec = $(1):$(BUILD)/fuzz/fuzz_$(1):$(subst $(eval) ,$(comma),$(strip $(FUZZ_SEEDS_$(1))))
comma := ,
FUZZ_RUN ?= $(FUZZ_TARGETS)

.PHONY: fuzz
fuzz: $(foreach t,$(FUZZ_RUN),$(BUILD)/fuzz/fuzz_$(t) $(FUZZ_SEEDS_$(t)))
	bash tests/fuzz/run-fuzz.sh $(FUZZ_SECONDS) \
	  $(foreach t,$(FUZZ_RUN),$(call fuzz_spec,$(t)))

# The smoke run of `make check`: a wrapper that run-all.sh executes.
FUZZ_SMOKE := $(BUILD)/test/tests/fuzz/smoke
$(FUZZ_SMOKE): $(FUZZ_BINS) $(foreach t,$(FUZZ_TARGETS),$(FUZZ_SEEDS_$(t))) \
  tests/fuzz/run-fuzz.sh
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nexec bash "%s/tests/fuzz/run-fuzz.sh" %s %s\n' \
	  "$(CURDIR)" "$(FUZZ_SMOKE_SECONDS)" \
	  "$(foreach t,$(FUZZ_TARGETS),$(call fuzz_spec,$(t)))" >$@
	chmod +x $@
HOST_TESTS += $(FUZZ_SMOKE)
