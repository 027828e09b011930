#!/usr/bin/env python3
"""A lossy, slow UDP path for TFTP tests (this kernel has no netem).

relay.py LISTEN_ADDR LISTEN_PORT SERVER_ADDR SERVER_PORT LOSS DELAY_MS SEED [DROPS [SPARED]]

A client's request to LISTEN gets its own pair of sockets: one towards the
server (which sees the relay as the client) and one towards the client
(whose port the client takes as the server's transfer port). Every datagram
either way is dropped with probability LOSS or delivered DELAY_MS later.
DROPS ("3:1,4:0": DATA 1, ACK 0) drops the first datagram of each of those
opcodes and blocks, whichever way it goes, to replay a known loss exactly;
SPARED (same form) are never lost at random.
RELAY_HOLD=N (environment) holds each transfer after DATA block N: later
DATA from the server is dropped while the file "go" is missing from the
working directory, and the first one held of each client adds its port as
a line to the file "held" (a test changes the served file meanwhile).
Runs until killed; prints counts on SIGTERM.
"""
import heapq
import os
import random
import select
import signal
import socket
import struct
import sys
import time


def heads(args):
    """The opcode:block list in args[0], if any, as the datagrams' first 4 bytes."""
    specs = [spec for spec in args[0].split(",") if spec] if args else []
    return {struct.pack("!HH", *map(int, spec.split(":"))) for spec in specs}


def holding(hold, held, data, client):
    """Whether RELAY_HOLD keeps this datagram from the server to client."""
    if not hold or len(data) < 4 or os.path.exists("go"):
        return False
    op, block = struct.unpack("!HH", data[:4])
    if op != 3 or block <= hold:
        return False
    if client not in held:
        held.add(client)
        with open("held", "a") as f:
            f.write("%d\n" % client[1])
    return True


def main():
    laddr, lport, saddr, sport = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    loss, delay, rng = float(sys.argv[5]), float(sys.argv[6]) / 1000, random.Random(int(sys.argv[7]))
    drops, spared = heads(sys.argv[8:9]), heads(sys.argv[9:10])
    hold, held = int(os.environ.get("RELAY_HOLD", "0")), set()
    listen = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listen.bind((laddr, lport))
    sessions = {}       # client addr -> (to_server, to_client, [server tid])
    owner = {}          # socket -> (session key, direction)
    queue = []          # (due, seq, socket, data, dest)
    stats = {"forwarded": 0, "dropped": 0}
    seq = 0

    def stop(*_):
        print("relay forwarded=%(forwarded)d dropped=%(dropped)d" % stats, flush=True)
        sys.exit(0)
    signal.signal(signal.SIGTERM, stop)

    def later(sock, data, dest):
        nonlocal seq
        if data[:4] in drops:
            drops.discard(data[:4])
            stats["dropped"] += 1
            return
        if rng.random() < loss and data[:4] not in spared:
            stats["dropped"] += 1
            return
        seq += 1
        heapq.heappush(queue, (time.monotonic() + delay, seq, sock, data, dest))

    while True:
        timeout = max(0, queue[0][0] - time.monotonic()) if queue else 1
        ready, _, _ = select.select([listen] + list(owner), [], [], timeout)
        for s in ready:
            data, src = s.recvfrom(70000)
            if s is listen:
                if src not in sessions:
                    up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    up.bind((laddr, 0))
                    down = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    down.bind((laddr, 0))
                    sessions[src] = (up, down, [None])
                    owner[up] = (src, "up")
                    owner[down] = (src, "down")
                later(sessions[src][0], data, (saddr, sport))
                continue
            key, direction = owner[s]
            up, down, tid = sessions[key]
            if direction == "up":          # from the server
                tid[0] = src
                if not holding(hold, held, data, key):
                    later(down, data, key)
            elif tid[0]:                   # from the client, to the server's TID
                later(up, data, tid[0])
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, sock, data, dest = heapq.heappop(queue)
            sock.sendto(data, dest)
            stats["forwarded"] += 1


if __name__ == "__main__":
    main()
