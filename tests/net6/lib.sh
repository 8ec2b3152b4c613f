# shellcheck shell=bash
# Helpers for the issue-6 host-side network tests and figures (source this).
# A guest boots from ISO with CMDLINE inside a network namespace with a tap
# (tests/net/netns.sh: host 10.77.0.1, guest 10.77.0.2); clients run inside
# the namespace, so no traffic ever leaves it.
#
#   net6_boot NAME ISO CMDLINE READY_RE LOG   namespace + QEMU, wait for READY_RE
#                                            in the serial log, then for ping.
#                                            ISO "host:PROG" runs PROG (hostnet.c)
#                                            on the tap instead of a guest
#   net6_ns CMD...                           run CMD in the namespace
#   net6_shutdown                            stop QEMU, delete the namespace
# After net6_boot: NET6_NS, NET6_QEMU_PID, NET6_BOOT_S (QEMU start -> ready).
#
# Link faults (net6_netem) use `tc qdisc ... netem` on the tap when the
# kernel has sch_netem. Without it (NET6_LINK=auto finds out, or
# NET6_LINK=relay), QEMU gets a datagram netdev and tapem.py relays between
# it and the tap, applying the same loss/reorder/delay to the frames that
# leave the tap towards the guest. NET6_CTL is then its control socket.

source "$(dirname "${BASH_SOURCE[0]}")/../net/netns.sh"

NET6_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NET6_ROOT=$(cd "$NET6_DIR/../.." && pwd)
NET6_PY=/usr/bin/python3
NET6_GUEST=$EXO_NET_GUEST
NET6_TAP=$EXO_NET_TAP
NET6_NS=${NET6_NS:-}
NET6_QEMU_PID=${NET6_QEMU_PID:-}
NET6_CTL=${NET6_CTL:-}
NET6_HOSTPROG=${NET6_HOSTPROG:-}
NET6_RELAY_PID=""
NET6_SOCKDIR=""

net6_ns() { ip netns exec "$NET6_NS" "$@"; }

# net6_boot NAME ISO CMDLINE READY_RE LOG [TIMEOUT_S]
net6_boot() {
  local name=$1 iso=$2 cmdline=$3 ready=$4 log=$5 timeout=${6:-120}
  NET6_HOSTPROG=""
  case "$iso" in host:*) NET6_HOSTPROG=${iso#host:}; iso=$NET6_HOSTPROG ;; esac
  [ -f "$iso" ] || { echo "net6: no image $iso" >&2; return 1; }
  NET6_NS=$(netns_create "$name") || { echo "net6: cannot create namespace" >&2; return 1; }
  : >"$log"
  local mode=${NET6_LINK:-auto}
  if [ "$mode" = auto ]; then
    mode=relay
    if net6_ns tc qdisc add dev "$NET6_TAP" root netem delay 0ms 2>/dev/null; then
      net6_ns tc qdisc del dev "$NET6_TAP" root
      mode=tap
    fi
  fi
  local qemu_net=(NET=tap) qemu_args=()
  if [ "$mode" = relay ]; then
    NET6_SOCKDIR=$(mktemp -d)
    NET6_CTL=$NET6_SOCKDIR/ctl.sock
    # Not through the net6_ns function: $! must be the relay itself.
    ip netns exec "$NET6_NS" "$NET6_PY" "$NET6_DIR/tapem.py" "$NET6_TAP" "$NET6_SOCKDIR/qemu.sock" \
      "$NET6_SOCKDIR/host.sock" "$NET6_CTL" >"$log.tapem" 2>&1 &
    NET6_RELAY_PID=$!
    local n=0
    until grep -q relaying "$log.tapem" 2>/dev/null; do
      sleep 0.05
      n=$((n + 1))
      [ $n -lt 200 ] || { echo "net6: tapem.py did not start (log $log.tapem)" >&2; return 1; }
    done
    local nicdev=e1000
    [ "${NIC:-e1000}" = virtio ] && nicdev=virtio-net-pci,disable-legacy=on
    qemu_net=(NET=none)
    qemu_args=(-netdev "dgram,id=n0,local.type=unix,local.path=$NET6_SOCKDIR/qemu.sock,remote.type=unix,remote.path=$NET6_SOCKDIR/host.sock"
               -device "$nicdev,netdev=n0,mac=52:54:00:12:34:56")
  fi
  echo "net6: link mode $mode" >>"$log.qemu"
  local t0 t1
  t0=$(date +%s.%N)
  if [ "$NET6_HOSTPROG" ]; then
    # A host process in place of the guest (tests/net6/hostnet.c).
    local dev=(--tap "$NET6_TAP")
    [ "$mode" = relay ] && dev=(--dgram "$NET6_SOCKDIR/qemu.sock" "$NET6_SOCKDIR/host.sock")
    # shellcheck disable=SC2086
    ip netns exec "$NET6_NS" "$NET6_HOSTPROG" "${dev[@]}" \
      --www "${NET6_WWW:-$NET6_ROOT/build/apps/www.tar}" $cmdline </dev/null >>"$log" 2>&1 &
  else
    env "${qemu_net[@]}" CMDLINE="$cmdline" SERIAL="$log" TAP="$EXO_NET_TAP" \
      ip netns exec "$NET6_NS" bash "$NET6_ROOT/tests/qemu/qemu.sh" "$iso" "${qemu_args[@]}" \
      </dev/null >>"$log.qemu" 2>&1 &
  fi
  NET6_QEMU_PID=$!
  local deadline=$((SECONDS + timeout))
  while ! grep -qaE "$ready" "$log"; do
    if ! kill -0 "$NET6_QEMU_PID" 2>/dev/null; then
      echo "net6: QEMU exited before '$ready' (log $log)" >&2
      return 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "net6: no '$ready' within ${timeout}s (log $log)" >&2
      return 1
    fi
    sleep 0.05
  done
  t1=$(date +%s.%N)
  NET6_BOOT_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  netns_wait_ping "$NET6_NS" 30 || { echo "net6: guest does not answer ping" >&2; return 1; }
}

