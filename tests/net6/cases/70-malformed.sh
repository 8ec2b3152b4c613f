# shellcheck shell=bash
# Malformed TCP, UDP, IP and ARP packets (scapy, then the pcap corpora when
# present); afterwards every app still serves.
source "$(dirname "$0")/common.sh"
corpora=()
for d in "$NET6_ROOT/pcaps" "$NET6_ROOT/pcaps/bad" "$NET6_ROOT/../shared/pcaps/tcpdump-tests"; do
  [ -d "$d" ] && corpora+=("$d")
done
mac=52:54:00:12:34:56   # tests/qemu/qemu.sh
net6_ns $NET6_PY "$NET6_DIR/malformed.py" "$NET6_TAP" "$NET6_GUEST" "$mac" "${corpora[@]}"
sleep 1
net6_still_serving
echo "malformed frames sent; ping, http, udp and tcp echo still serve"
