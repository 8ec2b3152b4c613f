# shellcheck shell=bash
# 1,000 sequential connections; the guest's pools and tables (when it has a
# statistics service) are back at their baseline afterwards.
source "$(dirname "$0")/common.sh"
before=$(net6_pool)
net6_ns $CLIENT conns 1000
sleep 1
after=$(net6_pool)
echo "pool before: ${before:-n/a}"
echo "pool after:  ${after:-n/a}"
[ "$before" = "$after" ] || { echo "FAIL: usage did not return to its baseline"; exit 1; }
net6_still_serving
if [ -n "${STATS_PORT:-}" ]; then
  echo "1000 sequential connections; pool usage back at its baseline"
else
  echo "1000 sequential connections; pool usage not checked (no STATS_PORT)"
fi
