#!/usr/bin/env bash
# Issue-6 host-side network tests: real clients on the host against a guest
# on a tap in a network namespace this script creates (tests/net/netns.sh).
#
# usage: tests/net6/run.sh ISO CMDLINE [CASE...]
#   e.g. tests/net6/run.sh build/linux/linux.iso "bench=net ip=10.77.0.2/24 gw=10.77.0.1"
#        tests/net6/run.sh build/exo.iso "ip=10.77.0.2/24 gw=10.77.0.1" ping udp-echo
# CASEs are the names in tests/net6/cases/ (default: all, in order).
# environment:
#   READY       regex of the serial line that says the guest serves
#               (default: "net ready")
#   LOGDIR      where logs go (default build/test-logs/net6)
#   STATS_PORT  UDP port answering a network-statistics query (exo's netstat
#               service): cases compare pool/table usage before and after
#   NIC         e1000 (default) | virtio, as for tests/qemu/qemu.sh
#   NET6_LINK   auto (default) | tap | relay: how link faults are made (lib.sh)
#   NET6_KEEPALIVE  0: a server without keep-alive passes http-keepalive
# The guest boots once; the cases run in order against it. Ends with
# "N passed, N failed"; exit status 1 if any failed. Needs root.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

ISO=${1:?usage: run.sh ISO CMDLINE [CASE...]}
CMDLINE=${2?usage: run.sh ISO CMDLINE [CASE...]}
shift 2
READY=${READY:-net ready}
LOGDIR=${LOGDIR:-$NET6_ROOT/build/test-logs/net6}
mkdir -p "$LOGDIR"

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for f in "$here"/cases/[0-9][0-9]-*.sh; do
    n=$(basename "$f" .sh)
    cases+=("${n#[0-9][0-9]-}")
  done
fi

trap net6_shutdown EXIT
if ! net6_boot net6 "$ISO" "$CMDLINE" "$READY" "$LOGDIR/serial.log" 180; then
  tail -n 20 "$LOGDIR/serial.log" >&2
  echo "0 passed, ${#cases[@]} failed"
  exit 1
fi
printf 'net6: guest ready after %.2f s (log %s)\n' "$NET6_BOOT_S" "$LOGDIR/serial.log"

export NET6_NS NET6_CTL NET6_GUEST NET6_TAP STATS_PORT="${STATS_PORT:-}" LOGDIR NET6_KEEPALIVE="${NET6_KEEPALIVE:-1}"
pass=0
failed=0
for c in "${cases[@]}"; do
  f=$(ls "$here"/cases/*-"$c".sh 2>/dev/null | head -n1)
  if [ -z "$f" ]; then
    echo "FAIL $c: no such case"
    failed=$((failed + 1))
    continue
  fi
  start=$SECONDS
  if timeout 900 bash "$f" >"$LOGDIR/$c.log" 2>&1; then
    echo "PASS $c ($((SECONDS - start)) s): $(tail -n1 "$LOGDIR/$c.log")"
    pass=$((pass + 1))
  else
    echo "FAIL $c ($((SECONDS - start)) s), log $LOGDIR/$c.log:"
    tail -n 5 "$LOGDIR/$c.log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
  net6_netem_clear
  if ! kill -0 "$NET6_QEMU_PID" 2>/dev/null; then
    echo "net6: the guest is gone (QEMU exited); stopping"
    tail -n 20 "$LOGDIR/serial.log"
    break
  fi
done
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
