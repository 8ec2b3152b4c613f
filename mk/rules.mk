# Pattern rules shared by all fragments. An object's flavour is chosen by the
# directory it is built into:
#   build/kernel/...   freestanding kernel objects   (KERNEL_CFLAGS)
#   build/loader/...   freestanding loader objects   (LOADER_CFLAGS)
#   build/user/...     freestanding user objects     (USER_CFLAGS)
#   build/host/obj/... host objects                  (HOST_CFLAGS)
#   build/test/obj/... host test objects (ASan/UBSan) (TEST_CFLAGS)
# so the same source (say kernel/dpf/trie.c or lib/fmt.c) can be compiled for
# several worlds without any per-file rules.

$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(BUILD)/kernel/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/loader/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_CFLAGS) -c $< -o $@
$(BUILD)/loader/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/user/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@
$(BUILD)/user/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/host/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/test/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TEST_CFLAGS) -c $< -o $@

# $(call objs,WORLD,SOURCES) -> object paths for that world.
objs = $(patsubst %,$(BUILD)/$(1)/%.o,$(basename $(2)))
