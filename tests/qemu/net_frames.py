#!/usr/bin/python3
"""Send Ethernet frames of every length to a QEMU guest over a datagram netdev.

usage: net_frames.py HOST_SOCK QEMU_SOCK [flood N]

QEMU runs with
  -netdev dgram,id=n0,local.type=unix,local.path=QEMU_SOCK,
          remote.type=unix,remote.path=HOST_SOCK
so every datagram sent to QEMU_SOCK is one frame on the guest's wire, and
every frame the guest sends arrives here as one datagram.

Protocol (kernel/test/net_test.c, test=net-rx-sizes): wait for the guest's
READY frame, send one frame per length in SIZES (ethertype 0x88b5, then
big-endian seq and size, then byte i = (seq + i) & 0xff; shorter frames
are just cut off), then a closing frame carrying "END" and the number of
frames of 18..1518 bytes, which the guest must all receive intact.

With "flood N": after READY, N 60-byte frames (seq 0..N-1, same layout)
as fast as the socket takes them, then the closing frame carrying N. A
full guest RX ring makes QEMU stop reading the socket, so the sender is
paced by the guest and nothing is lost on the way.
"""
import os
import socket
import struct
import sys
import time

GUEST = bytes.fromhex("525400123456")
HOST = bytes.fromhex("020000000001")
ETH_P_EXP = 0x88B5
SIZES = [1, 5, 13, 14, 15, 17, 18, 42, 59, 60, 61, 64, 100, 1000, 1500,
         1514, 1518, 1519, 1522, 1600, 2000, 2036, 2037, 2100, 4000, 9000,
         16000]


def frame(seq, size):
    hdr = GUEST + HOST + struct.pack(">HHH", ETH_P_EXP, seq, size)
    body = bytes((seq + i) & 0xFF for i in range(len(hdr), max(size, len(hdr))))
    return (hdr + body)[:size]


def send_sizes(s, qemu_path):
    sent_valid = 0
    for seq, size in enumerate(SIZES):
        s.sendto(frame(seq, size), qemu_path)
        if 18 <= size <= 1518:
            sent_valid += 1
        time.sleep(0.002)  # stay below the guest's RX ring size in flight
    print(f"net_frames: sent {len(SIZES)} frames ({sent_valid} of 18..1518 bytes)")
    return sent_valid


def send_flood(s, qemu_path, n):
    s.settimeout(None)  # block while the guest's ring is full
    start = time.monotonic()
    for seq in range(n):
        s.sendto(frame(seq & 0xFFFF, 60), qemu_path)
    secs = time.monotonic() - start
    print(f"net_frames: flooded {n} frames in {secs:.2f} s")
    return n


def main():
    host_path, qemu_path = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(host_path)
    s.settimeout(25)
    while True:
        f = s.recv(65536)
        if len(f) >= 19 and f[12:14] == b"\x88\xb5" and f[14:19] == b"READY":
            break
    if len(sys.argv) == 5 and sys.argv[3] == "flood":
        count = send_flood(s, qemu_path, int(sys.argv[4]))
    else:
        count = send_sizes(s, qemu_path)
    end = GUEST + HOST + struct.pack(">H", ETH_P_EXP) + b"END" + struct.pack("<H", count)
    s.sendto(end.ljust(60, b"\0"), qemu_path)
    print("net_frames: END sent")
    os.unlink(host_path)


if __name__ == "__main__":
    main()
