# Network figures of issue 6 (bench/net6.sh): UDP echo requests/s, HTTP
# requests/s, ping RTT and boot-to-ready time for exo and the Linux 6.1
# peer, side by side, over a tap in a namespace under TCG. Needs root.
# Not a test: prints figures (docs/apps.md quotes them).

# The peer's image also holds the TCP echo server and the 1 MiB file the
# issue-6 tests use.
$(LINUX_ISO): bench/linux/udpecho.c bench/linux/tcpecho.c tests/net6/genfile.py

# The sequential UDP echo client of the figures (a C client: see its header).
UDPRATE := $(BUILD)/host/udprate
$(UDPRATE): $(call objs,host/obj,bench/udprate.c)
	@mkdir -p $(dir $@)
	$(HOSTCC) $^ -o $@
HOST_TOOLS += $(UDPRATE)

.PHONY: bench-apps
bench-apps: $(BUILD)/exo.iso $(LINUX_ISO) $(UDPRATE)
	bash bench/net6.sh
