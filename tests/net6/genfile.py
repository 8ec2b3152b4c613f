#!/usr/bin/python3
"""Write SIZE bytes of a reproducible pattern to stdout (the served test file).

usage: genfile.py SIZE [SEED]

The same generator feeds the guest's web root (bench/linux/build.sh, the exo
initrd) and the tests, which compare checksums of what they fetch against
it. A keyed hash stream: not compressible, and every 1 KiB block differs.
"""
import hashlib
import sys

size = int(sys.argv[1])
seed = sys.argv[2] if len(sys.argv) > 2 else "exo-net6"
out = sys.stdout.buffer
block = 0
left = size
while left > 0:
    chunk = b"".join(hashlib.sha256(f"{seed}:{block}:{i}".encode()).digest() for i in range(32))
    out.write(chunk[:left])
    left -= len(chunk[:left])
    block += 1
