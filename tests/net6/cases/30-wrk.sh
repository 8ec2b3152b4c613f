# shellcheck shell=bash
# wrk for 10 s with 16 connections: zero errors.
source "$(dirname "$0")/common.sh"
out=$(net6_ns wrk -t 2 -c 16 -d 10s --timeout 5s "http://$NET6_GUEST/")
echo "$out"
if echo "$out" | grep -qE 'Socket errors|Non-2xx'; then
  echo "FAIL: wrk reported errors"
  exit 1
fi
reqs=$(echo "$out" | awk '/requests in/{print $1}')
[ "${reqs:-0}" -gt 0 ] || { echo "FAIL: no requests completed"; exit 1; }
echo "$reqs requests, 0 errors, $(echo "$out" | awk '/Requests\/sec/{print $2}') req/s"
