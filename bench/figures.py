#!/usr/bin/python3
"""Turn a dpf-bench run into the Markdown of docs/dpf.md's "## Figures":
the measured table and each target of issue 3 as a ratio against a peer
measured in the same run, with whether it is met.

    bench/figures.py build/bench/bench.csv build/bench/bench.log
"""
import csv
import re
import sys

ENGINES = ["dpf-jit", "dpf-interp", "libpcap", "dpdk-jit", "hand"]


def load(path):
    ns, pkts = {}, {}
    with open(path) as f:
        for r in csv.DictReader(f):
            key = (r["engine"], int(r["filters"]))
            ns[key] = float(r["ns_per_packet"])
            pkts[key] = int(r["packets"])
    return ns, pkts


def fmt(v):
    return "-" if v is None else ("%.0f" % v if v >= 100 else "%.1f" % v)


def main():
    ns, pkts = load(sys.argv[1])
    log = open(sys.argv[2]).read() if len(sys.argv) > 2 else ""
    counts = sorted({n for _, n in ns})
    out = []
    out.append("ns per packet (median of the runs; Mpps = 1000 / ns):\n")
    out.append("| engine | " + " | ".join("N=%d" % n for n in counts) + " |")
    out.append("|---" * (len(counts) + 1) + "|")
    for e in ENGINES:
        if any((e, n) in ns for n in counts):
            out.append("| %s | " % e + " | ".join(
                fmt(ns.get((e, n))) for n in counts) + " |")
    sub = sorted({(n, pkts[(e, n)]) for (e, n) in pkts
                  if e in ("libpcap", "dpdk-jit") and pkts[(e, n)] <
                  max(pkts.values())})
    if sub:
        out.append("\nlibpcap and dpdk-jit ran on subsamples: " + ", ".join(
            "%d packets at N=%d" % (p, n) for n, p in sub) + ".")

    def get(e, n):
        return ns.get((e, n))

    rows = []

    def target(name, value, limit, better_low, unit="x"):
        if value is None:
            rows.append("| %s | not measured | |" % name)
            return
        met = value <= limit if better_low else value >= limit
        rows.append("| %s | %.2f%s | %s |" % (name, value, unit,
                                              "met" if met else "NOT met"))

    j1, j4096 = get("dpf-jit", 1), get("dpf-jit", 4096)
    target("dpf-jit N=4096 / dpf-jit N=1 (<= 1.5)",
           j4096 / j1 if j1 and j4096 else None, 1.5, True)
    d1 = get("dpdk-jit", 1)
    target("dpf-jit N=4096 / dpdk-jit N=1 (<= 1.0)",
           j4096 / d1 if d1 and j4096 else None, 1.0, True)
    p256, j256 = get("libpcap", 256), get("dpf-jit", 256)
    target("libpcap N=256 / dpf-jit N=256 (>= 100)",
           p256 / j256 if p256 and j256 else None, 100, False)
    for n in counts:
        h, j = get("hand", n), get("dpf-jit", n)
        target("dpf-jit / hand at N=%d (<= 1.5)" % n,
               j / h if h and j else None, 1.5, True)
    m = re.search(r"re-JIT included: ([0-9.]+) us(.*)", log)
    target("insert + re-JIT into 4096 filters (<= 100 us)",
           float(m.group(1)) if m else None, 100, True, " us")
    out.append("\n| target | measured | |")
    out.append("|---|---|---|")
    out += rows
    if m:
        out.append("\nInsert detail: " + m.group(1) + " us" + m.group(2))
    for line in log.splitlines():
        if line.startswith("# workload:"):
            out.append("\nWorkload: " + line[len("# workload: "):] + ".")
    print("\n".join(out))


if __name__ == "__main__":
    main()
