# tests/fuzz: libFuzzer targets (make fuzz; smoke runs in make check).
