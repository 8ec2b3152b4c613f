# Boot figures (issue 2): QEMU start -> "init:" line, exo vs the Linux 6.1
# peer in the same QEMU settings, plus image sizes. Not a test: prints figures.

LINUX_ISO := $(BUILD)/linux/linux.iso

$(LINUX_ISO): bench/linux/build.sh bench/linux/init bench/linux/micro.c
	bash bench/linux/build.sh

.PHONY: bench-boot
bench-boot: $(BUILD)/exo.iso $(LINUX_ISO)
	@echo "== boot to the first user-space line (TCG, median of 7) =="
	$(PYTHON) bench/boot_time.py --runs 7 exo=$(BUILD)/exo.iso linux=$(LINUX_ISO):bench=boot
	@echo "== sizes (bytes) =="
	@for f in $(BUILD)/loader/loader.elf $(BUILD)/kernel/kernel.elf $(BUILD)/exo.iso; do \
	  [ -f $$f ] && printf '%-32s %10d\n' $$f $$(stat -c %s $$f); done; \
	  size $(BUILD)/kernel/kernel.elf 2>/dev/null || true
