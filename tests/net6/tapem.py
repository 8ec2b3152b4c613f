#!/usr/bin/python3
"""A network emulator between a tap device and a QEMU datagram netdev.

usage: tapem.py TAP QEMU_SOCK HOST_SOCK CONTROL_SOCK

For kernels without sch_netem: the guest's NIC talks to QEMU's
"-netdev dgram" over the unix sockets HOST_SOCK (ours) and QEMU_SOCK
(QEMU's), and this relay copies frames between that socket and the tap,
so the tap in the namespace behaves as if the guest were attached to it.
Frames from the tap to the guest (the host side's egress, where
`tc qdisc ... netem` would act) can be impaired like netem does:

  loss P     drop a frame with probability P percent
  delay D    hold every frame D ms ...
  reorder R  ... except R percent, sent at once (so they overtake)

Commands arrive as datagrams on CONTROL_SOCK: "loss 5 reorder 25 delay 5"
sets, "clear" removes, "stats" answers with the counters.
"""
import fcntl
import heapq
import os
import random
import selectors
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def main(argv):
    if len(argv) != 5:
        print(__doc__)
        return 2
    tap_name, qemu_path, host_path, ctl_path = argv[1:]
    tap = open_tap(tap_name)
    for p in (host_path, ctl_path):
        if os.path.exists(p):
            os.unlink(p)
    dg = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    dg.bind(host_path)
    dg.setblocking(False)
    ctl = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ctl.bind(ctl_path)
    ctl.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(tap, selectors.EVENT_READ, "tap")
    sel.register(dg, selectors.EVENT_READ, "dg")
    sel.register(ctl, selectors.EVENT_READ, "ctl")
    rng = random.Random(6)
    loss = reorder = 0.0
    delay = 0.0
    held = []  # (due, seq, frame)
    seq = 0
    stats = dict(to_guest=0, to_host=0, dropped=0, delayed=0, immediate=0)

    def to_guest(frame):
        try:
            dg.sendto(frame, qemu_path)
        except OSError:
            pass  # QEMU not up yet (or gone): like a cable not plugged in

    print("tapem: relaying", flush=True)
    while True:
        timeout = max(0.0, held[0][0] - time.monotonic()) if held else 1.0
        for key, _ in sel.select(timeout):
            if key.data == "tap":
                while True:
                    try:
                        frame = os.read(tap, 65536)
                    except BlockingIOError:
                        break
                    stats["to_guest"] += 1
                    if loss and rng.random() * 100 < loss:
                        stats["dropped"] += 1
                        continue
                    if delay and not (reorder and rng.random() * 100 < reorder):
                        heapq.heappush(held, (time.monotonic() + delay / 1000, seq, frame))
                        seq += 1
                        stats["delayed"] += 1
                        continue
                    stats["immediate"] += 1
                    to_guest(frame)
            elif key.data == "dg":
                while True:
                    try:
                        frame = dg.recv(65536)
                    except BlockingIOError:
                        break
                    stats["to_host"] += 1
                    try:
                        os.write(tap, frame)
                    except OSError:
                        pass
            else:
                msg, addr = ctl.recvfrom(4096)
                words = msg.decode().split()
                reply = "ok"
                if words[:1] == ["clear"]:
                    loss = reorder = delay = 0.0
                elif words[:1] == ["stats"]:
                    reply = " ".join(f"{k}={v}" for k, v in stats.items())
                else:
                    opts = dict(zip(words[::2], words[1::2]))
                    loss = float(opts.get("loss", "0").rstrip("%"))
                    reorder = float(opts.get("reorder", "0").rstrip("%"))
                    delay = float(opts.get("delay", "0").rstrip("ms"))
                if addr:
                    ctl.sendto(reply.encode(), addr)
        now = time.monotonic()
        while held and held[0][0] <= now:
            to_guest(heapq.heappop(held)[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
