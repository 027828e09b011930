#!/usr/bin/env python3
"""A small TFTP client for option edge cases (RFC 1350/2347/2348/2349/7440).

Prints what the server did as key=value lines for the shell tests:
  oack=<name=value,...|none>  error=<code|none>  errmsg=<text>  bytes=N  dup_data=N  tid_ok=1
With --wrq it only sends a write request and reports the answer (an ACK or
OACK is then answered with ERROR 0, writing nothing).
Exit status 0 when the exchange ended as the flags asked, 1 otherwise.
"""
import argparse
import socket
import struct
import sys

RRQ, WRQ, DATA, ACK, ERROR, OACK = 1, 2, 3, 4, 5, 6
SO_RCVBUFFORCE = 33   # Linux; not exported by Python's socket module


def request(op, name, mode, opts, pad):
    pkt = struct.pack("!H", op) + name + b"\0" + mode.encode() + b"\0"
    for k, v in opts:
        pkt += k.encode() + b"\0" + v.encode() + b"\0"
    return pkt + pad


def parse_oack(body):
    parts = body.split(b"\0")[:-1]
    return [(parts[i].decode(), parts[i + 1].decode()) for i in range(0, len(parts) - 1, 2)]


class Session:
    def __init__(self, args):
        fam = socket.AF_INET6 if ":" in args.server else socket.AF_INET
        self.sock = socket.socket(fam, socket.SOCK_DGRAM)
        try:    # a whole 64 x 65464 window must fit: force it as root
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
        self.sock.settimeout(args.timeout)
        self.server = (args.server, args.port)
        self.args = args
        self.tid = None
        self.tid_ok = True

    def recv(self):
        while True:
            data, addr = self.sock.recvfrom(70000)
            if addr[0] != self.server[0]:
                continue
            if self.tid is None:
                self.tid = addr
            elif addr != self.tid:
                self.tid_ok = False
                continue
            return data

    def send(self, pkt):
        self.sock.sendto(pkt, self.tid or self.server)

    def ack(self, block):
        for _ in range(self.args.ack_copies):
            self.send(struct.pack("!HH", ACK, block & 0xFFFF))


def error_of(pkt, out):
    out["error"] = str(struct.unpack("!H", pkt[2:4])[0])
    out["errmsg"] = pkt[4:].split(b"\0")[0].decode("latin-1")


def probe_write(s, name, opts, out):
    """The answer to a WRQ: an ERROR, or an ACK/OACK (then aborted)."""
    s.sock.sendto(request(WRQ, name, s.args.mode, opts, b""), s.server)
    try:
        pkt = s.recv()
    except socket.timeout:
        out["error"] = "timeout"
        return out
    op = struct.unpack("!H", pkt[:2])[0]
    if op == ERROR:
        error_of(pkt, out)
    else:
        out["oack"] = "ack" if op == ACK else "oack"
        s.send(struct.pack("!HH", ERROR, 0) + b"probe only\0")
    return out


def probe_stranger(s, out):
    """RFC 1350: a packet to the transfer's port from another port gets
    ERROR 5 there; the transfer itself goes on."""
    other = socket.socket(s.sock.family, socket.SOCK_DGRAM)
    other.settimeout(s.args.timeout)
    other.sendto(struct.pack("!HH", ACK, 1), s.tid)
    try:
        pkt, addr = other.recvfrom(70000)
        op, code = struct.unpack("!HH", pkt[:4])
        out["stranger_error"] = str(code) if op == ERROR and addr == s.tid else "op%d" % op
    except socket.timeout:
        out["stranger_error"] = "none"
    other.close()


def run(args):
    s = Session(args)
    opts = [tuple(o.split("=", 1)) for o in args.opt]
    name = bytes.fromhex(args.file[4:]) if args.file.startswith("hex:") else args.file.encode("latin-1")
    out = {"oack": "none", "error": "none", "bytes": 0, "dup_data": 0}
    if args.wrq:
        return report(probe_write(s, name, opts, out))
    s.sock.sendto(request(RRQ, name, args.mode, opts, bytes.fromhex(args.pad)), s.server)
    blksize, window = 512, 1
    data = bytearray()
    expect, in_window, retries = 1, 0, 0
    first = True
    while True:
        try:
            pkt = s.recv()
            retries = 0
        except socket.timeout:
            retries += 1
            if retries > args.retries:
                out["error"] = "timeout"
                break
            s.ack(expect - 1) if not first else s.sock.sendto(
                request(RRQ, name, args.mode, opts, b""), s.server)
            continue
        op = struct.unpack("!H", pkt[:2])[0]
        if op == ERROR:
            error_of(pkt, out)
            break
        if op == OACK and not first and expect == 1:
            s.ack(0)                # our ACK of the OACK was lost
            continue
        if op == OACK and first:
            first = False
            got = parse_oack(pkt[2:])
            out["oack"] = ",".join("%s=%s" % kv for kv in got) or "empty"
            for k, v in got:
                if k.lower() in ("blksize", "blksize2"):
                    blksize = int(v)
                if k.lower() == "windowsize":
                    window = int(v)
            if args.abort_after_oack:
                s.send(struct.pack("!HH", ERROR, 8) + b"options refused\0")
                break
            s.ack(0)
            continue
        if op != DATA:
            continue
        first = False
        block = struct.unpack("!H", pkt[2:4])[0]
        payload = pkt[4:]
        if args.stranger and "stranger_error" not in out:
            probe_stranger(s, out)
        if block != (expect & 0xFFFF):
            if ((expect - 1 - block) & 0xFFFF) < 0x8000:
                out["dup_data"] += 1
            s.ack(expect - 1)       # gap or duplicate: restart the window
            in_window = 0
            continue
        data += payload
        expect += 1
        in_window += 1
        last = len(payload) < blksize
        if last or in_window >= window:
            in_window = 0
            s.ack(expect - 1)
        if last:
            break
    out["bytes"] = len(data)
    out["tid_ok"] = int(s.tid_ok)
    out["tid"] = s.tid[1] if s.tid else 0
    if args.output and out["error"] == "none" and not args.abort_after_oack:
        with open(args.output, "wb") as f:
            f.write(data)
    if args.linger:    # count DATA the server sends after the end
        s.sock.settimeout(args.linger)
        try:
            while True:
                if struct.unpack("!H", s.recv()[:2])[0] == DATA:
                    out["dup_data"] += 1
        except socket.timeout:
            pass
    return report(out)


def report(out):
    for k, v in out.items():
        print("%s=%s" % (k, v))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("server")
    p.add_argument("file", help="the name, or hex:6162... for raw bytes")
    p.add_argument("output", nargs="?")
    p.add_argument("--port", type=int, default=69)
    p.add_argument("--mode", default="octet")
    p.add_argument("--opt", action="append", default=[], help="name=value")
    p.add_argument("--pad", default="", help="hex bytes appended to the request")
    p.add_argument("--abort-after-oack", action="store_true", help="answer the OACK with ERROR 8")
    p.add_argument("--ack-copies", type=int, default=1, help="send every ACK N times")
    p.add_argument("--stranger", action="store_true",
                   help="after the first DATA, send an ACK to the transfer port from another port")
    p.add_argument("--wrq", action="store_true", help="send a write request; report the answer")
    p.add_argument("--linger", type=float, default=0, help="seconds to count late DATA")
    p.add_argument("--timeout", type=float, default=2)
    p.add_argument("--retries", type=int, default=10)
    args = p.parse_args()
    out = run(args)
    sys.exit(0 if out["error"] == "none" else 1)


if __name__ == "__main__":
    main()
