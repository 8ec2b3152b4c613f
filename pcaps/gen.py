#!/usr/bin/python3
"""Generate the project's pcap fixtures (run with Debian's /usr/bin/python3,
which has scapy):   /usr/bin/python3 pcaps/gen.py [OUTDIR]

Deterministic: fixed seeds and timestamps, and our own pcap writer (so that
records can have caplen < len). The outputs are committed; rerunning must
reproduce them byte for byte (tests/tools/pcaps.sh checks).

  mixed.pcap      IPv4 TCP/UDP/ICMP/IGMP/SCTP/GRE, ARP/RARP, IPv4 options,
                  fragments, broadcast/multicast, MPLS, PPPoE, raw Ethernet
  ipv6.pcap       IPv6 TCP/UDP/ICMPv6, hop-by-hop/routing/fragment/dest-opts
                  extension headers, fragments, multicast
  vlan.pcap       802.1Q, QinQ (88a8 + 8100, 8100 + 8100, 9100) over IPv4/IPv6
  short.pcap      caplen < len at every header boundary, runts, garbage
  mixed.pcapng    a few packets in pcapng form (libpcap reads both)
  bad/            files libpcap must refuse or stop on: bad magic, short
                  header, record cut short, absurd caplen, a non-Ethernet
                  link type
"""
import os
import random
import struct
import sys

from scapy.all import (ARP, GRE, ICMP, IP, SCTP, TCP, UDP, Dot1AD, Dot1Q,
                       Ether, ICMPv6EchoReply, ICMPv6EchoRequest,
                       ICMPv6ND_NS, IPOption_NOP, IPOption_RR,
                       IPOption_Router_Alert, IPv6, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, PPPoE, Raw, fragment)
from scapy.contrib.igmp import IGMP
from scapy.contrib.mpls import MPLS
from scapy.layers.ppp import PPP
from scapy.utils import PcapNgWriter

LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
SNAPLEN = 262144
T0 = 1700000000

HOSTS4 = ["10.0.0.1", "10.0.0.2", "10.1.2.3", "192.168.1.10",
          "192.168.1.20", "172.16.5.4", "8.8.8.8", "224.0.0.251"]
HOSTS6 = ["2001:db8::1", "2001:db8::2", "fe80::1", "2001:db8:1::53",
          "ff02::1"]
PORTS = [22, 53, 80, 443, 1024, 1234, 8080, 20000, 65535]
MACS = ["00:11:22:33:44:55", "66:77:88:99:aa:bb", "02:00:00:00:00:01"]


