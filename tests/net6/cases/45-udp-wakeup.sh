# shellcheck shell=bash
# A request is answered when it arrives, not at the next timer tick: 3 s of
# sequential 32-byte UDP echoes must exceed NET6_MIN_UDP_RATE req/s (1500).
# A guest that polled its packet ring once per 1 ms tick would answer at
# most ~1000/s; exo's netd sleeps until the kernel's packet upcall wakes it
# (docs/apps.md). On an exo guest (STATS_PORT set) the kernel's idle loop
# must also have found frames by polling the NIC during the run (netstat's
# "kernel:" line, docs/net.md "Idle polling"), unless the guest was booted
# with idlepoll=0 (NET6_IDLEPOLL=0): then it must not have.
source "$(dirname "$0")/common.sh"
min=${NET6_MIN_UDP_RATE:-1500}
polls() { net6_stats "kernel:" | awk '{ for (i = 1; i < NF; i++) if ($i == "idle_polls") print $(i + 1) }'; }
before=$(polls)
out=$(net6_ns $CLIENT udp-rate 3)
echo "$out"
after=$(polls)
rate=$(echo "$out" | awk '/^udp-rate/ { print $2 }')
[ -n "$rate" ] || { echo "no rate measured"; exit 1; }
if [ "$rate" -lt "$min" ]; then
  echo "udp-wakeup: $rate req/s, below $min: replies wait for a timer tick?"
  exit 1
fi
if [ -n "${STATS_PORT:-}" ]; then
  [ -n "$before" ] && [ -n "$after" ] || { echo "udp-wakeup: no kernel: line in netstat's report"; exit 1; }
  if [ "${NET6_IDLEPOLL:-1}" = 0 ]; then
    [ "$after" -eq 0 ] || { echo "udp-wakeup: idlepoll=0 but the idle loop polled ($after)"; exit 1; }
  elif [ "$after" -le "$before" ]; then
    echo "udp-wakeup: the idle loop found no frame by polling ($before -> $after)"
    exit 1
  fi
  echo "udp-wakeup: $rate req/s sequential (>= $min); idle polls $before -> $after"
else
  echo "udp-wakeup: $rate req/s sequential (>= $min)"
fi
