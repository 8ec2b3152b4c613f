# shellcheck shell=bash
# ping -c 20 from the host: every reply arrives.
source "$(dirname "$0")/common.sh"
out=$(net6_ns ping -c 20 -i 0.2 -W 2 "$NET6_GUEST")
echo "$out" | tail -n 2
echo "$out" | grep -q ' 20 received' || { echo "FAIL: not every reply arrived"; exit 1; }
echo "20/20 replies, $(echo "$out" | awk -F/ '/^rtt/{print "avg " $5 " ms"}')"
