# kernel/dpf: the DPF engine (verifier, builder, trie, overlap rule,
# interpreter, x86-64 JIT). Freestanding sources that build in three worlds:
#   kernel  $(call objs,kernel,$(DPF_SRCS))  -- the kernel links these later;
#           `make` compiles them here to prove they build freestanding
#   host    build/host/libdpf.a   (+ build/host/libdpf_host_env.a, the
#           malloc/mmap environment from tools/lib) for dpf-replay, dpf-bench
#   test    build/test/libdpf.a   (+ build/test/libdpf_host_env.a), ASan/UBSan
# Users of the host libraries compile with $(DPF_INC) and link
#   $(DPF_HOST_LIB) $(DPF_HOST_ENV_LIB)   (or the test pair).

DPF_SRCS := $(addprefix kernel/dpf/,build.c chain.c err.c interp.c jit.c \
              jit_atom.c jit_cuckoo.c jit_emit.c jit_group.c jit_node.c \
              jit_table.c map.c overlap.c trie.c verify.c)
DPF_INC := -Ikernel/dpf -Itools/lib

DPF_KERNEL_OBJS := $(call objs,kernel,$(DPF_SRCS))
DPF_HOST_LIB := $(BUILD)/host/libdpf.a
DPF_HOST_ENV_LIB := $(BUILD)/host/libdpf_host_env.a
DPF_TEST_LIB := $(BUILD)/test/libdpf.a
DPF_TEST_ENV_LIB := $(BUILD)/test/libdpf_host_env.a
DPF_HOST_ENV_OBJ := $(call objs,host/obj,tools/lib/dpf_host_env.c)
DPF_TEST_ENV_OBJ := $(call objs,test/obj,tools/lib/dpf_host_env.c)

ALL_TARGETS += $(DPF_KERNEL_OBJS) $(DPF_HOST_LIB) $(DPF_HOST_ENV_LIB) \
               $(DPF_TEST_LIB) $(DPF_TEST_ENV_LIB)

$(DPF_HOST_LIB): $(call objs,host/obj,$(DPF_SRCS))
$(DPF_TEST_LIB): $(call objs,test/obj,$(DPF_SRCS))
$(DPF_HOST_ENV_LIB): $(DPF_HOST_ENV_OBJ)
$(DPF_TEST_ENV_LIB): $(DPF_TEST_ENV_OBJ)

$(DPF_HOST_LIB) $(DPF_TEST_LIB) $(DPF_HOST_ENV_LIB) $(DPF_TEST_ENV_LIB):
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

include tests/kernel/dpf/dpf_tests.mk
