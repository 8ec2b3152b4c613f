#!/usr/bin/env python3
"""Kernel micro-benchmarks: exo against the Linux 6.1 peer, same QEMU.

usage: bench/kernel_bench.py [--runs N] [--out FILE] EXO_ISO LINUX_ISO

Boots EXO_ISO with test=bench (apps/bench prints "bench: NAME CYCLES")
and LINUX_ISO with bench=micro (bench/linux/micro.c prints "micro: NAME
CYCLES"), N times each, alternating so that host noise hits both alike,
through tests/qemu/qemu.sh. Each program already reports the median of
15 rounds; this script takes the median over the N boots, prints the
two side by side with the ratio Linux/exo, and writes the same table as
Markdown to FILE.
"""
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (exo name, Linux name, what is measured)
PAIRS = [
    ("null_syscall", "null_syscall", "null system call (exo: null, Linux: getpid)"),
    ("fault_roundtrip", "fault_roundtrip",
     "page fault -> user handler maps the page -> resume (Linux: SIGSEGV + mprotect)"),
    ("yield", "switch",
     "directed yield to another env (Linux: pipe ping-pong, a forced switch; "
     "sched_yield often does not switch), per switch"),
    ("bind_map_page", "bind_map_page",
     "bind + map + unmap + release one page (Linux: mmap MAP_POPULATE + munmap)"),
]
EXO_ONLY = [
    ("yield_self", "yield with nobody else runnable (the switch path without a CR3 load)"),
    ("bind_map_only", "bind + map alone (unmap + release untimed)"),
]


def boot(iso, cmdline, prefix, timeout=240):
    with tempfile.NamedTemporaryFile(suffix=".log", delete=False) as f:
        log = f.name
    env = dict(os.environ, CMDLINE=cmdline, NET="none", SERIAL=log)
    try:
        subprocess.run(["bash", os.path.join(ROOT, "tests/qemu/qemu.sh"), iso],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    figures = {}
    with open(log, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").strip()
            if line.startswith(prefix):
                parts = line[len(prefix):].split()
                if len(parts) == 2 and parts[1].isdigit():
                    figures[parts[0]] = int(parts[1])
    os.unlink(log)
    return figures


def main(argv):
    runs, out = 3, None
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == "--runs":
            runs = int(argv[i + 1])
            i += 2
        elif argv[i] == "--out":
            out = argv[i + 1]
            i += 2
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    exo_iso, linux_iso = args
    exo, linux = {}, {}
    for r in range(runs):
        for name, v in boot(exo_iso, "test=bench", "bench: ").items():
            exo.setdefault(name, []).append(v)
        for name, v in boot(linux_iso, "bench=micro", "micro: ").items():
            linux.setdefault(name, []).append(v)
        print(f"run {r + 1}/{runs}: exo {len(exo)} figures, linux {len(linux)} figures",
              file=sys.stderr)
    if not exo or not linux:
        print("kernel_bench: a guest printed no figures (see tests/qemu/qemu.sh)",
              file=sys.stderr)
        return 1
    med = lambda d, k: int(statistics.median(d[k])) if k in d else None
    rows = ["| operation | exo (cycles) | Linux 6.1 (cycles) | Linux / exo |",
            "|---|---:|---:|---:|"]
    print(f"{'operation':<18} {'exo':>10} {'linux':>10} {'linux/exo':>10}")
    for e, l, what in PAIRS:
        a, b = med(exo, e), med(linux, l)
        ratio = f"{b / a:.1f}x" if a and b else "-"
        print(f"{e:<18} {a if a is not None else '-':>10} {b if b is not None else '-':>10} {ratio:>10}")
        rows.append(f"| {what} | {a} | {b} | {ratio} |")
    for e, what in EXO_ONLY:
        a = med(exo, e)
        print(f"{e:<18} {a if a is not None else '-':>10} {'':>10} {'':>10}")
        rows.append(f"| {what} | {a} | | |")
    rows.append("")
    rows.append(f"QEMU TCG, `-cpu max`, medians of {runs} boots x 15 rounds, rdtsc cycles.")
    if out:
        os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
        with open(out, "w") as f:
            f.write("\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