net6_shutdown() {
  if [ -n "$NET6_QEMU_PID" ]; then
    # QEMU is the child of the qemu.sh bash we started: end that process
    # group's members by their parent id, never by name.
    pkill -P "$NET6_QEMU_PID" 2>/dev/null
    kill "$NET6_QEMU_PID" 2>/dev/null
    local rc=0
    wait "$NET6_QEMU_PID" 2>/dev/null || rc=$?
    # hostnet exits 3 if its stack leaked anything when torn down.
    [ -n "${NET6_HOSTPROG:-}" ] && [ $rc -eq 3 ] && echo "net6: $NET6_HOSTPROG leaked (see its log)" >&2
    NET6_QEMU_PID=""
  fi
  if [ -n "$NET6_RELAY_PID" ]; then
    kill "$NET6_RELAY_PID" 2>/dev/null
    wait "$NET6_RELAY_PID" 2>/dev/null
    NET6_RELAY_PID=""
  fi
  [ -n "$NET6_SOCKDIR" ] && rm -rf "$NET6_SOCKDIR"
  NET6_SOCKDIR=""
  NET6_CTL=""
  [ -n "$NET6_NS" ] && netns_destroy "$NET6_NS"
  NET6_NS=""
}

# Send a command to tapem.py and print its answer.
net6_ctl() {
  "$NET6_PY" - "$NET6_CTL" "$*" <<'PY'
import os, socket, sys, tempfile
me = tempfile.mktemp(prefix="net6ctl")
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(me)
s.settimeout(5)
try:
    s.sendto(sys.argv[2].encode(), sys.argv[1])
    print(s.recv(4096).decode())
finally:
    os.unlink(me)
PY
}

# Apply / clear netem on the host side of the tap (egress towards the guest).
net6_netem() {
  if [ -n "$NET6_CTL" ]; then
    net6_ctl "$@"
  else
    net6_ns tc qdisc replace dev "$NET6_TAP" root netem "$@"
  fi
}
net6_netem_clear() {
  if [ -n "$NET6_CTL" ]; then
    net6_ctl clear >/dev/null
  else
    net6_ns tc qdisc del dev "$NET6_TAP" root 2>/dev/null || true
  fi
}
# The impairment's counters (what netem/tapem did).
net6_netem_stats() {
  if [ -n "$NET6_CTL" ]; then
    net6_ctl stats
  else
    net6_ns tc -s qdisc show dev "$NET6_TAP"
  fi
}
