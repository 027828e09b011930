#!/usr/bin/env python3
"""Lists the DHCP messages of a pcap (Ethernet, IPv4, UDP 67/68), one per
line: TYPE CHADDR YIADDR. With --dump DIR, also writes each DHCP payload
to DIR (fuzz corpus seeds)."""
import os
import socket
import struct
import sys

TYPES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK", 6: "NAK", 7: "RELEASE", 8: "INFORM"}


def payloads(path):
    data = open(path, "rb").read()
    endian = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    pos = 24
    while pos + 16 <= len(data):
        incl = struct.unpack(endian + "IIII", data[pos:pos + 16])[2]
        frame = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        if len(frame) < 42 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
            continue
        ihl = (frame[14] & 15) * 4
        udp = frame[14 + ihl:]
        sport, dport = struct.unpack("!HH", udp[:4])
        if {sport, dport} & {67, 68}:
            yield udp[8:]


def describe(p):
    kind = "BOOTP"
    i = 240
    while p[236:240] == b"\x63\x82\x53\x63" and i + 1 < len(p) and p[i] != 255:
        if p[i] == 0:
            i += 1
            continue
        if p[i] == 53:
            kind = TYPES.get(p[i + 2], "?")
        i += 2 + p[i + 1]
    return "%s %s %s" % (kind, p[28:34].hex(":"), socket.inet_ntoa(p[16:20]))


def main():
    dump = sys.argv[sys.argv.index("--dump") + 1] if "--dump" in sys.argv else None
    for n, p in enumerate(payloads(sys.argv[1])):
        if len(p) < 240:
            continue
        print(describe(p))
        if dump:
            name = os.path.splitext(os.path.basename(sys.argv[1]))[0]
            open(os.path.join(dump, "%s-%02d" % (name, n)), "wb").write(p)


if __name__ == "__main__":
    main()
