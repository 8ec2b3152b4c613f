# shellcheck shell=bash
# Fragmented datagrams: UDP echoes of 2000, 3000, 8000 and 20000 bytes
# (IPv4 fragments both ways: the host fragments the request, the guest
# its reply) come back byte-exact, and a 3000-byte ping is answered. On
# exo the first fragment reaches the stack that holds the port (udpecho,
# or pingd for ICMP) and the later ones every stack, through the kernel's
# shared fragment filter (docs/apps.md, "One address, several stacks").
source "$(dirname "$0")/common.sh"
if net6_ns $NET6_PY - "$NET6_GUEST" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
for n in (2000, 3000, 8000, 20000):
    d = bytes((i * 7 + n) & 255 for i in range(n))
    for attempt in range(5):
        s.sendto(d, (sys.argv[1], 7))
        try:
            r, _ = s.recvfrom(65536)
            break
        except socket.timeout:
            r = None
    if r != d:
        print(f"FAIL: {n}-byte datagram: " + ("no echo" if r is None else f"{len(r)} bytes back, different") + " (5 tries)")
        sys.exit(1)
print("udp-frag: 2000/3000/8000/20000-byte datagrams echoed byte-exact")
PY
then
  :
else
  echo "udpecho's statistics (UDP 7002, exo only):"
  net6_ns $CLIENT udp-echo 300 >/dev/null 2>&1 || true   # 600 frames: the kernel republishes its driver counters
  net6_ns ip -s link show "$NET6_TAP" | sed 's/^/    host tap: /'
  echo netstat | net6_ns socat -t1 - "udp:$NET6_GUEST:7002" 2>/dev/null | grep -E "pool|ip |frag|reass|drop|netif" || true
  exit 1
fi
net6_ns ping -c 3 -s 3000 -W 2 "$NET6_GUEST" >/dev/null || { echo "FAIL: no reply to a 3000-byte ping"; exit 1; }
echo "udp-frag: fragmented UDP echoed and a 3000-byte ping answered"
