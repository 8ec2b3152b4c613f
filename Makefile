# Top-level build for the exokernel.
#
#   make          build everything into build/ (bootable image: build/exo.iso)
#   make run      boot the image in QEMU (TCG, serial on the terminal, e1000 + user net)
#   make check    host unit tests + QEMU integration tests; ends with "N passed, N failed"
#   make debug    QEMU with its gdb stub, and gdb attached with symbols
#
# Each subsystem owns a fragment (*.mk) that appends to the variables below;
# the rules shared by every fragment live in mk/rules.mk.

.DEFAULT_GOAL := all
BUILD ?= build

include mk/config.mk
include mk/deps.mk
include mk/rules.mk

# Things every fragment may append to.
ALL_TARGETS :=    # built by `make`
HOST_TESTS :=     # executables run by `make check` (CMocka binaries or scripts)
HOST_TOOLS :=     # host programs built into build/host/
ISO_FILES :=      # files placed under /boot of the ISO

include lib/lib.mk
include loader/loader.mk
include kernel/kernel.mk
include kernel/dpf/dpf.mk
include kernel/net/net.mk
include libos/libos.mk
include libos/tcpip/tcpip.mk
include apps/apps.mk
include tools/tools.mk
include tests/tests.mk
include tests/fuzz/fuzz.mk
include mk/iso.mk
include mk/qemu.mk
include bench/boot.mk
include bench/net.mk
include bench/apps.mk
include bench/kernel.mk

.PHONY: all clean
all: $(ALL_TARGETS) $(HOST_TOOLS) $(BUILD)/exo.iso

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
