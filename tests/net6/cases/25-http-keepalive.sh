# shellcheck shell=bash
# HTTP/1.1 keep-alive and pipelining from a real client: three requests for
# the 1 MiB file on one connection, two of them in one write, all byte-exact.
# A server that closes every connection (busybox httpd, the Linux peer's)
# fails unless NET6_KEEPALIVE=0.
source "$(dirname "$0")/common.sh"
want=$($NET6_PY "$NET6_DIR/genfile.py" 1048576 | sha256sum | cut -d' ' -f1)
rc=0
out=$(net6_ns $CLIENT http-get /1m.bin) || rc=$?
echo "$out"
if [ $rc -eq 3 ] && [ "${NET6_KEEPALIVE:-1}" = 0 ]; then
  echo "no keep-alive on this server (NET6_KEEPALIVE=0): not checked"
  exit 0
fi
[ $rc -eq 0 ] || exit 1
echo "$out" | grep -q "$want" || { echo "FAIL: sha256 differs from the generator's"; exit 1; }
echo "keep-alive + pipelining: 3 x 1 MiB byte-exact on one connection"
