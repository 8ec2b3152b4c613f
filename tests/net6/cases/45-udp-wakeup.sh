# shellcheck shell=bash
# A request is answered when it arrives, not at the next timer tick: 3 s of
# sequential 32-byte UDP echoes must exceed NET6_MIN_UDP_RATE req/s (1500).
# A guest that polled its packet ring once per 1 ms tick would answer at
# most ~1000/s; exo's netd sleeps until the kernel's packet upcall wakes it
# (docs/apps.md) and does ~6000/s here even on a loaded machine.
source "$(dirname "$0")/common.sh"
min=${NET6_MIN_UDP_RATE:-1500}
out=$(net6_ns $CLIENT udp-rate 3)
echo "$out"
rate=$(echo "$out" | awk '/^udp-rate/ { print $2 }')
[ -n "$rate" ] || { echo "no rate measured"; exit 1; }
if [ "$rate" -lt "$min" ]; then
  echo "udp-wakeup: $rate req/s, below $min: replies wait for a timer tick?"
  exit 1
fi
echo "udp-wakeup: $rate req/s sequential (>= $min)"