def write_pcap(path, records, linktype=LINKTYPE_ETHERNET):
    """records: list of (bytes, wirelen); caplen = len(bytes)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, SNAPLEN,
                            linktype))
        for i, (data, wirelen) in enumerate(records):
            f.write(struct.pack("<IIII", T0 + i, (i * 1000) % 1000000,
                                len(data), wirelen))
            f.write(data)


def full(pkts):
    return [(bytes(p), len(bytes(p))) for p in pkts]


def eth(src=0, dst=1):
    return Ether(src=MACS[src % 3], dst=MACS[dst % 3])


def transport(rng, proto):
    sport, dport = rng.choice(PORTS), rng.choice(PORTS)
    if proto == "tcp":
        flags = rng.choice(["S", "SA", "A", "PA", "FA", "R", "U", ""])
        return TCP(sport=sport, dport=dport, flags=flags, seq=rng.randrange(
            1 << 32)) / Raw(b"x" * rng.randrange(0, 40))
    if proto == "udp":
        return UDP(sport=sport, dport=dport) / Raw(b"u" * rng.randrange(0, 40))
    if proto == "sctp":
        return SCTP(sport=sport, dport=dport)
    return ICMP(type=rng.choice([0, 3, 8, 11]), code=rng.choice([0, 1]))


def mixed(rng):
    pkts = []
    for i in range(240):
        proto = ["tcp", "tcp", "udp", "icmp", "sctp"][i % 5]
        ip = IP(src=rng.choice(HOSTS4), dst=rng.choice(HOSTS4),
                ttl=rng.choice([1, 64, 255]), tos=rng.choice([0, 0x10]),
                id=i)
        pkts.append(eth(i, i + 1) / ip / transport(rng, proto))
    options = [[IPOption_NOP(), IPOption_NOP(), IPOption_NOP(),
                IPOption_NOP()], [IPOption_Router_Alert()],
               [IPOption_RR(routers=["1.2.3.4", "5.6.7.8"])]]
    for i in range(30):  # IPv4 options: IHL > 5, ports move
        ip = IP(src=rng.choice(HOSTS4), dst=rng.choice(HOSTS4),
                options=options[i % 3])
        pkts.append(eth() / ip / transport(rng, ["tcp", "udp"][i % 2]))
    for i in range(6):  # fragments: only the first carries the ports
        big = IP(src=HOSTS4[0], dst=HOSTS4[1], id=1000 + i) / \
            transport(rng, ["tcp", "udp", "icmp"][i % 3]) / Raw(b"F" * 120)
        pkts += [eth() / f for f in fragment(big, fragsize=48)]
    for i in range(12):
        op = [1, 2, 3, 4][i % 4]  # ARP request/reply, RARP request/reply
        etype = 0x0806 if op <= 2 else 0x8035
        pkts.append(Ether(src=MACS[i % 3], dst="ff:ff:ff:ff:ff:ff",
                          type=etype) /
                    ARP(op=op, psrc=rng.choice(HOSTS4),
                        pdst=rng.choice(HOSTS4), hwsrc=MACS[i % 3]))
    for i in range(8):
        pkts.append(Ether(src=MACS[0], dst="01:00:5e:00:00:fb") /
                    IP(src=HOSTS4[3], dst="224.0.0.251") /
                    UDP(sport=5353, dport=5353))
        pkts.append(Ether(src=MACS[1], dst="ff:ff:ff:ff:ff:ff") /
                    IP(src=HOSTS4[4], dst="255.255.255.255") /
                    UDP(sport=68, dport=67))
        pkts.append(eth() / IP(src=HOSTS4[i % 8], dst="224.0.0.1") / IGMP())
        pkts.append(eth() / IP(src=HOSTS4[0], dst=HOSTS4[2]) / GRE() /
                    IP(src=HOSTS4[5], dst=HOSTS4[6]) / UDP(dport=53))
    for i in range(6):
        pkts.append(eth() / MPLS(label=16 + i, s=1) /
                    IP(src=HOSTS4[0], dst=HOSTS4[1]) / transport(rng, "tcp"))
        pkts.append(Ether(src=MACS[0], dst=MACS[1], type=0x8864) /
                    PPPoE(sessionid=i) / PPP(proto=0x0021) /
                    IP(src=HOSTS4[1], dst=HOSTS4[2]) / transport(rng, "udp"))
        pkts.append(Ether(src=MACS[2], dst=MACS[0], type=0x88b5) /
                    Raw(bytes(rng.randrange(256) for _ in range(50))))
        pkts.append(Ether(src=MACS[2], dst=MACS[0], type=60) /  # 802.3
                    Raw(b"\xaa\xaa\x03" + bytes(57)))
    return full(pkts)


def ipv6(rng):
    pkts = []
    exts = [None, IPv6ExtHdrHopByHop(), IPv6ExtHdrDestOpt(),
            IPv6ExtHdrRouting(addresses=["2001:db8::99"]),
            IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt(),
            IPv6ExtHdrFragment(offset=0, m=0, id=7)]
    for i in range(150):
        proto = ["tcp", "udp", "icmp6"][i % 3]
        ip = IPv6(src=rng.choice(HOSTS6), dst=rng.choice(HOSTS6),
                  hlim=rng.choice([1, 64, 255]))
        ext = exts[(i // 3) % len(exts)]
        if ext is not None:
            ip = ip / ext
        if proto == "icmp6":
            body = [ICMPv6EchoRequest(id=i), ICMPv6EchoReply(id=i),
                    ICMPv6ND_NS(tgt=HOSTS6[0])][i % 3]
        else:
            body = transport(rng, proto)
        pkts.append(eth(i, i + 2) / ip / body)
    for i in range(4):  # a fragmented datagram: first and later fragments
        data = bytes(TCP(sport=80, dport=1234) / Raw(b"D" * 100))
        for off, more, chunk in ((0, 1, data[:64]), (8, 0, data[64:])):
            pkts.append(eth() / IPv6(src=HOSTS6[0], dst=HOSTS6[1]) /
                        IPv6ExtHdrFragment(nh=6, offset=off, m=more,
                                           id=100 + i) / Raw(chunk))
    for i in range(6):
        pkts.append(Ether(src=MACS[0], dst="33:33:00:00:00:01") /
                    IPv6(src="fe80::1", dst="ff02::1") /
                    ICMPv6EchoRequest())
    return full(pkts)


def vlan(rng):
    pkts = []
    for i in range(90):
        inner = [IP(src=rng.choice(HOSTS4), dst=rng.choice(HOSTS4)),
                 IPv6(src=rng.choice(HOSTS6), dst=rng.choice(HOSTS6))][i % 2]
        l4 = transport(rng, ["tcp", "udp", "icmp"][i % 3]) if i % 2 == 0 \
            else transport(rng, ["tcp", "udp"][i % 2])
        kind = i % 5
        vid = [10, 20, 100, 4095][i % 4]
        if kind == 0:
            p = Ether(src=MACS[0], dst=MACS[1]) / Dot1Q(vlan=vid, prio=i % 8)
        elif kind == 1:  # QinQ, 802.1ad outer
            p = Ether(src=MACS[0], dst=MACS[1]) / Dot1AD(vlan=vid) / \
                Dot1Q(vlan=vid + 1)
        elif kind == 2:  # double 802.1Q
            p = Ether(src=MACS[1], dst=MACS[2]) / Dot1Q(vlan=vid) / \
                Dot1Q(vlan=vid + 2)
        elif kind == 3:  # pre-standard 0x9100 outer
            p = Ether(src=MACS[2], dst=MACS[0], type=0x9100) / \
                Dot1Q(vlan=vid) / Dot1Q(vlan=30)
        else:
            p = Ether(src=MACS[0], dst=MACS[2])
        pkts.append(p / inner / l4)
    pkts.append(Ether(src=MACS[0], dst=MACS[1]) / Dot1Q(vlan=5) /
                ARP(psrc=HOSTS4[0], pdst=HOSTS4[1]))
    return full(pkts)


def short(rng):
    base = (mixed(random.Random(7))[:20] + ipv6(random.Random(8))[:12] +
            vlan(random.Random(9))[:10])
    recs = []
    cuts = [0, 1, 6, 12, 13, 14, 15, 20, 23, 24, 26, 30, 33, 34, 35, 36,
            37, 38, 40, 47, 48, 54, 55, 56, 57, 60, 62]
    for i, (data, _) in enumerate(base):
        for cut in cuts[i % 5::5]:
            if cut < len(data):
                recs.append((data[:cut], len(data)))
    for n in range(0, 14):  # runts: not even an Ethernet header
        recs.append((bytes(rng.randrange(256) for _ in range(n)), n))
    for n in (20, 42, 60, 64, 128, 400):  # garbage of every size
        junk = bytes(rng.randrange(256) for _ in range(n))
        recs.append((junk, n))
        recs.append((junk[:12] + b"\x08\x00" + junk[14:], n))  # "IPv4"
        recs.append((junk[:12] + b"\x86\xdd" + junk[14:], n))  # "IPv6"
        recs.append((junk[:12] + b"\x81\x00" + junk[14:], n))  # "VLAN"
    recs.append((b"\x00" * 60, 60))
    recs.append((b"\xff" * 60, 60))
    return recs


def bad(outdir, rng):
    good = mixed(random.Random(3))[:8]
    d = os.path.join(outdir, "bad")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "bad-magic.pcap"), "wb") as f:
        f.write(b"NOTAPCAP" + bytes(rng.randrange(256) for _ in range(64)))
    with open(os.path.join(d, "short-header.pcap"), "wb") as f:
        f.write(struct.pack("<IHH", 0xa1b2c3d4, 2, 4))
    write_pcap(os.path.join(d, "cut-record.pcap"), good)
    path = os.path.join(d, "cut-record.pcap")
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.truncate(size - 30)  # the last record stops in mid-packet
    write_pcap(os.path.join(d, "huge-caplen.pcap"), good[:3])
    with open(os.path.join(d, "huge-caplen.pcap"), "ab") as f:
        f.write(struct.pack("<IIII", T0, 0, 0x7fffffff, 0x7fffffff))
        f.write(b"\x00" * 64)
    write_pcap(os.path.join(d, "raw-ip.pcap"),
               [(bytes(IP(src=HOSTS4[0], dst=HOSTS4[1]) / UDP()), 28)],
               linktype=LINKTYPE_RAW)
    with open(os.path.join(d, "empty.pcap"), "wb"):
        pass


def pcapng(outdir):
    w = PcapNgWriter(os.path.join(outdir, "mixed.pcapng"))
    for i, (data, _) in enumerate(mixed(random.Random(5))[:40]):
        p = Ether(data)
        p.time = T0 + i
        w.write(p)
    w.close()


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.abspath(__file__))
    os.makedirs(outdir, exist_ok=True)
    write_pcap(os.path.join(outdir, "mixed.pcap"), mixed(random.Random(1)))
    write_pcap(os.path.join(outdir, "ipv6.pcap"), ipv6(random.Random(2)))
    write_pcap(os.path.join(outdir, "vlan.pcap"), vlan(random.Random(3)))
    write_pcap(os.path.join(outdir, "short.pcap"), short(random.Random(4)))
    pcapng(outdir)
    bad(outdir, random.Random(6))


if __name__ == "__main__":
    main()
