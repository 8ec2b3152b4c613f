#!/usr/bin/python3
"""Throw malformed frames at the guest (run inside the namespace, as root).

usage: malformed.py IFACE GUEST_IP GUEST_MAC [PCAP...]

Sends, on the tap: hand-made broken ARP, IPv4, ICMP, UDP and TCP packets
(every header field the stack checks, out of range or inconsistent), bad
fragment trains (overlaps, ping of death, endless fragment 0), scapy's
fuzz() of each protocol, and then every frame of the given pcap files with
the Ethernet destination and IPv4 destination rewritten to the guest so
that they reach its stack. Prints how many frames went out. The caller
checks afterwards that the guest still serves.
"""
import glob
import os
import random
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Ether, Raw, conf, fragment, fuzz,
                       rdpcap, sendp)

conf.verb = 0


def crafted(src_mac, gmac, gip, hip):
    e = Ether(src=src_mac, dst=gmac)
    eb = Ether(src=src_mac, dst="ff:ff:ff:ff:ff:ff")
    ip = IP(src=hip, dst=gip)
    out = []
    arp = bytes(eb / ARP(pdst=gip, psrc=hip))
    # ARP: wrong sizes, truncated, zero / multicast senders, opcode 9.
    out += [eb / ARP(hwlen=7, pdst=gip, psrc=hip), eb / ARP(plen=3, pdst=gip, psrc=hip),
            eb / ARP(op=9, pdst=gip, psrc=hip), eb / ARP(hwsrc="01:00:5e:00:00:01", pdst=gip),
            eb / ARP(psrc="0.0.0.0", pdst=gip), eb / ARP(psrc="255.255.255.255", pdst=gip),
            Ether(arp[:16] + b"\x86\xdd" + arp[18:]),      # ARP for IPv6 addresses
            Ether(arp[:20])]                                 # truncated
    # IPv4 header fields.
    good = bytes(ip / ICMP() / (b"x" * 16))
    for ver in (0, 6, 15):
        b = bytearray(good)
        b[0] = (ver << 4) | 5
        out.append(e / Raw(bytes(b)))
    for ihl in (0, 1, 4, 15):
        b = bytearray(good)
        b[0] = 0x40 | ihl
        out.append(e / Raw(bytes(b)))
    out += [e / IP(src=hip, dst=gip, len=l) / ICMP() / (b"y" * 8) for l in (0, 19, 21, 60000)]
    out += [e / IP(src=hip, dst=gip, chksum=0x1234) / ICMP(),
            e / IP(src=hip, dst=gip, options=b"\x44\x00\x05\x00") / ICMP(),   # bad option length
            e / IP(src=hip, dst=gip, options=b"\x07\x27" + b"\x00" * 2) / ICMP(),
            e / IP(src=hip, dst=gip, proto=253) / (b"z" * 20),
            e / IP(src="127.0.0.1", dst=gip) / ICMP(), e / IP(src=gip, dst=gip) / ICMP(),
            e / IP(src="224.0.0.1", dst=gip) / ICMP(), e / Raw(b"\x45")]
    # ICMP / UDP / TCP.
    out += [e / ip / ICMP(chksum=1), e / ip / ICMP(type=8) / Raw(b"\x00" * 1),
            e / ip / UDP(dport=7, len=4) / b"a", e / ip / UDP(dport=7, len=2000) / (b"b" * 10),
            e / ip / UDP(dport=7, chksum=0x1111) / (b"c" * 10), e / ip / UDP(dport=9) / b"d",
            e / ip / UDP(sport=0, dport=0) / b"e"]
    for flags in ("", "SF", "SR", "FPU", "SRAFUP", "F", "R", "A", "SA", "U"):
        out.append(e / ip / TCP(sport=40000, dport=80, flags=flags, seq=12345, ack=1))
    out += [e / ip / TCP(dport=80, dataofs=2), e / ip / TCP(dport=80, dataofs=15),
            e / ip / TCP(dport=80, chksum=7), e / ip / TCP(sport=0, dport=0, flags="S"),
            e / ip / TCP(dport=80, flags="S", options=[(2, b"\x00")]),
            e / ip / TCP(dport=80, flags="S", options=[("WScale", 40), ("MSS", 0)]),
            e / ip / TCP(dport=7, flags="S", window=0) / b"data on a syn",
            e / IP(src=hip, dst=gip, len=40) / TCP(dport=80)]
    # Fragments: overlapping, a ping of death, fragment 0 only, misaligned.
    big = ip / ICMP() / (b"P" * 3000)
    frs = fragment(big, fragsize=1000)
    out += [e / f for f in frs[:1]]                                   # never completed
    out += [e / IP(src=hip, dst=gip, id=77, flags="MF", frag=0, proto=1) / (b"A" * 24),
            e / IP(src=hip, dst=gip, id=77, frag=2, proto=1) / (b"B" * 24)]   # overlap
    out += [e / IP(src=hip, dst=gip, id=78, frag=8189, proto=1) / (b"C" * 100)]  # > 65535
    out += [e / IP(src=hip, dst=gip, id=79, flags="MF", frag=1, proto=17) / (b"D" * 13)]
    return out


def fuzzed(src_mac, gmac, gip, hip, n):
    e = Ether(src=src_mac, dst=gmac)
    out = []
    for i in range(n):
        kind = i % 5
        if kind == 0:
            p = e / fuzz(IP(dst=gip, src=hip)) / fuzz(TCP(dport=random.choice([7, 80])))
        elif kind == 1:
            p = e / IP(dst=gip, src=hip) / fuzz(TCP(dport=random.choice([7, 80])))
        elif kind == 2:
            p = e / IP(dst=gip, src=hip) / fuzz(UDP(dport=7)) / os.urandom(random.randint(0, 64))
        elif kind == 3:
            p = e / IP(dst=gip, src=hip) / fuzz(ICMP())
        else:
            p = Ether(src=src_mac, dst="ff:ff:ff:ff:ff:ff") / fuzz(ARP(pdst=gip))
        out.append(p)
    return out


def replay(pcaps, gmac, gip, limit):
    out = []
    for path in pcaps:
        try:
            pkts = rdpcap(path)
        except Exception as err:  # a corrupt capture: skip it, say so
            print(f"malformed: skipping {path}: {err}")
            continue
        for p in pkts:
            if len(out) >= limit:
                return out
            raw = bytes(p)
            if len(raw) < 14 or len(raw) > 1514:
                continue
            b = bytearray(raw)
            b[0:6] = bytes.fromhex(gmac.replace(":", ""))
            if b[12:14] == b"\x08\x00" and len(b) >= 34:
                b[30:34] = bytes(int(x) for x in gip.split("."))
            out.append(Ether(bytes(b)))
    return out


def main(argv):
    if len(argv) < 4:
        print(__doc__)
        return 2
    iface, gip, gmac = argv[1], argv[2], argv[3]
    hip = "10.77.0.1"
    random.seed(6)
    src = "02:00:00:00:77:01"
    frames = crafted(src, gmac, gip, hip) + fuzzed(src, gmac, gip, hip, 2000)
    pcaps = []
    for a in argv[4:]:
        pcaps += sorted(glob.glob(os.path.join(a, "*.pcap"))) if os.path.isdir(a) else [a]
    frames += replay(pcaps, gmac, gip, 20000)
    sent = 0
    for i in range(0, len(frames), 200):
        sendp(frames[i:i + 200], iface=iface)
        sent += len(frames[i:i + 200])
    print(f"malformed: {sent} frames sent ({len(pcaps)} pcap files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
