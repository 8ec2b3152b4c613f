# kernel/dpf: build fragment (included by the top-level Makefile).
