#!/usr/bin/python3
"""Host side of the demux tests (tests/qemu/cases/demux-*.test).

Runs inside the test's network namespace, next to QEMU. It follows the
guest's serial log and carries out each "@peer ..." request that
apps/nettest prints, on the tap device; answers go back to the guest as
UDP datagrams to the control port 7000. The guest decides PASS or FAIL.

  @peer udp PORT N       N datagrams "seq=0".."seq=N-1" to PORT
  @peer arp N            N ARP requests for the guest's address
  @peer tx N             capture (tcpdump -w) UDP to 7101, then say "ready"
  @peer txdone N         stop the capture; compare the N frames byte for
                         byte with what nettest's tx role builds; answer
                         "tx-ok N" or "tx-bad <why>"
  @peer replay           tcpreplay every frame of pcaps/ and
                         ../shared/pcaps/tcpdump-tests; answer "done K"
  @peer flood PORT S     send to PORT as fast as possible for S seconds
  @peer blast PORT S     the same (throughput runs); both answer "done K"
  @peer echo PORT        send "echo-req" to PORT, wait for "echo-rep";
                         answer "ok" or "fail"

usage: demux_peer.py LOG IFACE REPORT  (REPORT: where the peer logs)
"""
import glob
import os
import socket
import struct
import subprocess
import sys
import time

GUEST_MAC = bytes.fromhex("525400123456")
GUEST_IP = socket.inet_aton("10.77.0.2")
HOST_IP = socket.inet_aton("10.77.0.1")
CTL_PORT = 7000
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LIFETIME = 600      # seconds: the peer never outlives a stuck test by much


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def cksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4_udp(src_mac, dst_mac, src_ip, dst_ip, sport, dport, payload, ipid=0):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), ipid, 0, 64, 17, 0,
                      src_ip, dst_ip)
    hdr = hdr[:10] + struct.pack("!H", cksum(hdr)) + hdr[12:]
    return dst_mac + src_mac + b"\x08\x00" + hdr + udp


