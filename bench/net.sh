#!/usr/bin/env bash
# Demux figures of issue 5 (docs/net.md, "## Figures"), exo and the Linux
# 6.1 peer guest side by side, under TCG in the QEMU settings of
# tests/qemu/qemu.sh:
#   demux cycles/packet   exo: JIT-compiled trie with 1, 256, 4096 UDP-port
#                         filters, rdtsc in the kernel (test=net-demux-bench)
#   RX packets/s          (median of REPEAT runs) UDP blasted by the host peer for 5 s over a tap in
#                         a namespace into one receiver: exo's nettest pps
#                         role (a libOS packet ring, polled), Linux's
#                         udpsink (a UDP socket) with 0, 255 and 4095 more
#                         sockets bound (its demux table at the same sizes);
#                         e1000 and virtio-net
# Each run is a QEMU case (tests/qemu/run-case.sh) whose host side is
# tests/net/demux_peer.py. Needs root (namespaces) and build/linux/linux.iso.
# usage: bench/net.sh    environment: LOGDIR (default build/bench/net),
#   REPEAT (runs per RX figure, median; default 3)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export LOGDIR=${LOGDIR:-$root/build/bench/net}
mkdir -p "$LOGDIR"
cases=$(mktemp -d)
trap 'rm -rf "$cases"' EXIT

# case NAME NIC ISO CMDLINE PASS [EXPECT_RC]: a case file for run-case.sh
case_file() {
  cat >"$cases/$1.test" <<CASE
source "\$root/tests/net/demux_case.sh"
NIC=$2
ISO=$3
CMDLINE="$4 \$EXO_NET_CMDLINE"
PASS="$5"
EXPECT_RC=${6:-33}
TIMEOUT=180
CASE
}

run() {   # run NAME: runs the case, prints its serial log on failure
  bash "$root/tests/qemu/run-case.sh" "$cases/$1.test" >"$LOGDIR/$1.result" 2>&1 ||
    { cat "$LOGDIR/$1.result" >&2; return 1; }
}

serial() { cat "$LOGDIR/qemu-$1.log" 2>/dev/null; }

echo "== demux cost (exo, kernel rdtsc, TSC cycles per packet) =="
bash "$root/tests/qemu/run-case.sh" "$root/tests/qemu/cases/demux-bench.test" >/dev/null 2>&1
declare -A hit miss
for n in 1 256 4096; do
  line=$(grep -a "demux-bench: filters $n:" "$LOGDIR/qemu-demux-bench.log")
  hit[$n]=$(sed -n 's/.*hit \([0-9]*\) cycles.*/\1/p' <<<"$line")
  miss[$n]=$(sed -n 's/.*miss \([0-9]*\) cycles.*/\1/p' <<<"$line")
  echo "filters $n: hit ${hit[$n]:-?} miss ${miss[$n]:-?}"
done

median() { sort -n | awk '{v[NR]=$1} END {if (NR) print (NR % 2 ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2))}'; }

# measure NAME NIC ISO CMDLINE PASS RC PATTERN: median over REPEAT runs of
# the number PATTERN (sed) finds in the serial log
measure() {
  local name=$1 pat=$7 r vals=()
  case_file "$name" "$2" "$3" "$4" "$5" "$6"
  for r in $(seq "$REPEAT"); do
    run "$name" || continue
    vals+=("$(serial "$name" | sed -n "$pat" | tail -1)")
  done
  printf '%s\n' "${vals[@]}" | grep . | median
}

REPEAT=${REPEAT:-3}
rate='s/.*ms = \([0-9]*\)\/s.*/\1/p'
declare -A pps path
for nic in e1000 virtio; do
  pps[exo-$nic]=$(measure "pps-exo-$nic" "$nic" "$root/build/exo.iso" "test=demux-pps" \
    "PASS: demux-pps" 33 "$rate")
  path[$nic]=$(serial "pps-exo-$nic" | sed -n 's/.*demux \([0-9]*\) cycles.*/\1/p' | tail -1)
  echo "exo $nic: ${pps[exo-$nic]} packets/s"
  for extra in 0 255 4095; do
    pps[linux-$nic-$extra]=$(measure "pps-linux-$nic-$extra" "$nic" \
      "$root/build/linux/linux.iso" "bench=udpsink sinks=$extra" "udpsink: " 0 "$rate")
    echo "linux $nic, $((extra + 1)) sockets: ${pps[linux-$nic-$extra]} packets/s"
  done
done

ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }'; }

{
  echo "| figure | exo | Linux 6.1 | exo / Linux |"
  echo "|---|---|---|---|"
  for n in 1 256 4096; do
    echo "| demux, $n filters: cycles/packet (JIT trie; hit / miss) | ${hit[$n]:--} / ${miss[$n]:--} | not measurable from user space | - |"
  done
  for nic in e1000 virtio; do
    echo "| whole RX demux path under load, $nic: cycles/frame (classify, copy into the ring, counters) | ${path[$nic]:--} | - | - |"
  done
  for nic in e1000 virtio; do
    for extra in 0 255 4095; do
      echo "| RX packets/s, $nic, Linux with $((extra + 1)) UDP socket(s) bound | ${pps[exo-$nic]:--} | ${pps[linux-$nic-$extra]:--} | $(ratio "${pps[exo-$nic]:-}" "${pps[linux-$nic-$extra]:-}") |"
    done
  done
} | tee "$LOGDIR/figures.md"
