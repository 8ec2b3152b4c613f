# apps: build fragment (included by the top-level Makefile).
#
# Each program links its objects with libos.a by libos/user.ld. init is
# the startup application GRUB loads as the module "init" (boot/grub.cfg).

INIT_ELF := $(BUILD)/user/apps/init/init.elf
INIT_OBJS := $(call objs,user,apps/init/init.c apps/init/faults.c \
  apps/init/boot_test.c apps/init/badptr_test.c)
$(INIT_OBJS): | $(SYSCALL_GEN)

$(INIT_ELF): $(USER_LD) $(INIT_OBJS) $(LIBOS_A)
	@mkdir -p $(dir $@)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(INIT_OBJS) $(LIBOS_A)

ALL_TARGETS += $(INIT_ELF)
ISO_FILES += $(INIT_ELF):init.elf

# QEMU test images: the real loader and kernel with a broken init module.
# The kernel must refuse each with a clear panic line, never run it.
# Cases: tests/qemu/cases/init-*.test.
KT := $(BUILD)/test/kernel
KERNEL_TEST_ISOS := $(KT)/init-corrupt.iso $(KT)/init-kernel-addr.iso $(KT)/init-missing.iso

# Garbled ELF magic.
$(KT)/init-corrupt.elf: $(INIT_ELF)
	@mkdir -p $(dir $@)
	cp $< $@ && printf 'XELF' | dd of=$@ bs=1 seek=0 conv=notrunc status=none
# First PT_LOAD's p_vaddr (e_phoff 64 + 16) moved to the kernel image base:
# a program that asks to be loaded over the kernel.
$(KT)/init-kernel-addr.elf: $(INIT_ELF)
	@mkdir -p $(dir $@)
	cp $< $@ && printf '\000\000\000\200\377\377\377\377' | \
	  dd of=$@ bs=1 seek=80 conv=notrunc status=none

$(KT)/init-%.iso: $(KT)/init-%.elf $(BUILD)/loader/loader.elf $(KERNEL_ELF) boot/grub.cfg tests/qemu/mkiso.sh
	bash tests/qemu/mkiso.sh $@ $(BUILD)/loader/loader.elf $(KERNEL_ELF) $<
$(KT)/init-missing.iso: $(BUILD)/loader/loader.elf $(KERNEL_ELF) boot/grub.cfg tests/qemu/mkiso.sh
	bash tests/qemu/mkiso.sh $@ $(BUILD)/loader/loader.elf $(KERNEL_ELF) -

ALL_TARGETS += $(KERNEL_TEST_ISOS)
