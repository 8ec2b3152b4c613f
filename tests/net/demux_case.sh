# Shared part of the demux QEMU cases (tests/qemu/cases/demux-*.test),
# sourced by a case file inside tests/qemu/run-case.sh (which has set
# root, name, log and logdir). SETUP makes the case's own namespace with a
# tap device (tests/net/netns.sh), starts the host peer
# (tests/net/demux_peer.py) in it on the serial log, and points run-case
# at the namespace (NETNS); TEARDOWN stops the peer and removes the
# namespace. The peer's own log is $logdir/peer-NAME.log.
# shellcheck disable=SC2154
source "$root/tests/net/netns.sh"

NET=tap

SETUP() {
  NETNS=$(netns_create "$name") || { echo "demux: cannot create a namespace (root?)"; return 1; }
  rm -f "$log"
  ip netns exec "$NETNS" /usr/bin/python3 "$root/tests/net/demux_peer.py" \
    "$log" "$EXO_NET_TAP" "$logdir/peer-$name.log" &
  DEMUX_PEER=$!
}

TEARDOWN() {
  kill "$DEMUX_PEER" 2>/dev/null
  wait "$DEMUX_PEER" 2>/dev/null
  netns_destroy "$NETNS"
}
