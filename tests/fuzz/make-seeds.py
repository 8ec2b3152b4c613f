#!/usr/bin/python3
"""Seed inputs for fuzz_bytecode: every hand-made program in PROGDIR
(*.dpf) joined with packets from the classic pcap files in PCAPDIR, in the
target's raw input format: a mode byte 1, u16 program length
(little-endian), the program, the packet (at most 256 bytes).

    make-seeds.py OUTDIR PROGDIR PCAPDIR
"""
import os
import struct
import sys

PER_FILE = 12   # packets taken from each capture


def pcap_packets(path):
    """Packets of a classic pcap file; [] for anything else (pcapng,
    damaged files: the replay tests cover those)."""
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 24:
        return []
    for endian in '<>':
        magic = struct.unpack(endian + 'I', data[:4])[0]
        if magic in (0xa1b2c3d4, 0xa1b23c4d):
            break
    else:
        return []
    out, pos = [], 24
    while pos + 16 <= len(data):
        incl = struct.unpack(endian + 'I', data[pos + 8:pos + 12])[0]
        pos += 16
        if incl > len(data) - pos:
            break
        out.append(data[pos:pos + incl])
        pos += incl
    return out


def main():
    outdir, progdir, pcapdir = sys.argv[1:4]
    os.makedirs(outdir, exist_ok=True)
    progs = sorted(p for p in os.listdir(progdir) if p.endswith('.dpf'))
    packets = [b'']
    for name in sorted(os.listdir(pcapdir)):
        if name.endswith('.pcap'):
            pkts = pcap_packets(os.path.join(pcapdir, name))
            step = max(1, len(pkts) // PER_FILE)
            packets += pkts[::step][:PER_FILE]
    n = 0
    for prog in progs:
        with open(os.path.join(progdir, prog), 'rb') as f:
            code = f.read()
        for i, pkt in enumerate(packets):
            # Every program with a spread of packets, not all pairs.
            if i % len(progs) != progs.index(prog) % len(progs) and i:
                continue
            seed = struct.pack('<BH', 1, len(code)) + code + pkt[:256]
            with open(os.path.join(outdir, f'{prog[:-4]}-{i:03d}'), 'wb') as f:
                f.write(seed)
            n += 1
    print(f'make-seeds: {n} seeds in {outdir}')


if __name__ == '__main__':
    main()
