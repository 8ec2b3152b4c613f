#!/usr/bin/env bash
# Create the tap device that `make run NET=tap` attaches to (run as root):
#   exo-tap0, host side 10.77.0.1/24; the guest uses 10.77.0.2/24.
# usage: scripts/tap-setup.sh [up|down] [USER]
set -euo pipefail
action=${1:-up}
owner=${2:-${SUDO_USER:-$(id -un)}}
tap=${TAP:-exo-tap0}
case "$action" in
  up)
    ip tuntap add dev "$tap" mode tap user "$owner"
    ip addr add 10.77.0.1/24 dev "$tap"
    ip link set "$tap" up
    echo "$tap is up: host 10.77.0.1/24; boot with: make run NET=tap" ;;
  down)
    ip link del "$tap" ;;
  *) echo "usage: $0 [up|down] [USER]" >&2; exit 2 ;;
esac
