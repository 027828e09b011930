#!/usr/bin/env python3
"""A small TFTP read client for the bench: blksize, windowsize (RFC 7440),
a Sorcerer's Apprentice probe, and a time cap.

    tftpc.py HOST PORT FILE [--blksize N] [--windowsize N] [--sha HEX]
             [--dup-acks] [--cap SECS] [--timeout SECS]

Prints one line of key=value: bytes, secs, data (DATA packets received),
dups (duplicate DATA), oack (options the server acknowledged), ok (the bytes
matched --sha; "nosha" without it), done (0 when the cap stopped it),
timeouts (times this client's own timer fired), reacks (ACKs sent for a gap
or a duplicate).
--dup-acks sends every ACK twice, as a client that duplicates ACKs; a server
with the Sorcerer's Apprentice bug then answers each copy, so every block
after the first arrives twice, and dups counts the extra copies.

Receiving, as RFC 1350/7440 ask: ACK at the end of each window and on the
last block; on a gap (a block beyond the next one expected) or a duplicate
(the server timed out and resent), ACK the last block received in order at
once, so the server resends from there without waiting; once per episode,
until the next block in order arrives, so a resent window is not answered
16 times. The client's own timer (--timeout, 1 s, the same for every
server) ACKs that block again only when nothing arrives at all. In the
--dup-acks probe duplicates are not answered: that keeps a vulnerable
server's echo linear instead of letting it run away.
"""
import argparse
import hashlib
import socket
import struct
import time

RRQ, DATA, ACK, ERROR, OACK = 1, 3, 4, 5, 6
LINGER = 1.5  # seconds to keep counting stray DATA after the last block


def request(name, options):
    body = name.encode() + b"\0octet\0"
    for key, value in options.items():
        body += key.encode() + b"\0" + str(value).encode() + b"\0"
    return struct.pack("!H", RRQ) + body


def parse_oack(payload):
    fields = payload.split(b"\0")
    return {fields[i].decode().lower(): fields[i + 1].decode()
            for i in range(0, len(fields) - 1, 2)}


class Transfer:
    def __init__(self, args):
        self.args = args
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.settimeout(args.timeout)
        self.server = (args.host, args.port)
        self.tid = None
        self.blksize, self.window = 512, 1
        self.expected, self.in_window = 1, 0
        self.received = self.packets = self.dups = 0
        self.oack = {}
        self.sha = hashlib.sha256()
        self.finished = False
        self.stopped = False
        self.reacked = False   # a gap or duplicate was answered, none in order since
        self.timeouts = self.reacks = 0

    def send_ack(self, block):
        ack = struct.pack("!HH", ACK, block & 0xFFFF)
        for _ in range(2 if self.args.dup_acks else 1):
            self.sock.sendto(ack, self.tid)

    def on_oack(self, payload):
        self.oack = parse_oack(payload)
        self.blksize = int(self.oack.get("blksize", 512))
        self.window = int(self.oack.get("windowsize", 1))
        if self.args.windowsize > 1 and "windowsize" not in self.oack:
            # Not windowed: end here (RFC 2347 error 8) rather than time a
            # lock-step transfer as if it were one.
            self.sock.sendto(struct.pack("!HH", ERROR, 8) + b"windowsize\0", self.tid)
            self.stopped = True
            return
        self.send_ack(0)

    def on_data(self, block, payload):
        self.packets += 1
        if block == self.expected & 0xFFFF:
            self.reacked = False
            self.sha.update(payload)
            self.received += len(payload)
            self.in_window += 1
            last = len(payload) < self.blksize
            if last or self.in_window >= self.window:
                self.send_ack(self.expected)
                self.in_window = 0
            self.expected += 1
            self.finished = last
        elif 0 < (self.expected - block) & 0xFFFF <= 2 * self.window:
            self.dups += 1
            if not self.args.dup_acks:
                self.reack()
        else:
            self.reack()

    def reack(self):
        """ACK the last block in order, once until the next one arrives."""
        if self.reacked:
            return
        self.send_ack(self.expected - 1)
        self.in_window = 0
        self.reacked = True
        self.reacks += 1

    def run(self):
        opts = {}
        if self.args.blksize:
            opts["blksize"] = self.args.blksize
        if self.args.windowsize:
            opts["windowsize"] = self.args.windowsize
        rrq = request(self.args.file, opts)
        self.sock.sendto(rrq, self.server)
        start = time.monotonic()
        deadline = start + self.args.cap
        tries = 0
        while not (self.finished or self.stopped) and time.monotonic() < deadline:
            try:
                packet, addr = self.sock.recvfrom(65536)
            except socket.timeout:
                tries += 1
                self.timeouts += 1
                if tries > 20:
                    break
                if self.tid is None:
                    self.sock.sendto(rrq, self.server)
                else:  # RFC 7440: the last block in order, not the last ACK
                    self.send_ack(self.expected - 1)
                    self.in_window = 0
                continue
            tries = 0
            self.dispatch(packet, addr)
        secs = time.monotonic() - start
        if self.finished and self.args.dup_acks:
            self.linger()
        return secs

    def dispatch(self, packet, addr):
        if self.tid is None:
            self.tid = addr
        elif addr != self.tid or len(packet) < 4:
            return
        opcode, = struct.unpack("!H", packet[:2])
        if opcode == OACK:
            self.on_oack(packet[2:])
        elif opcode == DATA:
            self.on_data(struct.unpack("!H", packet[2:4])[0], packet[4:])
        elif opcode == ERROR:
            raise SystemExit("error=%r" % packet[4:].rstrip(b"\0").decode(errors="replace"))

    def linger(self):
        end = time.monotonic() + LINGER
        self.sock.settimeout(0.1)
        while time.monotonic() < end:
            try:
                packet, addr = self.sock.recvfrom(65536)
            except socket.timeout:
                continue
            if addr == self.tid and packet[:2] == struct.pack("!H", DATA):
                self.dups += 1
                self.packets += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("file")
    ap.add_argument("--blksize", type=int, default=0)
    ap.add_argument("--windowsize", type=int, default=0)
    ap.add_argument("--sha", default="")
    ap.add_argument("--dup-acks", action="store_true")
    ap.add_argument("--cap", type=float, default=120)
    ap.add_argument("--timeout", type=float, default=1.0)
    args = ap.parse_args()
    xfer = Transfer(args)
    secs = xfer.run()
    ok = "nosha" if not args.sha else str(int(xfer.sha.hexdigest() == args.sha))
    oack = ",".join("%s:%s" % kv for kv in sorted(xfer.oack.items())) or "-"
    print("bytes=%d secs=%.4f data=%d dups=%d oack=%s ok=%s done=%d timeouts=%d reacks=%d" % (
        xfer.received, secs, xfer.packets, xfer.dups, oack, ok, int(xfer.finished),
        xfer.timeouts, xfer.reacks))


if __name__ == "__main__":
    main()
