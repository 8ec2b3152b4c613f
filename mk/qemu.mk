# Running the image. tests/qemu/qemu.sh holds the one QEMU command line that
# `make run`, `make debug` and the integration tests share.
#
#   make run                     e1000 on QEMU user networking (see README for forwards)
#   make run CMDLINE="test=boot" kernel command line override
#   make run NET=tap             tap device (see README)
#   make run ACCEL=kvm           KVM instead of TCG (slow on nested hosts)

CMDLINE ?=
NET ?= user
NIC ?= e1000
ACCEL ?= tcg

.PHONY: run debug
run: all
	CMDLINE="$(CMDLINE)" NET=$(NET) NIC=$(NIC) ACCEL=$(ACCEL) bash tests/qemu/qemu.sh $(BUILD)/exo.iso

debug: all
	CMDLINE="$(CMDLINE)" NET=$(NET) NIC=$(NIC) ACCEL=$(ACCEL) GDB=1 bash tests/qemu/qemu.sh $(BUILD)/exo.iso & \
	sleep 1; gdb -q $(BUILD)/kernel/kernel.elf \
	  -ex 'target remote localhost:1234' \
	  -ex 'add-symbol-file $(BUILD)/loader/loader.elf'; \
	kill %1 2>/dev/null; wait
