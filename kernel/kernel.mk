# kernel: build fragment (included by the top-level Makefile).
#
# kernel.elf = the sources below + lib/ compiled for the kernel world +
# whatever later fragments (kernel/dpf, kernel/net) append to KERNEL_OBJS:
# the link rule reads KERNEL_OBJS after all fragments are parsed.
#
# Generated files (build/gen/, "do not edit"): the syscall numbers, the
# kernel dispatch switch, the user stubs and prototypes, all made from
# kernel/syscall.tbl by scripts/gensyscalls.py.

ARCH := x86_64
GEN := $(BUILD)/gen

SYSCALL_TBL := kernel/syscall.tbl
SYSCALL_GEN := $(GEN)/include/exo/syscall_nr.h $(GEN)/kernel/syscall_table.h \
               $(GEN)/include/libos/syscalls.h $(GEN)/libos/syscall_stubs.S

$(GEN)/.syscalls.stamp: $(SYSCALL_TBL) scripts/gensyscalls.py
	$(PYTHON) scripts/gensyscalls.py $(SYSCALL_TBL) $(GEN)
	@touch $@
$(SYSCALL_GEN): $(GEN)/.syscalls.stamp ;

KERNEL_CFLAGS += -Ikernel/arch/$(ARCH)/include -I$(GEN) -I$(GEN)/include

KERNEL_ARCH_SRCS := $(addprefix kernel/arch/$(ARCH)/, \
  entry.S gdt.c idt.c vectors.S trap.c regdump.c features.c percpu.c \
  syscall.c syscall_entry.S kctx.S paging.c uart.c power.c pic.c pit.c \
  lapic.c clock.c fpu.c)
KERNEL_SRCS := kernel/main.c \
  kernel/boot/boot.c kernel/boot/bootinfo.c kernel/boot/cmdline.c \
  kernel/console/console.c kernel/console/panic.c \
  kernel/mm/palloc.c kernel/mm/pmem.c kernel/mm/kvm.c kernel/mm/uvm.c \
  kernel/mm/urange.c kernel/mm/usercopy.c kernel/mm/owner.c \
  kernel/mm/book.c kernel/mm/page.c \
  kernel/env/env.c kernel/env/load.c kernel/env/ustack.c \
  kernel/env/handle.c kernel/env/resource.c kernel/env/grant.c \
  kernel/env/revoke.c kernel/env/upcall.c kernel/env/ipc.c \
  kernel/sched/slice.c kernel/sched/sched.c \
  kernel/syscall/syscall.c kernel/syscall/sys_console.c \
  kernel/syscall/sys_env.c kernel/syscall/sys_misc.c \
  kernel/syscall/sys_resource.c kernel/syscall/sys_mem.c \
  kernel/syscall/sys_sched.c kernel/syscall/sys_upcall.c \
  kernel/syscall/sys_test.c \
  kernel/time/timer.c \
  kernel/test/ktest.c kernel/test/kpanic.c kernel/test/timer_test.c \
  kernel/test/reclaim_test.c kernel/test/user_faults.c \
  kernel/test/kstack_overflow.c kernel/test/check.c \
  $(KERNEL_ARCH_SRCS)

KERNEL_OWN_OBJS := $(call objs,kernel,$(KERNEL_SRCS))
KERNEL_OBJS := $(KERNEL_OWN_OBJS) $(call objs,kernel,$(LIB_SRCS))
$(KERNEL_OWN_OBJS): | $(SYSCALL_GEN)

KERNEL_ELF := $(BUILD)/kernel/kernel.elf
.SECONDEXPANSION:
$(KERNEL_ELF): kernel/kernel.ld $$(KERNEL_OBJS)
	$(LD) $(KERNEL_LDFLAGS) -T kernel/kernel.ld -o $@ $(KERNEL_OBJS)

ALL_TARGETS += $(KERNEL_ELF)
ISO_FILES += $(KERNEL_ELF):kernel.elf

# Host unit tests for the pure parts (CMocka, ASan+UBSan).
KTEST := $(BUILD)/test/tests/kernel
KERNEL_TESTS := $(KTEST)/mm/test_palloc $(KTEST)/mm/test_urange \
  $(KTEST)/boot/test_cmdline $(KTEST)/boot/test_bootinfo $(KTEST)/env/test_ustack \
  $(KTEST)/mm/test_owner $(KTEST)/env/test_handle $(KTEST)/sched/test_slice
HOST_TESTS += $(KERNEL_TESTS)

$(BUILD)/test/obj/kernel/%.o $(BUILD)/test/obj/tests/kernel/%.o: TEST_CFLAGS += -Ikernel

$(KTEST)/mm/test_palloc: $(call objs,test/obj,tests/kernel/mm/test_palloc.c kernel/mm/palloc.c)
$(KTEST)/mm/test_urange: $(call objs,test/obj,tests/kernel/mm/test_urange.c kernel/mm/urange.c)
$(KTEST)/boot/test_cmdline: $(call objs,test/obj,tests/kernel/boot/test_cmdline.c kernel/boot/cmdline.c)
$(KTEST)/boot/test_bootinfo: $(call objs,test/obj,tests/kernel/boot/test_bootinfo.c kernel/boot/bootinfo.c lib/fmt.c)
$(KTEST)/env/test_ustack: $(call objs,test/obj,tests/kernel/env/test_ustack.c kernel/env/ustack.c)
$(KTEST)/mm/test_owner: $(call objs,test/obj,tests/kernel/mm/test_owner.c kernel/mm/owner.c)
$(KTEST)/env/test_handle: $(call objs,test/obj,tests/kernel/env/test_handle.c kernel/env/handle.c)
$(KTEST)/sched/test_slice: $(call objs,test/obj,tests/kernel/sched/test_slice.c kernel/sched/slice.c)

$(KERNEL_TESTS):
	@mkdir -p $(dir $@)
	$(HOSTCC) $^ $(TEST_LDLIBS) -o $@


# The syscall generator's own test (a script; run through a wrapper so that
# tests/run-all.sh can execute it by path).
$(KTEST)/syscall/test_gensyscalls: tests/kernel/syscall/test_gensyscalls.sh scripts/gensyscalls.py
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nexec bash "%s/%s" "$$@"\n' "$(CURDIR)" "$<" >$@
	chmod +x $@
HOST_TESTS += $(KTEST)/syscall/test_gensyscalls
