# shellcheck shell=bash
# 10,000 UDP datagrams echoed, each one checked.
source "$(dirname "$0")/common.sh"
net6_ns $CLIENT udp-echo 10000
