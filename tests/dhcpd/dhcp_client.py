#!/usr/bin/env python3
"""A scriptable DHCP/BOOTP test client for dhcpd tests (run in a netns).

Sends requests with the broadcast flag set from UDP port 68 and prints
each reply as one JSON line, so a shell test can assert on fields:

  dhcp_client.py IFACE MAC dora            DISCOVER + REQUEST (SELECTING)
  dhcp_client.py IFACE MAC discover
  dhcp_client.py IFACE MAC reboot ADDR     REQUEST in INIT-REBOOT (option 50, no server id)
  dhcp_client.py IFACE MAC release ADDR SERVER
  dhcp_client.py IFACE MAC bootp           a BOOTP request (cookie, no option 53)
  dhcp_client.py IFACE MAC offers          DISCOVER, then every reply for 3 s (proxyDHCP)
  dhcp_client.py IFACE MAC select ADDR SERVER   REQUEST (SELECTING) for ADDR from SERVER
  dhcp_client.py IFACE MAC boot-request ADDR SERVER   REQUEST from ADDR port 4011 to SERVER
                                 port 4011, answered on ADDR port 4011 (UEFI firmware listens only there)

Replies carry "from": the address and port they came from.

Options before IFACE: --arch N (option 93), --vendor TEXT (60),
--user-class TEXT (77, sent bare as iPXE does).
"""
import json
import random
import socket
import struct
import sys
import time

COOKIE = b"\x63\x82\x53\x63"
NAMES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK", 6: "NAK", 7: "RELEASE", 8: "INFORM"}


EXTRA = []


def build(mac, xid, msg_type=None, opts=(), ciaddr="0.0.0.0"):
    hdr = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, 0x8000,
                      socket.inet_aton(ciaddr), bytes(4), bytes(4), bytes(4),
                      mac + bytes(10), bytes(64), bytes(128))
    body = COOKIE
    if msg_type:
        body += bytes([53, 1, msg_type])
    for code, val in list(opts) + EXTRA:
        body += bytes([code, len(val)]) + val
    pkt = hdr + body + b"\xff"
    return pkt + bytes(max(0, 300 - len(pkt)))


def parse(data):
    (op, _, _, _, xid, _, flags, ci, yi, si, gi, ch, sname, file) = struct.unpack(
        "!BBBBIHH4s4s4s4s16s64s128s", data[:236])
    out = {"op": op, "xid": xid, "len": len(data), "yiaddr": socket.inet_ntoa(yi),
           "siaddr": socket.inet_ntoa(si), "file": file.split(b"\0")[0].decode("latin-1"),
           "sname": sname.split(b"\0")[0].decode("latin-1"), "type": "BOOTREPLY", "options": {}}
    i = 240 if data[236:240] == COOKIE else len(data)
    while i < len(data) and data[i] != 255:
        if data[i] == 0:
            i += 1
            continue
        code, n = data[i], data[i + 1]
        val = data[i + 2:i + 2 + n]
        i += 2 + n
        if code == 53:
            out["type"] = NAMES.get(val[0], str(val[0]))
        elif code == 60:
            out["options"]["60"] = val.decode("latin-1")
        elif n % 4 == 0 and code in (1, 3, 6, 28, 54):
            out["options"][str(code)] = ",".join(socket.inet_ntoa(val[j:j + 4]) for j in range(0, n, 4))
        elif code in (51,):
            out["options"][str(code)] = struct.unpack("!I", val)[0]
        else:
            out["options"][str(code)] = val.hex()
    return out


class Client:
    def __init__(self, iface, mac, bind=("0.0.0.0", 68)):
        self.mac = bytes.fromhex(mac.replace(":", ""))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
        self.sock.bind(bind)
        self.sock.settimeout(3)

    def collect(self, pkt, seconds=3):
        """Sends once; every reply to this xid until the time is up."""
        xid = struct.unpack("!I", pkt[4:8])[0]
        self.sock.sendto(pkt, ("255.255.255.255", 67))
        replies = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                break
            reply = parse(data)
            reply["from"] = "%s:%d" % peer
            if reply["xid"] == xid and data[28:34] == self.mac:
                replies.append(reply)
        return replies

    def exchange(self, pkt, want_reply=True, to="255.255.255.255", port=67):
        xid = struct.unpack("!I", pkt[4:8])[0]
        for _ in range(3):
            self.sock.sendto(pkt, (to, port))
            if not want_reply:
                return None
            try:
                while True:
                    data, peer = self.sock.recvfrom(4096)
                    reply = parse(data)
                    reply["from"] = "%s:%d" % peer
                    if reply["xid"] == xid and data[28:34] == self.mac:
                        return reply
            except socket.timeout:
                continue
        return {"type": "TIMEOUT"}


def ip(s):
    return socket.inet_aton(s)


def pxe_options(argv):
    """Strips --arch/--vendor/--user-class from argv; returns their options."""
    opts = []
    codes = {"--arch": 93, "--vendor": 60, "--user-class": 77}
    while argv and argv[0] in codes:
        flag, val = argv.pop(0), argv.pop(0)
        opts.append((codes[flag], struct.pack("!H", int(val)) if flag == "--arch" else val.encode()))
    return opts


def main():
    argv = sys.argv[1:]
    extra = pxe_options(argv)
    iface, mac, action = argv[:3]
    args = argv[3:]
    EXTRA.extend(extra)
    c = Client(iface, mac, (args[0], 4011) if action == "boot-request" else ("0.0.0.0", 68))
    xid = random.getrandbits(32)
    if action in ("discover", "dora"):
        offer = c.exchange(build(c.mac, xid, 1))
        print(json.dumps(offer))
        if action == "dora" and offer["type"] == "OFFER":
            req = build(c.mac, xid, 3, [(50, ip(offer["yiaddr"])), (54, ip(offer["options"]["54"]))])
            print(json.dumps(c.exchange(req)))
    elif action == "reboot":
        print(json.dumps(c.exchange(build(c.mac, xid, 3, [(50, ip(args[0]))]))))
    elif action == "release":
        c.exchange(build(c.mac, xid, 7, [(54, ip(args[1]))], ciaddr=args[0]), want_reply=False)
        print(json.dumps({"type": "RELEASED"}))
    elif action == "offers":
        for reply in c.collect(build(c.mac, xid, 1)):
            print(json.dumps(reply))
    elif action == "select":
        print(json.dumps(c.exchange(build(c.mac, xid, 3, [(50, ip(args[0])), (54, ip(args[1]))]))))
    elif action == "boot-request":
        req = build(c.mac, xid, 3, [], ciaddr=args[0])
        print(json.dumps(c.exchange(req, to=args[1], port=4011)))
    elif action == "bootp":
        print(json.dumps(c.exchange(build(c.mac, xid))))
    else:
        sys.exit("unknown action " + action)


if __name__ == "__main__":
    main()
