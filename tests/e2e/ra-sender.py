#!/usr/bin/env python3
"""Send IPv6 router advertisements on one interface, once a second.

iPXE waits about 16 s for an IPv6 router before it goes on to TFTP; an RA
with no prefix and no M/O flags ends that wait at once. The router
lifetime is 0, so no client takes this namespace as a default router.

    ra-sender.py IFACE [COUNT]     # COUNT adverts (default 3600), then exit
"""
import socket
import struct
import sys
import time


def mac_of(iface):
    with open(f"/sys/class/net/{iface}/address") as f:
        return bytes.fromhex(f.read().strip().replace(":", ""))


def advert(mac):
    # type 134, code 0, checksum (kernel fills it), hop limit 64, flags 0,
    # router lifetime 0, reachable 0, retransmit 0; then a source
    # link-layer address option (type 1, 8 octets).
    return struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 0, 0, 0) + \
        struct.pack("!BB", 1, 1) + mac


def main():
    iface = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3600
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    index = socket.if_nametoindex(iface)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
    packet = advert(mac_of(iface))
    for _ in range(count):
        try:
            sock.sendto(packet, ("ff02::1", 0, 0, index))
        except OSError:
            pass  # no link-local address until a port is up and DAD is done
        time.sleep(1)


if __name__ == "__main__":
    main()
