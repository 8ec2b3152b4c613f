# Network-namespace helpers for tests and benchmarks that need a real network
# (source this file). Every test makes its own namespace holding a tap device,
# runs QEMU inside it, and sends traffic only there:
#
#   host side (in the namespace)  exo-tap0  10.77.0.1/24
#   guest                         10.77.0.2/24 (static, from the kernel
#                                 command line: ip=10.77.0.2/24 gw=10.77.0.1)
#
# usage:
#   source tests/net/netns.sh
#   ns=$(netns_create NAME)       # namespace "exo-NAME-$$", tap up, lo up
#   netns_qemu "$ns" ISO ...      # tests/qemu/qemu.sh with NET=tap, inside it
#   netns_exec "$ns" ping ...     # any command inside it
#   netns_destroy "$ns"
# Needs root (CI runs as root).

EXO_NET_HOST=10.77.0.1
EXO_NET_GUEST=10.77.0.2
EXO_NET_PREFIX=24
EXO_NET_TAP=exo-tap0
EXO_NET_CMDLINE="ip=$EXO_NET_GUEST/$EXO_NET_PREFIX gw=$EXO_NET_HOST"

netns_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

netns_create() {
  local ns="exo-$1-$$"
  ip netns add "$ns" || return 1
  ip -n "$ns" link set lo up
  ip -n "$ns" tuntap add dev "$EXO_NET_TAP" mode tap
  ip -n "$ns" addr add "$EXO_NET_HOST/$EXO_NET_PREFIX" dev "$EXO_NET_TAP"
  ip -n "$ns" link set "$EXO_NET_TAP" up
  echo "$ns"
}

netns_exec() {
  local ns=$1
  shift
  ip netns exec "$ns" "$@"
}

# netns_qemu NS ISO [qemu args...]; environment as for tests/qemu/qemu.sh.
netns_qemu() {
  local ns=$1 iso=$2
  shift 2
  NET=tap TAP="$EXO_NET_TAP" ip netns exec "$ns" bash "$(netns_root)/tests/qemu/qemu.sh" "$iso" "$@"
}

netns_destroy() {
  ip netns del "$1" 2>/dev/null || true
}

# netns_wait_ping NS SECONDS: wait until the guest answers ping.
netns_wait_ping() {
  local ns=$1 deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    ip netns exec "$ns" ping -c1 -W1 "$EXO_NET_GUEST" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}
