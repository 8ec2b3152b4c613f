# libos/tcpip: the libOS TCP/IP stack (freestanding; see docs/tcpip.md).
#
# Every source is compiled for user programs (build/user/libos/tcpip/...,
# part of `make`, which proves it builds freestanding) and for the host
# tests (TEST_CFLAGS, ASan+UBSan). The libOS links $(TCPIP_USER_OBJS).

TCPIP_SRCS := $(addprefix libos/tcpip/, pbuf.c cksum.c eth.c arp.c ip.c ipfrag.c \
	icmp.c udp.c dhcp.c tcp.c tcp_in.c tcp_ack.c tcp_rcv.c tcp_out.c tcp_timer.c \
	socket.c sockio.c sockopt.c stats.c stack.c config.c)
TCPIP_USER_OBJS := $(call objs,user,$(TCPIP_SRCS))
ALL_TARGETS += $(TCPIP_USER_OBJS)

# Host tests (CMocka), one binary per area, sharing a harness.
TCPIP_TEST_DIR := tests/libos/tcpip
TCPIP_TEST_NAMES := test_arp test_ip test_icmp_udp test_tcp test_tcp_data test_link \
	test_robust test_dhcp test_socket
TCPIP_TESTS := $(addprefix $(BUILD)/test/$(TCPIP_TEST_DIR)/,$(TCPIP_TEST_NAMES))
TCPIP_TEST_COMMON := $(call objs,test/obj,$(TCPIP_SRCS) $(TCPIP_TEST_DIR)/harness.c)
HOST_TESTS += $(TCPIP_TESTS)

$(TCPIP_TESTS): $(BUILD)/test/$(TCPIP_TEST_DIR)/%: $(BUILD)/test/obj/$(TCPIP_TEST_DIR)/%.o \
		$(TCPIP_TEST_COMMON)
	@mkdir -p $(dir $@)
	$(HOSTCC) $^ $(TEST_LDLIBS) -o $@
