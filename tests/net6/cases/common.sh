# shellcheck shell=bash
# Sourced by every case: the namespace helpers and the clients.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
set -euo pipefail
CLIENT="$NET6_PY $NET6_DIR/netclient.py $NET6_GUEST"

# The netstat service's line that starts with PREFIX (exo guests), empty
# if there is none.
net6_stats() {
  [ -n "${STATS_PORT:-}" ] || return 0
  net6_ns $NET6_PY - "$NET6_GUEST" "$STATS_PORT" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(b"netstat", (sys.argv[1], int(sys.argv[2])))
text = b""
try:
    while True:
        text += s.recv(65536)
        if b"\nend\n" in text:
            break
except socket.timeout:
    pass
for line in text.decode().splitlines():
    if line.startswith(sys.argv[3]):
        print(line)
PY
}

net6_pool() { net6_stats "pool:"; }

# Everything still answers: ping, the index page, one UDP and one TCP echo.
net6_still_serving() {
  net6_ns ping -c 3 -W 2 "$NET6_GUEST" >/dev/null
  net6_ns curl -sf --max-time 20 -o /dev/null "http://$NET6_GUEST/"
  net6_ns $CLIENT udp-echo 20 >/dev/null
  net6_ns $CLIENT tcp-echo 100000 >/dev/null
}