class Peer:
    def __init__(self, iface):
        self.iface = iface
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        self.sock.bind((iface, 0))
        with open(f"/sys/class/net/{iface}/address") as f:
            self.mac = bytes.fromhex(f.read().strip().replace(":", ""))
        self.capture = None

    def send(self, frame):
        try:
            self.sock.send(frame)
            return True
        except OSError:
            return False         # tap queue full or frame too long: counted by nobody

    def udp(self, port, payload, sport=5555):
        return self.send(ipv4_udp(self.mac, GUEST_MAC, HOST_IP, GUEST_IP, sport, port,
                                  payload))

    def ctl(self, msg, times=3):
        for _ in range(times):
            self.udp(CTL_PORT, msg.encode())
            time.sleep(0.2)
        log(f"ctl {msg!r}")

    def cmd_udp(self, port, n):
        for i in range(int(n)):
            self.udp(int(port), b"seq=%d" % i)
            time.sleep(0.005)
        log(f"sent {n} datagrams to port {port}")

    def cmd_arp(self, n):
        arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, self.mac, HOST_IP,
                          b"\0" * 6, GUEST_IP)
        frame = b"\xff" * 6 + self.mac + b"\x08\x06" + arp
        for _ in range(int(n)):
            self.send(frame)
            time.sleep(0.005)
        log(f"sent {n} ARP requests")

    def cmd_tx(self, n):
        self.pcap = f"/tmp/demux-peer-{os.getpid()}.pcap"
        self.capture = subprocess.Popen(
            ["tcpdump", "-i", self.iface, "-U", "-w", self.pcap, "-s", "2048",
             "udp and dst port 7101"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.5)
        self.ctl("ready", times=2)

    def expected_tx(self, i):
        n = 18 + (i * 37) % 1400
        payload = bytes((i * 7 + j) & 0xFF for j in range(n))
        return ipv4_udp(GUEST_MAC, self.mac, GUEST_IP, HOST_IP, 7100, 7101, payload,
                        ipid=i & 0xFFFF)

    def cmd_txdone(self, n):
        n = int(n)
        time.sleep(1.0)
        self.capture.terminate()
        self.capture.wait()
        frames = read_pcap(self.pcap)
        os.unlink(self.pcap)
        why = None
        if len(frames) != n:
            why = f"captured {len(frames)} frames, expected {n}"
        else:
            for i, f in enumerate(frames):
                if f != self.expected_tx(i):
                    why = f"frame {i} differs ({len(f)} bytes)"
                    break
        log(f"tx: {len(frames)} frames captured: {why or 'all byte-exact'}")
        self.ctl(f"tx-ok {n}" if why is None else f"tx-bad {why}")

    def cmd_replay(self):
        files = sorted(glob.glob(os.path.join(ROOT, "pcaps", "**", "*.pcap*"), recursive=True))
        extra = os.path.join(ROOT, "..", "shared", "pcaps", "tcpdump-tests")
        if os.path.isdir(extra):
            files += sorted(os.path.join(extra, f) for f in os.listdir(extra))
        # Destination rewritten to the guest's MAC: otherwise the NIC's
        # own address filter (not the demux) would drop most of them.
        edit = ["tcpreplay-edit", "-i", self.iface, "--pps=4000",
                "--enet-dmac=" + GUEST_MAC.hex(":")]
        plain = ["tcpreplay", "-i", self.iface, "--pps=4000"]
        sent = 0
        for i in range(0, len(files), 40):
            batch = files[i:i + 40]
            n = self.tcpreplay(edit, batch)
            if n is None:            # one file it cannot edit or read: one by one
                n = 0
                for f in batch:
                    k = self.tcpreplay(edit, [f])
                    n += k if k is not None else (self.tcpreplay(plain, [f]) or 0)
            sent += n
        log(f"replay: {len(files)} files, {sent} frames sent")
        time.sleep(1.0)
        self.ctl(f"done {sent}")

    @staticmethod
    def tcpreplay(cmd, files):
        """Frames tcpreplay sent, or None if it failed."""
        r = subprocess.run(cmd + files, capture_output=True, text=True)
        sent = [int(l.split(":")[1]) for l in r.stdout.splitlines()
                if "Successful packets:" in l]
        return sum(sent) if r.returncode == 0 and sent else None

    def cmd_flood(self, port, secs):
        frame = ipv4_udp(self.mac, GUEST_MAC, HOST_IP, GUEST_IP, 5555, int(port),
                         b"flood" * 4)
        end = time.monotonic() + float(secs)
        sent = 0
        while time.monotonic() < end:
            for _ in range(64):
                if self.send(frame):
                    sent += 1
        log(f"flood: {sent} frames in {secs} s")
        time.sleep(1.0)
        self.ctl(f"done {sent}")

    cmd_blast = cmd_flood

    def cmd_echo(self, port):
        rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
        rx.bind((self.iface, 0))
        rx.settimeout(0.2)
        ok = False
        end = time.monotonic() + 10
        next_req = 0
        while time.monotonic() < end and not ok:
            if time.monotonic() >= next_req:
                self.udp(int(port), b"echo-req", sport=6000)
                next_req = time.monotonic() + 1.0
            try:
                f = rx.recv(2048)
            except socket.timeout:
                continue
            if len(f) >= 50 and f[6:12] == GUEST_MAC and f[23] == 17:
                ihl = (f[14] & 0xF) * 4
                u = 14 + ihl
                if struct.unpack("!H", f[u + 2:u + 4])[0] == 6000 and f[u + 8:u + 16] == b"echo-rep":
                    ok = True
        rx.close()
        log(f"echo: {'answered' if ok else 'no answer'}")
        self.ctl("ok" if ok else "fail")


def read_pcap(path):
    """Frames of a classic pcap file (tcpdump -w)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off, frames = 24, []
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
        frames.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return frames


def follow(path):
    """Lines of the serial log as QEMU writes them."""
    deadline = time.monotonic() + LIFETIME
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            return
        time.sleep(0.05)
    with open(path, "rb") as f:
        buf = b""
        while time.monotonic() < deadline:
            chunk = f.read(4096)
            if not chunk:
                time.sleep(0.05)
                continue
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                yield line.decode("utf-8", "replace").strip()


def main():
    logpath, iface, report = sys.argv[1:4]
    sys.stdout = open(report, "w", buffering=1)
    peer = Peer(iface)
    log(f"peer on {iface} ({peer.mac.hex(':')}), following {logpath}")
    for line in follow(logpath):
        if not line.startswith("@peer "):
            continue
        words = line.split()[1:]
        fn = getattr(peer, "cmd_" + words[0], None) if words else None
        log(f"request: {' '.join(words)}")
        if fn is None:
            log("unknown request")
            continue
        try:
            fn(*words[1:])
        except Exception as e:          # report, keep serving: the guest times out
            log(f"request failed: {e!r}")


if __name__ == "__main__":
    main()
