#!/usr/bin/env bash
# Run one QEMU integration test case.
#
# usage: run-case.sh tests/qemu/cases/NAME.test
#
# A case file is sourced by bash and sets:
#   CMDLINE    kernel command line selecting the test (e.g. "test=boot")
#   PASS       the fixed string the code under test prints on success
#   EXPECT     optional further fixed strings that must appear, '|'-separated
#   TIMEOUT    seconds before the run is killed (default 60)
#   EXPECT_RC  QEMU exit status to require (default 33: the kernel wrote 0x10
#              to isa-debug-exit; a panic writes 0x11, giving 35)
#   ISO        image to boot (default build/exo.iso)
#   NET, NIC, MEM, QEMU_ARGS (array) passed on to tests/qemu/qemu.sh
#   HOSTFWD    0 (default): no host port forwards with NET=user, so cases
#              can run in parallel; a case that needs them sets HOSTFWD=1
#   ALLOW_PANIC=1  a "PANIC" line does not fail the test (panic tests)
#   SETUP / TEARDOWN  optional bash functions run around QEMU
#   NETNS      a network namespace (made by SETUP, tests/net/netns.sh) to run
#              QEMU in, with NET=tap on its tap device
#
# The test passes only if PASS appears in the serial log, every EXPECT string
# appears, no PANIC line appears (unless allowed), and QEMU's exit status is
# EXPECT_RC. Otherwise the serial log is printed.
set -uo pipefail

case_file=${1:?usage: run-case.sh CASE.test}
name=$(basename "$case_file" .test)
root=$(cd "$(dirname "$0")/../.." && pwd)
logdir=${LOGDIR:-$root/build/test-logs}
mkdir -p "$logdir"
log="$logdir/qemu-$name.log"

CMDLINE="" PASS="" EXPECT="" TIMEOUT=60 EXPECT_RC=33 ISO="$root/build/exo.iso"
NET=none NIC=e1000 MEM=512M ALLOW_PANIC=0 HOSTFWD=0
QEMU_ARGS=()
NETNS=""
# shellcheck disable=SC1090
source "$case_file"

if [ -z "$PASS" ]; then
  echo "FAIL qemu/$name: case file sets no PASS marker"
  exit 1
fi

if declare -F SETUP >/dev/null; then SETUP; fi
in_ns=()
[ -n "$NETNS" ] && in_ns=(ip netns exec "$NETNS")
start=$(date +%s.%N)
rm -f "$log"
CMDLINE="$CMDLINE" NET="$NET" NIC="$NIC" MEM="$MEM" HOSTFWD="$HOSTFWD" SERIAL="$log" \
  timeout --kill-after=5 "$TIMEOUT" "${in_ns[@]}" bash "$root/tests/qemu/qemu.sh" "$ISO" "${QEMU_ARGS[@]}" \
  </dev/null >"$log.qemu" 2>&1
rc=$?
end=$(date +%s.%N)
if declare -F TEARDOWN >/dev/null; then TEARDOWN; fi

why=""
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
  why="timed out after ${TIMEOUT}s"
elif ! grep -qF -- "$PASS" "$log" 2>/dev/null; then
  why="no PASS marker '$PASS' (qemu exit $rc)"
elif [ "$rc" != "$EXPECT_RC" ]; then
  why="qemu exit status $rc, expected $EXPECT_RC"
elif [ "$ALLOW_PANIC" != 1 ] && grep -q "PANIC" "$log"; then
  why="kernel panic"
else
  IFS='|' read -r -a extra <<<"$EXPECT"
  for e in "${extra[@]}"; do
    [ -z "$e" ] && continue
    if ! grep -qF -- "$e" "$log"; then why="missing expected output '$e'"; break; fi
  done
fi

secs=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')
if [ -z "$why" ]; then
  echo "PASS qemu/$name (${secs}s)"
  exit 0
fi
echo "FAIL qemu/$name: $why (${secs}s)"
echo "---- serial log ($log) ----"
tail -n 80 "$log" 2>/dev/null
if [ -s "$log.qemu" ]; then
  echo "---- qemu output ----"
  tail -n 20 "$log.qemu"
fi
echo "----"
exit 1
