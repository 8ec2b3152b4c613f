# shellcheck shell=bash
# curl fetches the 1 MiB file byte-exact (checksum against the generator).
source "$(dirname "$0")/common.sh"
want=$($NET6_PY "$NET6_DIR/genfile.py" 1048576 | sha256sum | cut -d' ' -f1)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
net6_ns curl -sf --max-time 120 -o "$tmp" -w '%{http_code} %{size_download} bytes %{time_total} s\n' \
  "http://$NET6_GUEST/1m.bin"
got=$(sha256sum "$tmp" | cut -d' ' -f1)
[ "$got" = "$want" ] || { echo "FAIL: sha256 $got, want $want"; exit 1; }
# And a missing file is a 404.
code=$(net6_ns curl -s --max-time 20 -o /dev/null -w '%{http_code}' "http://$NET6_GUEST/no-such-file")
[ "$code" = 404 ] || { echo "FAIL: missing file gave $code, want 404"; exit 1; }
echo "1m.bin byte-exact (sha256 ${got:0:16}...), missing file 404"
