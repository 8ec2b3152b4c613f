# Network applications (issue 6): udpecho, tcpecho and httpd on the libOS
# TCP/IP stack through the netapp event loop, and netd, all of them on one
# stack, which init starts (docs/apps.md). Included from apps/apps.mk.
#
# Every app is a pure service module plus a small main. The modules and the
# loop (libos/netapp*.c) build for user programs and for the host tests in
# tests/apps/, which run them on the real stack over a simulated link.

# The loop (both worlds), and the user-world start-up and NIC hook:
# netif_open() over the kernel's packet rings (libos/netapp_dev.c), or
# NETAPP_NETIF_SRC=libos/netapp_nodev.c for a libOS without a datapath.
NETAPP_SRCS := libos/netapp.c libos/netapp_block.c
NETAPP_NETIF_SRC ?= libos/netapp_dev.c
NETAPP_USER_SRCS := $(NETAPP_SRCS) libos/netapp_start.c libos/netapp_filter.c \
  $(NETAPP_NETIF_SRC)
# The stack's filter requests as DPF bytecode (kernel/dpf/build.c: in
# libos.a for programs, the DPF test library for the host test).
$(call objs,user,libos/netapp_filter.c) $(call objs,test/obj,libos/netapp_filter.c): \
  USER_CFLAGS += -Ikernel
$(call objs,test/obj,libos/netapp_filter.c tests/apps/test_filter.c): \
  TEST_CFLAGS += -Ikernel -Ilibos -Ilibos/include

NETAPP_MODULES := apps/udpecho/udpecho.c apps/tcpecho/tcpecho.c apps/netstat/netstat.c \
  apps/httpd/http.c apps/httpd/fs.c apps/httpd/httpd.c
NETAPP_USER_OBJS := $(call objs,user,$(NETAPP_USER_SRCS))
NETAPP_LIBS := $(NETAPP_USER_OBJS) $(TCPIP_USER_OBJS) $(LIBOS_A)

UDPECHO_ELF := $(BUILD)/user/apps/udpecho/udpecho.elf
UDPECHO_OBJS := $(call objs,user,apps/udpecho/main.c apps/udpecho/udpecho.c \
  apps/netstat/netstat.c apps/netstat/service.c)
TCPECHO_ELF := $(BUILD)/user/apps/tcpecho/tcpecho.elf
TCPECHO_OBJS := $(call objs,user,apps/tcpecho/main.c apps/tcpecho/tcpecho.c \
  apps/netstat/netstat.c apps/netstat/service.c)
HTTPD_ELF := $(BUILD)/user/apps/httpd/httpd.elf
# httpd and netd serve the initrd's www/ files in place: their parent hands
# the pages over (apps/httpd/webroot.h), nothing of the web root is linked in.
WEBROOT_SRCS := apps/httpd/fs.c apps/httpd/webroot.c apps/httpd/webroot_open.c
HTTPD_OBJS := $(call objs,user,apps/httpd/main.c apps/httpd/http.c apps/httpd/httpd.c \
  apps/netstat/netstat.c apps/netstat/service.c $(WEBROOT_SRCS))

# pingd: the ICMP echo responder and statistics (apps/pingd/main.c).
PINGD_ELF := $(BUILD)/user/apps/pingd/pingd.elf
PINGD_OBJS := $(call objs,user,apps/pingd/main.c apps/netstat/netstat.c \
  apps/netstat/service.c)

# netd: every service on one stack in one env, init's net=netd (apps/netd/main.c).
NETD_ELF := $(BUILD)/user/apps/netd/netd.elf
NETD_OBJS := $(call objs,user,apps/netd/main.c apps/udpecho/udpecho.c \
  apps/tcpecho/tcpecho.c apps/httpd/http.c apps/httpd/httpd.c \
  apps/netstat/netstat.c apps/netstat/service.c $(WEBROOT_SRCS))

NET_APP_OBJS := $(sort $(NETAPP_USER_OBJS) $(UDPECHO_OBJS) $(TCPECHO_OBJS) $(HTTPD_OBJS) \
  $(NETD_OBJS) $(PINGD_OBJS) $(call objs,user,$(WEBROOT_SRCS)))
$(NET_APP_OBJS): USER_CFLAGS += -Ilibos
$(NET_APP_OBJS): | $(SYSCALL_GEN)

