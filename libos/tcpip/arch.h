/*
 * The environment shim of the TCP/IP stack (the role lwIP's arch/cc.h plays).
 *
 * libos/tcpip is freestanding C built in two worlds: user programs
 * (USER_CFLAGS, linked with lib/string.c) and host tests (TEST_CFLAGS, libc).
 * Everything the stack needs from its surroundings is here or in the
 * callbacks of struct tcpip_env (tcpip.h): fixed-width types from the
 * compiler's own freestanding headers, and the four memory primitives.
 * The memory primitives go through GCC builtins, which inline small constant
 * sizes and otherwise call memcpy/memset/memmove/memcmp: lib/string.c defines
 * those in user programs, libc on the host.
 */
#ifndef TCPIP_ARCH_H
#define TCPIP_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define tcpip_memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define tcpip_memmove(d, s, n) __builtin_memmove((d), (s), (n))
#define tcpip_memset(d, c, n) __builtin_memset((d), (c), (n))
#define tcpip_memcmp(a, b, n) __builtin_memcmp((a), (b), (n))

#define TCPIP_MIN(a, b) ((a) < (b) ? (a) : (b))
#define TCPIP_MAX(a, b) ((a) > (b) ? (a) : (b))
#define TCPIP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif /* TCPIP_ARCH_H */
