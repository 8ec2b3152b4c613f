#!/usr/bin/env bash
# The committed fixtures in pcaps/ are exactly what pcaps/gen.py produces
# (so they can be regenerated, reviewed and trusted), they stay small, and
# libpcap reads every good one. Prints "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

if ! /usr/bin/python3 "$root/pcaps/gen.py" "$tmp" 2>"$tmp/gen.err"; then
  cat "$tmp/gen.err"
  echo "0 passed, 1 failed"
  exit 1
fi
for f in $(cd "$tmp" && find . -type f ! -name gen.err | sort); do
  if cmp -s "$tmp/$f" "$root/pcaps/$f"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL pcaps/${f#./} differs from what pcaps/gen.py generates"
  fi
done
size=$(du -sb "$root/pcaps" | cut -f1)
if [ "$size" -lt 1048576 ]; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); echo "FAIL pcaps/ is $size bytes (limit 1 MiB)"
fi
for f in "$root"/pcaps/*.pcap "$root"/pcaps/*.pcapng; do
  if n=$("$root/build/host/pcap-count" -r "$f" '' 2>&1) && [ "$n" -gt 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); echo "FAIL $f: $n"
  fi
done
echo "$passed passed, $failed failed"
[ $failed = 0 ]
