# libos: build fragment (included by the top-level Makefile).
#
# build/user/libos.a: the runtime every user program links (crt0, start,
# console, the generated syscall stubs) plus lib/string.c and lib/fmt.c
# compiled for the user world. Programs link with -T libos/user.ld.

USER_CFLAGS += -I$(GEN)/include

LIBOS_SRCS := libos/crt0.S libos/start.c libos/console.c libos/args.c \
  libos/upcall_entry.S libos/upcall.c libos/resource.c libos/page.c libos/exec.c \
  libos/tar.c
# The ELF checker and the System V stack builder are the kernel's own
# pure code, compiled for the user world.
LIBOS_SHARED := lib/string.c lib/fmt.c lib/elf64.c kernel/env/ustack.c
# The network runtime (libos/net.h, docs/net.md) and the DPF bytecode
# builder its filter constructors use.
LIBOS_SRCS += libos/net.c libos/net_filter.c
LIBOS_SHARED += kernel/dpf/build.c
$(call objs,user,libos/net_filter.c): USER_CFLAGS += -Ikernel
LIBOS_OBJS := $(call objs,user,$(LIBOS_SRCS) $(LIBOS_SHARED)) \
              $(BUILD)/user/gen/libos/syscall_stubs.o
$(call objs,user,libos/exec.c kernel/env/ustack.c): USER_CFLAGS += -Ikernel
LIBOS_A := $(BUILD)/user/libos.a
USER_LD := libos/user.ld

$(call objs,user,$(LIBOS_SRCS)): | $(SYSCALL_GEN)

$(BUILD)/user/gen/libos/syscall_stubs.o: $(GEN)/libos/syscall_stubs.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(LIBOS_A): $(LIBOS_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

ALL_TARGETS += $(LIBOS_A)

# Host unit tests (CMocka, ASan+UBSan) for the runtime's pure parts.
LTEST := $(BUILD)/test/tests/libos
LIBOS_TESTS := $(LTEST)/test_args $(LTEST)/test_console $(LTEST)/test_tar
HOST_TESTS += $(LIBOS_TESTS)

$(BUILD)/test/obj/libos/%.o $(BUILD)/test/obj/tests/libos/%.o: TEST_CFLAGS += -Ilibos/include -I$(GEN)/include
$(call objs,test/obj,libos/console.c tests/libos/test_console.c): | $(SYSCALL_GEN)
# The host test renames the libOS's printf family (libos_printf, ...) so
# that it cannot interpose on the C library's, which CMocka prints with.
$(BUILD)/test/obj/libos/console-renamed.o: $(BUILD)/test/obj/libos/console.o
	$(OBJCOPY) --redefine-sym printf=libos_printf --redefine-sym vprintf=libos_vprintf \
	  --redefine-sym puts=libos_puts $< $@

$(LTEST)/test_args: $(call objs,test/obj,tests/libos/test_args.c libos/args.c)
$(LTEST)/test_console: $(call objs,test/obj,tests/libos/test_console.c lib/fmt.c) \
  $(BUILD)/test/obj/libos/console-renamed.o

$(LTEST)/test_tar: $(call objs,test/obj,tests/libos/test_tar.c libos/tar.c)

$(LIBOS_TESTS):
	@mkdir -p $(dir $@)
	$(HOSTCC) $^ $(TEST_LDLIBS) -o $@
