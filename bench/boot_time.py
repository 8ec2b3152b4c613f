#!/usr/bin/env python3
"""Wall time from QEMU start to the first serial line starting with "init:".

usage: bench/boot_time.py [--runs N] NAME=ISO [NAME=ISO ...]

Each image is booted N times, alternating between images so that machine
noise hits all of them alike, through tests/qemu/qemu.sh (same QEMU settings
for everyone). Prints the median and min/max per image, and the ratio of each
median to the first image's.
"""
import os
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def boot_once(iso, cmdline, timeout=60.0):
    env = dict(os.environ, SERIAL="stdio", NET="none", CMDLINE=cmdline)
    start = time.monotonic()
    p = subprocess.Popen(["bash", os.path.join(ROOT, "tests/qemu/qemu.sh"), iso],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, env=env,
                         start_new_session=True)
    took = None
    try:
        for raw in p.stdout:
            line = raw.decode("utf-8", "replace").lstrip("\r")
            if line.startswith("init:"):
                took = time.monotonic() - start
                break
            if time.monotonic() - start > timeout:
                break
    finally:
        # Only this run's session (qemu.sh and its QEMU): never other VMs.
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
    return took


def main(argv):
    runs = 5
    images = []
    i = 0
    while i < len(argv):
        if argv[i] == "--runs":
            runs = int(argv[i + 1])
            i += 2
            continue
        name, _, spec = argv[i].partition("=")
        iso, _, cmdline = spec.partition(":")
        images.append((name, iso, cmdline))
        i += 1
    if not images:
        print(__doc__, file=sys.stderr)
        return 2
    times = {name: [] for name, _, _ in images}
    for _ in range(runs):
        for name, iso, cmdline in images:
            t = boot_once(iso, cmdline)
            if t is None:
                print(f"{name}: no 'init:' line within the timeout", file=sys.stderr)
                return 1
            times[name].append(t)
    base = statistics.median(times[images[0][0]])
    print(f"{'image':<10} {'median s':>9} {'min s':>7} {'max s':>7} {'ratio':>7}")
    for name, _, _ in images:
        ts = times[name]
        med = statistics.median(ts)
        print(f"{name:<10} {med:9.3f} {min(ts):7.3f} {max(ts):7.3f} {med / base:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
