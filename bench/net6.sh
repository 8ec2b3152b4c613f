#!/usr/bin/env bash
# Network figures of issue 6, exo and the Linux 6.1 peer side by side, in
# one run, over a tap in a network namespace, under TCG (the QEMU settings
# of tests/qemu/qemu.sh, e1000):
#   UDP echo requests/s    32-byte request/response, one at a time (5 s, bench/udprate.c)
#   HTTP requests/s        wrk, 2 threads, 16 connections, 10 s, GET /
#   ping RTT               average of 50 pings, 50 ms apart
#   boot to ready          QEMU start -> the guest's ready line (median of BOOTS)
#
# usage: bench/net6.sh [NAME=ISO|CMDLINE|READY ...]
#   default: exo=build/exo.iso|ip=10.77.0.2/24 gw=10.77.0.1|init: net ready
#            linux=build/linux/linux.iso|bench=net ip=10.77.0.2/24 gw=10.77.0.1|init: linux net ready
# environment: BOOTS (default 3), LOGDIR (default build/bench/net6),
#   READY_TIMEOUT (s, default 120).
# A guest that does not come up gets "-" in its column. Ratios are the first guest's over the second's.
# Needs root (namespaces), wrk, /usr/bin/python3.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/tests/net6/lib.sh"
export NET6_LINK=tap   # no relay in the path of the figures

BOOTS=${BOOTS:-3}
LOGDIR=${LOGDIR:-$root/build/bench/net6}
mkdir -p "$LOGDIR"
specs=("$@")
if [ ${#specs[@]} -eq 0 ]; then
  specs=("exo=$root/build/exo.iso|ip=10.77.0.2/24 gw=10.77.0.1|init: net ready"
         "linux=$root/build/linux/linux.iso|bench=net ip=10.77.0.2/24 gw=10.77.0.1|init: linux net ready")
fi
trap net6_shutdown EXIT

declare -A fig
names=()
median() { sort -n | awk '{v[NR]=$1} END {if (NR) print (NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

measure() {
  local name=$1 iso=$2 cmdline=$3 ready=$4 boots=() i
  for i in $(seq "$BOOTS"); do
    if ! net6_boot "bench" "$iso" "$cmdline" "$ready" "$LOGDIR/$name-serial.log" "${READY_TIMEOUT:-120}"; then
      echo "net6: $name did not come up (log $LOGDIR/$name-serial.log)" >&2
      net6_shutdown
      return 1
    fi
    boots+=("$NET6_BOOT_S")
    [ "$i" -lt "$BOOTS" ] && net6_shutdown
  done
  fig[$name,boot]=$(printf '%s\n' "${boots[@]}" | median | xargs printf '%.2f')
  fig[$name,ping]=$(net6_ns ping -q -c 50 -i 0.05 -W 2 "$NET6_GUEST" | awk -F/ '/^rtt/{print $5}')
  # bench/udprate.c: a C client, so the client's own time per echo is small.
  fig[$name,udp]=$(net6_ns "$root/build/host/udprate" "$NET6_GUEST" 5 | awk '/^udp-rate/{print $2}')
  local out
  out=$(net6_ns wrk -t 2 -c 16 -d 10s --timeout 5s "http://$NET6_GUEST/" 2>&1)
  echo "$out" >"$LOGDIR/$name-wrk.log"
  fig[$name,http]=$(echo "$out" | awk '/Requests\/sec/{printf "%.0f", $2}')
  if echo "$out" | grep -qE 'Socket errors|Non-2xx'; then
    fig[$name,http]="${fig[$name,http]}(errors)"
  fi
  net6_shutdown
}

for spec in "${specs[@]}"; do
  name=${spec%%=*}
  IFS='|' read -r iso cmdline ready <<<"${spec#*=}"
  names+=("$name")
  echo "== $name: $iso ($cmdline) =="
  measure "$name" "$iso" "$cmdline" "$ready" || true
done

ratio() {
  local a=$1 b=$2
  [[ $a =~ ^[0-9.]+$ && $b =~ ^[0-9.]+$ ]] && awk -v a="$a" -v b="$b" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "-" }' || echo "-"
}
a=${names[0]}
b=${names[1]:-}
printf '\n%-34s %12s %12s %10s\n' "figure (tap, TCG, e1000)" "$a" "${b:--}" "$a/${b:--}"
for row in "udp:UDP echo req/s (32 B, sequential)" "http:HTTP req/s (wrk, 16 conns)" \
           "ping:ping RTT ms (avg of 50)" "boot:boot to ready s (median)"; do
  k=${row%%:*}
  va=${fig[$a,$k]:--}
  vb=${b:+${fig[$b,$k]:--}}
  printf '%-34s %12s %12s %10s\n' "${row#*:}" "$va" "${vb:--}" "$(ratio "$va" "${vb:--}")"
done
