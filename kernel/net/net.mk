# kernel/net: build fragment (included by the top-level Makefile).
#
# PCI, interrupt routing (ACPI MADT, I/O APIC, MSI), the netdev layer and
# its drivers (e1000, virtio-net), the demultiplexer (DPF tries per RX ring,
# packet rings, filters, checked transmit, system calls 48-50; it links the
# DPF engine into the kernel), and the net-* kernel tests. The objects
# join kernel.elf through KERNEL_OBJS (read by the link rule after every
# fragment); the pure parts also build into host CMocka tests.

NET_SRCS := $(addprefix kernel/net/, net.c netdev.c pci.c pci_cfg.c \
  pci_msi.c e1000.c e1000_ring.c virtq.c virtio_pci.c virtio_legacy.c virtio_net.c \
  dpf_kenv.c pktring.c netpolicy.c demux.c netres.c netshare.c netres_check.c \
  sys_net.c)
NET_ARCH_SRCS := $(addprefix kernel/arch/$(ARCH)/, irq.c ioapic.c msi.c)
NET_ACPI_SRCS := kernel/acpi/acpi.c kernel/acpi/sdt.c kernel/acpi/madt.c
NET_TEST_SRCS := kernel/test/net_test.c kernel/test/net_inject_test.c \
  kernel/net/demux_bench.c

NET_OBJS := $(call objs,kernel,$(NET_SRCS) $(NET_ARCH_SRCS) $(NET_ACPI_SRCS) $(NET_TEST_SRCS))
# The demux runs the DPF engine in the kernel: link it in.
KERNEL_OBJS += $(NET_OBJS) $(DPF_KERNEL_OBJS)
$(NET_OBJS): | $(SYSCALL_GEN)

# Host unit tests for the pure parts (CMocka, ASan+UBSan).
NTEST := $(BUILD)/test/tests/kernel
NET_HOST_TESTS := $(NTEST)/net/test_pci_bar $(NTEST)/net/test_e1000_ring \
  $(NTEST)/net/test_virtq $(NTEST)/net/test_ring $(NTEST)/acpi/test_madt \
  $(NTEST)/net/test_pktring $(NTEST)/net/test_netpolicy \
  $(BUILD)/test/tests/libos/test_net_filter
HOST_TESTS += $(NET_HOST_TESTS)

$(BUILD)/test/obj/kernel/arch/%.o: TEST_CFLAGS += -Ikernel/arch/$(ARCH)/include

$(NTEST)/net/test_pci_bar: $(call objs,test/obj,tests/kernel/net/test_pci_bar.c kernel/net/pci_cfg.c)
$(NTEST)/net/test_e1000_ring: $(call objs,test/obj,tests/kernel/net/test_e1000_ring.c kernel/net/e1000_ring.c)
$(NTEST)/net/test_virtq: $(call objs,test/obj,tests/kernel/net/test_virtq.c kernel/net/virtq.c)
$(NTEST)/net/test_ring: $(call objs,test/obj,tests/kernel/net/test_ring.c kernel/arch/$(ARCH)/msi.c)
$(NTEST)/net/test_pktring: $(call objs,test/obj,tests/kernel/net/test_pktring.c kernel/net/pktring.c)
$(NTEST)/net/test_netpolicy: $(call objs,test/obj,tests/kernel/net/test_netpolicy.c kernel/net/netpolicy.c) $(DPF_TEST_LIB) $(DPF_TEST_ENV_LIB)
# The libOS filter builders against the trie as the kernel's filter table.
$(BUILD)/test/tests/libos/test_net_filter: $(call objs,test/obj,tests/libos/test_net_filter.c \
  libos/net_filter.c) $(DPF_TEST_LIB) $(DPF_TEST_ENV_LIB)
$(call objs,test/obj,tests/libos/test_net_filter.c libos/net_filter.c): TEST_CFLAGS += -Ikernel $(DPF_INC)
$(NTEST)/acpi/test_madt: $(call objs,test/obj,tests/kernel/acpi/test_madt.c kernel/acpi/sdt.c kernel/acpi/madt.c lib/fmt.c)

$(NET_HOST_TESTS):
	@mkdir -p $(dir $@)
	$(HOSTCC) $^ $(TEST_LDLIBS) -o $@
$(BUILD)/test/obj/tests/kernel/net/%.o: TEST_CFLAGS += -Ikernel/arch/$(ARCH)/include
