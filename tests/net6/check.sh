#!/usr/bin/env bash
# `make check`'s issue-6 test (a HOST_TESTS script, tests/net6/net6.mk):
#
#  1. user networking, as `make run` does it, twice: the default boot (init
#     starts pingd, udpecho, tcpecho and httpd, each with its own stack)
#     with idlepoll=0, so the kernel's interrupt-only receive path carries
#     it, and net=netd (every service on one stack). The image boots with
#     no ip= (so every stack asks QEMU's DHCP server) and QEMU's host
#     forwards, inside a private network namespace (`unshare -n`) so that
#     127.0.0.1:8080 and :7007 are ours alone; curl must get the index page
#     and the 1 MiB file byte-exact through the forward - the initrd's
#     www/1m.bin, whose pages init handed to the web server (the log must
#     say so) - and a datagram to 7007 must come back;
#  2. every case of tests/net6/run.sh against the default image on a tap
#     with the static address (its own namespace, deleted afterwards).
#
# Prints "N passed, N failed" (tests/run-all.sh adds those up). Needs root.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ISO=${ISO:-$root/build/exo.iso}
logdir=${LOGDIR:-$root/build/test-logs}/net6
mkdir -p "$logdir"
py=/usr/bin/python3

# usernet NAME CMDLINE WEB: one boot on user networking; WEB is the
# program that must have received the web root.
usernet() {
  local name=$1 cmdline=$2 web=$3
  local serial=$logdir/$name-serial.log q rc=1 want got
  : >"$serial"
  ip link set lo up
  CMDLINE="$cmdline" NET=user HOSTFWD=1 SERIAL="$serial" \
    timeout --kill-after=5 120 bash "$root/tests/qemu/qemu.sh" "$ISO" \
    </dev/null >"$logdir/$name-qemu.log" 2>&1 &
  q=$!
  local deadline=$((SECONDS + 60))
  until grep -qa "init: net ready" "$serial"; do
    [ $SECONDS -lt $deadline ] && kill -0 $q 2>/dev/null || { echo "$name: never ready"; break; }
    sleep 0.1
  done
  # DHCP may still be selecting when the programs are ready: retry for a while.
  for _ in $(seq 1 30); do
    curl -fsS -m 5 -o "$logdir/$name-index.html" http://127.0.0.1:8080/ 2>/dev/null && break
    sleep 0.5
  done
  want=$("$py" "$here/genfile.py" 1048576 | sha256sum | cut -c1-64)
  local initrd
  initrd=$(tar -xOf "$root/build/initrd.tar" www/1m.bin 2>/dev/null | sha256sum | cut -c1-64)
  got=$(curl -fsS -m 60 http://127.0.0.1:8080/1m.bin | sha256sum | cut -c1-64)
  local echoed
  echoed=$(echo "exo-usernet-$$" | timeout 5 socat -t2 - udp:127.0.0.1:7007 2>/dev/null)
  if ! grep -q "<h1>exo httpd</h1>" "$logdir/$name-index.html" 2>/dev/null; then
    echo "$name: no index page through 127.0.0.1:8080"
  elif [ "$want" != "$got" ] || [ "$initrd" != "$want" ]; then
    echo "$name: 1m.bin differs (sha256 $got, want $want, initrd's www/1m.bin $initrd)"
  elif ! grep -qa "init: gave $web [0-9]* read-only initrd pages (www/" "$serial" ||
       ! grep -qa "$web: web root: [0-9]* files, .* read-only initrd pages" "$serial"; then
    echo "$name: $web did not get its web root from the initrd (no hand-over in the log)"
  elif [ "$echoed" != "exo-usernet-$$" ]; then
    echo "$name: no UDP echo through 127.0.0.1:7007 (got '$echoed')"
  elif [[ $cmdline == *idlepoll=0* ]] && ! grep -qa "net: idle polling off" "$serial"; then
    echo "$name: idlepoll=0 did not turn idle polling off"
  elif ! grep -qa "$web: address 10.0.2.15 " "$serial"; then
    echo "$name: $web reported no DHCP address 10.0.2.15"
  else
    echo "$name: DHCP, index page, the initrd's 1m.bin byte-exact and UDP echo through the forwards ($cmdline)"
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
for spec in "usernet|idlepoll=0|httpd" "usernet-netd|net=netd|netd"; do
  IFS='|' read -r name cmdline web <<<"$spec"
  if unshare -n bash -c "usernet $name '$cmdline' $web" >"$logdir/$name.log" 2>&1; then
    echo "PASS $name: $(tail -n1 "$logdir/$name.log")"
    pass=$((pass + 1))
  else
    echo "FAIL $name: $(tail -n1 "$logdir/$name.log") (serial: $logdir/$name-serial.log)"
    failed=$((failed + 1))
  fi
done

out=$logdir/run.txt
# Statistics from tcpecho's stack (UDP 7003): the connections case checks
# its pool after 1000 connections.
LOGDIR=$logdir STATS_PORT=7003 READY="init: net ready" \
  bash "$here/run.sh" "$ISO" "ip=10.77.0.2/24 gw=10.77.0.1" >"$out" 2>&1
sed '$d' "$out"
ncases=$(ls "$here"/cases/[0-9][0-9]-*.sh | wc -l)
read -r p f < <(tail -n1 "$out" | awk -v n="$ncases" '/passed,.*failed/ { print $1, $3; exit } { print 0, n }')
pass=$((pass + p))
failed=$((failed + f))
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
