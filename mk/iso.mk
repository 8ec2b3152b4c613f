# The bootable image: GRUB2 (BIOS) + loader.elf + modules.
# Fragments append "SRC:DEST" pairs to ISO_FILES, DEST relative to /boot.

ISO_DIR := $(BUILD)/isodir

$(BUILD)/exo.iso: boot/grub.cfg $(foreach f,$(ISO_FILES),$(firstword $(subst :, ,$(f))))
	@rm -rf $(ISO_DIR) && mkdir -p $(ISO_DIR)/boot/grub
	cp boot/grub.cfg $(ISO_DIR)/boot/grub/grub.cfg
	$(foreach f,$(ISO_FILES),cp $(word 1,$(subst :, ,$(f))) $(ISO_DIR)/boot/$(word 2,$(subst :, ,$(f))) &&) true
	grub-mkrescue -o $@ $(ISO_DIR) 2>$(BUILD)/grub-mkrescue.log || { cat $(BUILD)/grub-mkrescue.log; exit 1; }

.PHONY: iso
iso: $(BUILD)/exo.iso
