# loader: build fragment (included by the top-level Makefile).
#
# build/loader/loader.elf: the multiboot2 image GRUB loads (see docs/boot.md).
# 32-bit entry in loader/entry.S, then 64-bit C linked low by loader/loader.ld.
# mb2.c and memmap.c are pure C and also build for the host tests.

LOADER_SRCS := loader/entry.S loader/main.c loader/console.c loader/mb2.c \
               loader/memmap.c loader/paging.c loader/kload.c \
               lib/string.c lib/fmt.c lib/elf64.c
LOADER_OBJS := $(call objs,loader,$(LOADER_SRCS))

$(BUILD)/loader/loader.elf: $(LOADER_OBJS) loader/loader.ld
	$(LD) $(LOADER_LDFLAGS) -T loader/loader.ld -o $@ $(LOADER_OBJS)

ALL_TARGETS += $(BUILD)/loader/loader.elf
ISO_FILES += $(BUILD)/loader/loader.elf:loader.elf

# ---- QEMU test images: the loader against a stub kernel --------------------
# tests/loader/stub-kernel checks the handoff from the kernel's side; the
# images below feed it (or broken kernels) to the real loader through GRUB.
# Cases: tests/qemu/cases/loader-*.test.

LT := $(BUILD)/test/loader
STUB_SRCS := tests/loader/stub-kernel/entry.S tests/loader/stub-kernel/main.c \
             lib/string.c lib/fmt.c
STUB_OBJS := $(call objs,kernel,$(STUB_SRCS))
LOADER_TEST_ISOS := $(LT)/handoff.iso $(LT)/corrupt-kernel.iso \
                    $(LT)/truncated-kernel.iso $(LT)/missing-kernel.iso \
                    $(LT)/lowhalf-kernel.iso

$(LT)/stub-kernel.elf: $(STUB_OBJS) tests/loader/stub-kernel/stub.ld
	@mkdir -p $(dir $@)
	$(LD) $(KERNEL_LDFLAGS) -T tests/loader/stub-kernel/stub.ld -o $@ $(STUB_OBJS)

# A module with a known pattern (stub_main checks it), bigger than a page.
$(LT)/init.bin:
	@mkdir -p $(dir $@)
	for i in $$(seq 400); do echo exo-loader-test-init; done > $@

$(LT)/initrd.tar: tests/loader/stub-kernel/main.c
	@mkdir -p $(dir $@)
	tar -cf $@ -C tests/loader/stub-kernel main.c

# Broken kernels: bad magic, and cut off inside its first segment.
$(LT)/corrupt-kernel.elf: $(LT)/stub-kernel.elf
	cp $< $@ && printf 'XELF' | dd of=$@ bs=1 seek=0 conv=notrunc status=none
$(LT)/truncated-kernel.elf: $(LT)/stub-kernel.elf
	head -c 3000 $< > $@

MKISO := bash tests/qemu/mkiso.sh
$(LT)/handoff.iso: $(BUILD)/loader/loader.elf $(LT)/stub-kernel.elf $(LT)/init.bin $(LT)/initrd.tar boot/grub.cfg tests/qemu/mkiso.sh
	$(MKISO) $@ $(BUILD)/loader/loader.elf $(LT)/stub-kernel.elf $(LT)/init.bin $(LT)/initrd.tar
$(LT)/corrupt-kernel.iso: $(BUILD)/loader/loader.elf $(LT)/corrupt-kernel.elf $(LT)/init.bin boot/grub.cfg tests/qemu/mkiso.sh
	$(MKISO) $@ $(BUILD)/loader/loader.elf $(LT)/corrupt-kernel.elf $(LT)/init.bin
$(LT)/truncated-kernel.iso: $(BUILD)/loader/loader.elf $(LT)/truncated-kernel.elf $(LT)/init.bin boot/grub.cfg tests/qemu/mkiso.sh
	$(MKISO) $@ $(BUILD)/loader/loader.elf $(LT)/truncated-kernel.elf $(LT)/init.bin
# A well-formed ELF linked low (loader.elf itself) offered as the kernel.
$(LT)/lowhalf-kernel.iso: $(BUILD)/loader/loader.elf $(LT)/init.bin boot/grub.cfg tests/qemu/mkiso.sh
	$(MKISO) $@ $(BUILD)/loader/loader.elf $(BUILD)/loader/loader.elf $(LT)/init.bin
$(LT)/missing-kernel.iso: $(BUILD)/loader/loader.elf $(LT)/init.bin boot/grub.cfg tests/qemu/mkiso.sh
	$(MKISO) $@ $(BUILD)/loader/loader.elf - $(LT)/init.bin

# Built by `make` so that `make check` (which depends on all) finds them.
ALL_TARGETS += $(LOADER_TEST_ISOS)

# ---- host tests: the loader's pure-C parts -----------------------------------
LOADER_TESTS := $(BUILD)/test/tests/loader/test_mb2 $(BUILD)/test/tests/loader/test_memmap \
                $(BUILD)/test/tests/loader/test_paging
HOST_TESTS += $(LOADER_TESTS)

$(BUILD)/test/tests/loader/test_mb2: $(call objs,test/obj,tests/loader/test_mb2.c loader/mb2.c lib/fmt.c)
$(BUILD)/test/tests/loader/test_memmap: $(call objs,test/obj,tests/loader/test_memmap.c loader/memmap.c)
$(BUILD)/test/tests/loader/test_paging: $(call objs,test/obj,tests/loader/test_paging.c loader/paging.c loader/memmap.c)
$(BUILD)/test/obj/tests/loader/%.o: TEST_CFLAGS += -Iloader

$(LOADER_TESTS):
	@mkdir -p $(dir $@)
	$(HOSTCC) $^ $(TEST_LDLIBS) -o $@
