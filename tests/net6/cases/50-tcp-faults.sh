# shellcheck shell=bash
# TCP under faults: loss 5% reorder 25% delay 5ms on the host side of the
# tap (netem, or tapem.py where the kernel lacks netem: lib.sh); 5 MB each
# way through the TCP echo server, byte-exact. Then once more without faults.
source "$(dirname "$0")/common.sh"
trap net6_netem_clear EXIT
net6_netem loss 5% reorder 25% delay 5ms
net6_ns $CLIENT tcp-echo 5000000
echo "link: $(net6_netem_stats | tr '\n' ' ')"
net6_netem_clear
net6_ns $CLIENT tcp-echo 5000000
