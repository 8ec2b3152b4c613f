# libos/tcpip: build fragment (included by the top-level Makefile).