# The web root: apps/httpd/www/ plus the 1 MiB test file the host tests
# fetch (tests/net6/genfile.py), staged in WWW_DIR. The initrd carries it
# under www/ (apps/apps.mk); hostnet reads the same files as WWW_TAR, a
# reproducible ustar archive of their own.
WWW_TAR := $(BUILD)/apps/www.tar
WWW_DIR := $(BUILD)/apps/www
$(WWW_TAR): $(wildcard apps/httpd/www/*) tests/net6/genfile.py
	@rm -rf $(WWW_DIR) && mkdir -p $(WWW_DIR)
	cp apps/httpd/www/* $(WWW_DIR)/
	$(PYTHON) tests/net6/genfile.py 1048576 >$(WWW_DIR)/1m.bin
	tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 --sort=name \
	  -cf $@ -C $(WWW_DIR) .

$(UDPECHO_ELF): $(USER_LD) $(UDPECHO_OBJS) $(NETAPP_LIBS)
	@mkdir -p $(dir $@)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(UDPECHO_OBJS) $(NETAPP_LIBS)
$(TCPECHO_ELF): $(USER_LD) $(TCPECHO_OBJS) $(NETAPP_LIBS)
	@mkdir -p $(dir $@)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(TCPECHO_OBJS) $(NETAPP_LIBS)
$(HTTPD_ELF): $(USER_LD) $(HTTPD_OBJS) $(NETAPP_LIBS)
	@mkdir -p $(dir $@)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(HTTPD_OBJS) $(NETAPP_LIBS)

$(PINGD_ELF): $(USER_LD) $(PINGD_OBJS) $(NETAPP_LIBS)
	@mkdir -p $(dir $@)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(PINGD_OBJS) $(NETAPP_LIBS)
$(NETD_ELF): $(USER_LD) $(NETD_OBJS) $(NETAPP_LIBS)
	@mkdir -p $(dir $@)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(NETD_OBJS) $(NETAPP_LIBS)
# init starts netd from the initrd and hands it the web root (apps/apps.mk
# copies both in).
$(INITRD): $(NETD_ELF) $(PINGD_ELF) $(UDPECHO_ELF) $(TCPECHO_ELF) $(HTTPD_ELF) $(WWW_TAR)

NET_APPS := $(UDPECHO_ELF) $(TCPECHO_ELF) $(HTTPD_ELF) $(NETD_ELF) $(PINGD_ELF)
ALL_TARGETS += $(NET_APPS)

# Host tests: the modules on the real stack (TCPIP_TEST_COMMON without the
# stack's own harness) over the simulated link of tests/apps/simnet.c.
APPS_TEST_DIR := tests/apps
APPS_TESTS := $(addprefix $(BUILD)/test/$(APPS_TEST_DIR)/,test_http test_httpd test_echo \
  test_netapp test_filter test_webroot)
APPS_TEST_COMMON := $(call objs,test/obj,$(TCPIP_SRCS) $(NETAPP_SRCS) $(NETAPP_MODULES) \
  libos/tar.c $(APPS_TEST_DIR)/simnet.c)
HOST_TESTS += $(APPS_TESTS)

$(call objs,test/obj,$(NETAPP_SRCS) $(NETAPP_MODULES) $(APPS_TEST_DIR)/simnet.c \
  $(addprefix $(APPS_TEST_DIR)/,test_http.c test_httpd.c test_echo.c test_netapp.c)): \
  TEST_CFLAGS += -Ilibos -Ilibos/include

$(BUILD)/test/$(APPS_TEST_DIR)/test_http: $(call objs,test/obj,$(APPS_TEST_DIR)/test_http.c \
  apps/httpd/http.c)
$(BUILD)/test/$(APPS_TEST_DIR)/test_httpd $(BUILD)/test/$(APPS_TEST_DIR)/test_echo \
$(BUILD)/test/$(APPS_TEST_DIR)/test_netapp: $(BUILD)/test/$(APPS_TEST_DIR)/%: \
  $(BUILD)/test/obj/$(APPS_TEST_DIR)/%.o $(APPS_TEST_COMMON)
$(BUILD)/test/$(APPS_TEST_DIR)/test_filter: $(BUILD)/test/obj/$(APPS_TEST_DIR)/test_filter.o \
  $(call objs,test/obj,libos/netapp_filter.c) $(APPS_TEST_COMMON) $(DPF_TEST_LIB) \
  $(DPF_TEST_ENV_LIB)
$(BUILD)/test/$(APPS_TEST_DIR)/test_webroot: $(call objs,test/obj,$(APPS_TEST_DIR)/test_webroot.c \
  apps/httpd/webroot.c apps/httpd/fs.c libos/tar.c)
$(call objs,test/obj,$(APPS_TEST_DIR)/test_webroot.c apps/httpd/webroot.c): \
  TEST_CFLAGS += -Ilibos -Ilibos/include
$(APPS_TESTS):
	@mkdir -p $(dir $@)
	$(HOSTCC) $^ $(TEST_LDLIBS) -o $@

# hostnet: the same apps on the same stack as a Linux process on a tap (or a
# QEMU-style datagram socket), with ASan/UBSan, so that tests/net6/run.sh
# can drive them with real clients before the datapath exists.
HOSTNET := $(BUILD)/test/tests/net6/hostnet
$(BUILD)/test/obj/tests/net6/hostnet.o: TEST_CFLAGS += -Ilibos -Ilibos/include
$(HOSTNET): $(BUILD)/test/obj/tests/net6/hostnet.o $(APPS_TEST_COMMON) $(WWW_TAR)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(filter %.o,$^) $(TEST_LDLIBS) -o $@
ALL_TARGETS += $(HOSTNET)

# `make check`: the issue-6 suite end to end (tests/net6/check.sh): the image
# on QEMU user networking with DHCP and the host forwards (curl, UDP echo),
# then every tests/net6 case over a tap in a namespace. About a minute.
NET6_CHECK := tests/net6/check.sh
tests/net6/check.sh: $(BUILD)/exo.iso
HOST_TESTS += $(NET6_CHECK)
