# Test targets. Fragments append host test executables to HOST_TESTS; QEMU
# cases are the files tests/qemu/cases/*.test (see tests/qemu/run-case.sh).
#
#   make check                 everything
#   make check-host            host tests only
#   make check-qemu            QEMU tests only
#   make check-qemu CASES=boot one QEMU case (names without .test)

# Prerequisites use secondary expansion ($$): fragments included after this
# one (tests/fuzz/fuzz.mk, ...) still append to HOST_TESTS, and every test
# must be built before it runs.
.SECONDEXPANSION:
.PHONY: check check-host check-qemu
check: all $$(HOST_TESTS)
	bash tests/run-all.sh $(HOST_TESTS)

check-host: $$(HOST_TESTS) $$(HOST_TOOLS)
	QEMU=0 bash tests/run-all.sh $(HOST_TESTS)

check-qemu: all
	HOST=0 QEMU_CASES="$(CASES)" bash tests/run-all.sh
