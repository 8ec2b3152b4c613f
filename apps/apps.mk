# apps: build fragment (included by the top-level Makefile).
#
# Each program links its objects with libos.a by libos/user.ld. init is
# the startup application GRUB loads as the module "init" (boot/grub.cfg);
# the other programs travel in the initrd (a ustar archive, the module
# "initrd"), from which init starts them with the libOS's exec.

INIT_ELF := $(BUILD)/user/apps/init/init.elf
INIT_OBJS := $(call objs,user,apps/init/init.c apps/init/faults.c \
  apps/init/boot_test.c apps/init/badptr_test.c apps/init/initrd.c \
  apps/init/tests.c apps/init/demux.c apps/init/www_test.c apps/init/services.c \
  apps/httpd/webroot.c)

EXOTEST_ELF := $(BUILD)/user/apps/exotest/exotest.elf
EXOTEST_OBJS := $(call objs,user,apps/exotest/exotest.c apps/exotest/mem.c \
  apps/exotest/peers.c apps/exotest/sched.c apps/exotest/fuzz.c apps/exotest/www.c \
  apps/httpd/webroot.c apps/httpd/webroot_open.c apps/httpd/fs.c)
BENCH_ELF := $(BUILD)/user/apps/bench/bench.elf
BENCH_OBJS := $(call objs,user,apps/bench/bench.c)
HELLO_ELF := $(BUILD)/user/apps/hello/hello.elf
HELLO_OBJS := $(call objs,user,apps/hello/hello.c)

# nettest: the network demux tests' program (tests/qemu/cases/demux-*).
NETTEST_ELF := $(BUILD)/user/apps/nettest/nettest.elf
NETTEST_OBJS := $(call objs,user,apps/nettest/nettest.c apps/nettest/nettx.c \
  apps/nettest/netshare.c)

# init's services.c knows the network programs' ready message (service.h).
$(call objs,user,apps/init/services.c): USER_CFLAGS += -Ilibos

APP_OBJS := $(INIT_OBJS) $(EXOTEST_OBJS) $(BENCH_OBJS) $(HELLO_OBJS) $(NETTEST_OBJS)
$(APP_OBJS): | $(SYSCALL_GEN)

$(INIT_ELF): $(USER_LD) $(INIT_OBJS) $(LIBOS_A)
	@mkdir -p $(dir $@)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(INIT_OBJS) $(LIBOS_A)
$(EXOTEST_ELF): $(USER_LD) $(EXOTEST_OBJS) $(LIBOS_A)
	@mkdir -p $(dir $@)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(EXOTEST_OBJS) $(LIBOS_A)
$(BENCH_ELF): $(USER_LD) $(BENCH_OBJS) $(LIBOS_A)
	@mkdir -p $(dir $@)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(BENCH_OBJS) $(LIBOS_A)
$(HELLO_ELF): $(USER_LD) $(HELLO_OBJS) $(LIBOS_A)
	@mkdir -p $(dir $@)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(HELLO_OBJS) $(LIBOS_A)
$(NETTEST_ELF): $(USER_LD) $(NETTEST_OBJS) $(LIBOS_A)
	@mkdir -p $(dir $@)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(NETTEST_OBJS) $(LIBOS_A)

# The initrd: a reproducible ustar archive (fixed names, owner, mtime).
# The web root (WWW_DIR, apps/net.mk) comes last, its files in name order
# one after another under www/: init hands their pages to httpd (or netd) as one
# read-only span (apps/init/initrd.c, apps/httpd/webroot.h); httpd is the
# last program before it, and init starts it last (apps/init/services.c).
INITRD := $(BUILD)/initrd.tar
INITRD_DIR := $(BUILD)/initrd
$(INITRD): $(EXOTEST_ELF) $(BENCH_ELF) $(HELLO_ELF) $(NETTEST_ELF)
	@rm -rf $(INITRD_DIR) && mkdir -p $(INITRD_DIR)/www
	cp $(EXOTEST_ELF) $(INITRD_DIR)/exotest
	cp $(BENCH_ELF) $(INITRD_DIR)/bench
	cp $(HELLO_ELF) $(INITRD_DIR)/hello
	cp $(NETTEST_ELF) $(INITRD_DIR)/nettest
	strip --strip-debug -o $(INITRD_DIR)/netd $(NETD_ELF)
	strip --strip-debug -o $(INITRD_DIR)/pingd $(PINGD_ELF)
	strip --strip-debug -o $(INITRD_DIR)/udpecho $(UDPECHO_ELF)
	strip --strip-debug -o $(INITRD_DIR)/tcpecho $(TCPECHO_ELF)
	strip --strip-debug -o $(INITRD_DIR)/httpd $(HTTPD_ELF)
	cp $(WWW_DIR)/* $(INITRD_DIR)/www/
	tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 --sort=name \
	  --mode=go-w -cf $@ -C $(INITRD_DIR) exotest bench hello nettest netd pingd \
	  udpecho tcpecho httpd www

ALL_TARGETS += $(INIT_ELF) $(INITRD)
ISO_FILES += $(INIT_ELF):init.elf $(INITRD):initrd.tar

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

# Network applications (issue 6): udpecho, tcpecho, httpd.
include apps/net.mk
