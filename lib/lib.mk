# lib: the small freestanding library shared by the loader, the kernel and
# user programs (string, fmt, elf64). It is not linked on its own: each world
# compiles the sources it needs into its own objects, e.g.
#     $(call objs,kernel,$(LIB_SRCS))   $(call objs,user,lib/string.c lib/fmt.c)
# Host builds (-DEXO_HOST) get libc's <string.h>; lib/string.c compiles to
# nothing there, so host programs link fmt.c and elf64.c only.

LIB_SRCS := lib/string.c lib/fmt.c lib/elf64.c
LIB_HOST_SRCS := lib/fmt.c lib/elf64.c

# Host unit tests (CMocka, ASan+UBSan).
LIB_TESTS := $(BUILD)/test/tests/lib/test_fmt $(BUILD)/test/tests/lib/test_elf64 \
             $(BUILD)/test/tests/lib/test_string
HOST_TESTS += $(LIB_TESTS)

$(BUILD)/test/tests/lib/test_fmt: $(call objs,test/obj,tests/lib/test_fmt.c lib/fmt.c)
$(BUILD)/test/tests/lib/test_elf64: $(call objs,test/obj,tests/lib/test_elf64.c $(LIB_HOST_SRCS))
$(BUILD)/test/tests/lib/test_string: $(call objs,test/obj,tests/lib/test_string.c)

$(LIB_TESTS):
	@mkdir -p $(dir $@)
	$(HOSTCC) $^ $(TEST_LDLIBS) -o $@
