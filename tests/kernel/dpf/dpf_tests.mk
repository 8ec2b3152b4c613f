# tests/kernel/dpf: CMocka tests of the DPF engine (included by
# kernel/dpf/dpf.mk). Built with TEST_CFLAGS (ASan + UBSan) against
# build/test/libdpf.a and the counting host environment.

DPF_TEST_NAMES := test_verify test_trie test_overlap test_jit
DPF_TESTS := $(addprefix $(BUILD)/test/tests/kernel/dpf/,$(DPF_TEST_NAMES))
HOST_TESTS += $(DPF_TESTS)

$(BUILD)/test/obj/tests/kernel/dpf/%.o: TEST_CFLAGS += $(DPF_INC)

$(DPF_TESTS): $(BUILD)/test/tests/kernel/dpf/%: \
  $(BUILD)/test/obj/tests/kernel/dpf/%.o $(DPF_TEST_LIB) $(DPF_TEST_ENV_LIB)
	@mkdir -p $(dir $@)
	$(HOSTCC) $^ $(TEST_LDLIBS) -o $@
