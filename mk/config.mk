# Toolchains and flags.
#
# The kernel, the loader and user programs are built with the system GCC and
# GNU ld: x86-64 Linux GCC already emits x86-64 code, and -ffreestanding,
# -nostdlib and our own linker scripts remove every assumption about a hosted
# Linux target, so no separate cross toolchain is needed.

CC      := gcc
LD      := ld
OBJCOPY := objcopy
HOSTCC  := gcc
CLANG   := clang
# Debian's python, which has python3-scapy (not a pyenv one on PATH).
PYTHON  := /usr/bin/python3

WARN := -std=gnu11 -Wall -Wextra -Werror

# Freestanding code shared by every bare-metal image (kernel, loader, user).
FREESTANDING := $(WARN) -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
  -fno-asynchronous-unwind-tables -fno-omit-frame-pointer -nostdinc \
  -isystem $(shell $(CC) -print-file-name=include) -O2 -g -MMD -MP \
  -Iinclude -Ilib

# Kernel: higher half (kernel code model), no red zone (interrupts run on the
# same stack), no SSE/x87 so that user FPU state is never clobbered.
KERNEL_CFLAGS := $(FREESTANDING) -mcmodel=kernel -mno-red-zone \
  -mgeneral-regs-only -Ikernel -DEXO_KERNEL
KERNEL_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack

# Loader: 64-bit code linked low (identity mapped), same restrictions.
LOADER_CFLAGS := $(FREESTANDING) -mcmodel=small -mno-red-zone \
  -mgeneral-regs-only -Iloader -DEXO_LOADER
LOADER_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack

# User programs (libOS + apps): static, freestanding, linked by libos/user.ld.
USER_CFLAGS := $(FREESTANDING) -mcmodel=small -Ilibos/include -DEXO_USER
USER_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack

# Host tools and host builds of the two-world libraries.
HOST_CFLAGS := $(WARN) -O2 -g -MMD -MP -Iinclude -Ilib -DEXO_HOST

# Host unit tests: AddressSanitizer + UBSan, every report is fatal.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
TEST_CFLAGS := $(WARN) -O1 -g -fno-omit-frame-pointer $(SAN) -MMD -MP \
  -Iinclude -Ilib -DEXO_HOST -DEXO_TEST
TEST_LDLIBS := $(SAN) -lcmocka
