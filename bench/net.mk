# Demux figures of issue 5 (bench/net.sh, docs/net.md "## Figures"): kernel
# demux cost per packet and RX packets/s into a libOS ring, exo vs the Linux
# 6.1 peer in the same QEMU settings. Needs root (network namespaces).
.PHONY: bench-net
bench-net: $(BUILD)/exo.iso $(LINUX_ISO)
	bash bench/net.sh
