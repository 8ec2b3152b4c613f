#!/usr/bin/python3
"""Clients of the issue-6 network tests and figures (run inside the namespace).

usage: netclient.py HOST COMMAND [ARGS]
  udp-echo N [PORT]        N datagrams to the UDP echo server, sequentially, each
                           with its own contents; every reply must be the exact
                           datagram. A datagram is retransmitted (at most 3
                           times) if its reply is late; retransmissions are
                           reported, a datagram never echoed fails.
  udp-rate SECONDS [PORT]  32-byte request/response, sequential: prints req/s
  tcp-echo BYTES [PORT]    BYTES each way through the TCP echo server at once,
                           byte-exact
  conns N [PORT]           N sequential TCP connections to the echo server, each
                           exchanging one message, then closed
  http-get PATH [PORT]     three GETs on one HTTP/1.1 connection, the last two
                           pipelined; identical bodies; exit 3 if the server
                           closes the connection after the first
Exit status 0 on success; the last line says what was checked.
"""
import hashlib
import os
import selectors
import socket
import struct
import sys
import time


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def udp_echo(host, n, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((host, port))
    s.settimeout(0.5)
    retrans = 0
    for i in range(n):
        # Sequence number, a length that varies from 8 to 1400 bytes, and
        # random bytes: a stale or corrupted reply cannot pass for this one.
        size = 8 + (i * 97) % 1393
        msg = struct.pack("!II", i, size) + os.urandom(size - 8)
        for attempt in range(4):
            s.send(msg)
            try:
                while True:
                    r = s.recv(2048)
                    if r == msg:
                        break
                    if len(r) >= 4 and struct.unpack("!I", r[:4])[0] < i:
                        continue  # late reply to a retransmitted earlier datagram
                    fail(f"datagram {i}: reply of {len(r)} bytes differs")
                break
            except socket.timeout:
                retrans += 1
        else:
            fail(f"datagram {i} never echoed")
    print(f"udp-echo: {n} datagrams echoed byte-exact ({retrans} retransmitted)")


def udp_rate(host, seconds, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((host, port))
    s.settimeout(1.0)
    msg = bytes(range(32))
    done = lost = 0
    end = time.monotonic() + seconds
    start = time.monotonic()
    while time.monotonic() < end:
        s.send(msg)
        try:
            if s.recv(64) == msg:
                done += 1
        except socket.timeout:
            lost += 1
    took = time.monotonic() - start
    print(f"udp-rate: {done / took:.0f} req/s ({done} in {took:.1f} s, {lost} timeouts)")


def pattern(total, seed):
    out = bytearray()
    i = 0
    while len(out) < total:
        out += hashlib.sha256(f"{seed}:{i}".encode()).digest() * 32
        i += 1
    return bytes(out[:total])


def tcp_echo(host, total, port):
    data = pattern(total, "tcp-echo")
    s = socket.create_connection((host, port), timeout=30)
    s.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    sent = 0
    got = bytearray()
    deadline = time.monotonic() + 600
    start = time.monotonic()
    while len(got) < total:
        if time.monotonic() > deadline:
            fail(f"tcp-echo: timeout with {sent} sent, {len(got)} received")
        for key, ev in sel.select(timeout=1.0):
            if ev & selectors.EVENT_WRITE and sent < total:
                try:
                    sent += s.send(data[sent:sent + 65536])
                except BlockingIOError:
                    pass
                if sent == total:
                    sel.modify(s, selectors.EVENT_READ)
            if ev & selectors.EVENT_READ:
                try:
                    r = s.recv(262144)
                except BlockingIOError:
                    continue
                if not r:
                    fail(f"tcp-echo: EOF after {len(got)} bytes")
                got += r
    s.shutdown(socket.SHUT_WR)
    s.setblocking(True)
    s.settimeout(30)
    if s.recv(1):
        fail("tcp-echo: extra bytes after the echo")
    s.close()
    if bytes(got) != data:
        bad = next(i for i in range(total) if got[i] != data[i])
        fail(f"tcp-echo: first difference at byte {bad}")
    took = time.monotonic() - start
    print(f"tcp-echo: {total} bytes each way byte-exact in {took:.1f} s")


def conns(host, n, port):
    start = time.monotonic()
    for i in range(n):
        msg = f"connection {i}\n".encode()
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(msg)
        got = b""
        while len(got) < len(msg):
            r = s.recv(256)
            if not r:
                fail(f"connection {i}: EOF after {len(got)} bytes")
            got += r
        if got != msg:
            fail(f"connection {i}: echo differs")
        s.close()
    print(f"conns: {n} sequential connections in {time.monotonic() - start:.1f} s")


def read_response(f):
    """One response from file f: (body, server_closes)."""
    status = f.readline()
    if not status.startswith(b"HTTP/1.1 200"):
        fail(f"http: status line {status!r}")
    length = None
    closes = False
    while True:
        h = f.readline()
        if h in (b"\r\n", b""):
            break
        k, _, v = h.decode().partition(":")
        k = k.strip().lower()
        if k == "content-length":
            length = int(v)
        elif k == "connection" and "close" in v.lower():
            closes = True
    if length is None:
        fail("http: no Content-Length")
    body = f.read(length)
    if len(body) != length:
        fail(f"http: body {len(body)} of {length} bytes")
    return body, closes


def http_get(host, path, port):
    """Keep-alive and pipelining: three GETs on one connection, the last two
    sent in one write. Exit status 3 if the server closes after the first."""
    s = socket.create_connection((host, port), timeout=60)
    f = s.makefile("rb")
    req = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    s.sendall(req)
    body, closes = read_response(f)
    digests = {hashlib.sha256(body).hexdigest()}
    if closes:
        print("http-get: the server closes every connection (no keep-alive)")
        sys.exit(3)
    s.sendall(req + req)   # pipelined
    for _ in range(2):
        body, _ = read_response(f)
        digests.add(hashlib.sha256(body).hexdigest())
    if len(digests) != 1:
        fail("http: the three responses differ")
    print(f"http-get: 3 responses on one connection (2 pipelined), sha256 {digests.pop()}")


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    host, cmd, args = argv[1], argv[2], argv[3:]
    if cmd == "udp-echo":
        udp_echo(host, int(args[0]), int(args[1]) if len(args) > 1 else 7)
    elif cmd == "udp-rate":
        udp_rate(host, float(args[0]), int(args[1]) if len(args) > 1 else 7)
    elif cmd == "tcp-echo":
        tcp_echo(host, int(args[0]), int(args[1]) if len(args) > 1 else 7)
    elif cmd == "conns":
        conns(host, int(args[0]), int(args[1]) if len(args) > 1 else 7)
    elif cmd == "http-get":
        http_get(host, args[0], int(args[1]) if len(args) > 1 else 80)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
