#!/usr/bin/env bash
# `make check`'s issue-6 test (a HOST_TESTS script, tests/net6/net6.mk):
#
#  1. user networking, as `make run` does it: the exo image boots with no
#     ip= (so netd asks QEMU's DHCP server) and QEMU's host forwards, inside
#     a private network namespace (`unshare -n`) so that 127.0.0.1:8080 and
#     :7007 are ours alone; curl must get the index page and the 1 MiB file
#     byte-exact through the forward - the initrd's www/1m.bin, whose pages
#     init handed to netd (the log must say so) - and a datagram to 7007
#     must come back. This boot has idlepoll=0 (docs/net.md, "Idle
#     polling"), so the interrupt-only receive path carries it;
#  2. every case of tests/net6/run.sh against the image on a tap with the
#     static address (its own namespace, deleted afterwards).
#
# Prints "N passed, N failed" (tests/run-all.sh adds those up). Needs root.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ISO=${ISO:-$root/build/exo.iso}
logdir=${LOGDIR:-$root/build/test-logs}/net6
mkdir -p "$logdir"
py=/usr/bin/python3

usernet() {
  local serial=$logdir/usernet-serial.log q rc=1 want got
  : >"$serial"
  ip link set lo up
  CMDLINE="idlepoll=0" NET=user HOSTFWD=1 SERIAL="$serial" \
    timeout --kill-after=5 120 bash "$root/tests/qemu/qemu.sh" "$ISO" \
    </dev/null >"$logdir/usernet-qemu.log" 2>&1 &
  q=$!
  local deadline=$((SECONDS + 60))
  until grep -qa "netd: net ready" "$serial"; do
    [ $SECONDS -lt $deadline ] && kill -0 $q 2>/dev/null || { echo "usernet: netd never ready"; break; }
    sleep 0.1
  done
  # DHCP may still be selecting when netd is ready: retry for a while.
  for _ in $(seq 1 30); do
    curl -fsS -m 5 -o "$logdir/usernet-index.html" http://127.0.0.1:8080/ 2>/dev/null && break
    sleep 0.5
  done
  want=$("$py" "$here/genfile.py" 1048576 | sha256sum | cut -c1-64)
  local initrd
  initrd=$(tar -xOf "$root/build/initrd.tar" www/1m.bin 2>/dev/null | sha256sum | cut -c1-64)
  got=$(curl -fsS -m 60 http://127.0.0.1:8080/1m.bin | sha256sum | cut -c1-64)
  local echoed
  echoed=$(echo "exo-usernet-$$" | timeout 5 socat -t2 - udp:127.0.0.1:7007 2>/dev/null)
  if ! grep -q "<h1>exo httpd</h1>" "$logdir/usernet-index.html" 2>/dev/null; then
    echo "usernet: no index page through 127.0.0.1:8080"
  elif [ "$want" != "$got" ] || [ "$initrd" != "$want" ]; then
    echo "usernet: 1m.bin differs (sha256 $got, want $want, initrd's www/1m.bin $initrd)"
  elif ! grep -qa "init: gave netd [0-9]* read-only initrd pages (www/" "$serial" ||
       ! grep -qa "netd: web root: [0-9]* files, .* read-only initrd pages" "$serial"; then
    echo "usernet: netd did not get its web root from the initrd (no hand-over in the log)"
  elif [ "$echoed" != "exo-usernet-$$" ]; then
    echo "usernet: no UDP echo through 127.0.0.1:7007 (got '$echoed')"
  elif ! grep -qa "net: idle polling off" "$serial"; then
    echo "usernet: idlepoll=0 did not turn idle polling off"
  elif ! grep -qa "netd: stack up\|dhcp" "$serial"; then
    echo "usernet: no stack start in the log"
  else
    echo "usernet: DHCP, index page, the initrd's 1m.bin byte-exact and UDP echo through the forwards (interrupts only)"
    rc=0
  fi
  kill $q 2>/dev/null
  wait $q 2>/dev/null
  return $rc
}

pass=0
failed=0
export -f usernet
export root here ISO logdir py
if unshare -n bash -c usernet >"$logdir/usernet.log" 2>&1; then
  echo "PASS usernet: $(tail -n1 "$logdir/usernet.log")"
  pass=$((pass + 1))
else
  echo "FAIL usernet: $(tail -n1 "$logdir/usernet.log") (serial: $logdir/usernet-serial.log)"
  failed=$((failed + 1))
fi

out=$logdir/run.txt
LOGDIR=$logdir STATS_PORT=7001 READY="netd: net ready" \
  bash "$here/run.sh" "$ISO" "ip=10.77.0.2/24 gw=10.77.0.1" >"$out" 2>&1
sed '$d' "$out"
ncases=$(ls "$here"/cases/[0-9][0-9]-*.sh | wc -l)
read -r p f < <(tail -n1 "$out" | awk -v n="$ncases" '/passed,.*failed/ { print $1, $3; exit } { print 0, n }')
pass=$((pass + p))
failed=$((failed + f))
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
