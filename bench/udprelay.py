#!/usr/bin/env python3
"""A user-space UDP path impairer for TFTP (this kernel has no netem).

    udprelay.py LISTEN_PORT SERVER_PORT [--delay-ms D] [--loss PCT] [--seed S]

Clients send their request to 127.0.0.1:LISTEN_PORT; the relay forwards it
to the server from a socket of its own per client. Each server transfer port
(TID) the server answers from gets a front socket of its own, so the client
sees a distinct TID just as it would from the server. Every packet, both
directions, is delayed D ms (so the round trip grows by 2*D) and dropped
with probability PCT %. Runs until killed.

The drops are the same for every server: whether a packet is dropped is a
hash of (seed, direction, opcode, block number, how many times this client's
transfer has carried that packet before), not a draw from a shared random
stream. So DATA block 812 of a transfer is lost the first time for every
server, its retransmission is decided afresh (also alike for all), and
neither the order packets arrive in nor an earlier transfer through the same
relay changes the pattern. Each client (source address) counts on its own.
"""
import argparse
import hashlib
import heapq
import selectors
import socket
import struct
import time

HOST = "127.0.0.1"
TO_SERVER, TO_CLIENT = 0, 1
BLOCK_OPCODES = (3, 4)  # DATA and ACK carry a block number


def udp(port=0):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind((HOST, port))
    sock.setblocking(False)
    return sock


def packet_key(data):
    """(opcode, block) of a TFTP packet; block 0 where it has none."""
    if len(data) < 2:
        return (-1, 0)
    opcode, = struct.unpack("!H", data[:2])
    block = 0
    if opcode in BLOCK_OPCODES and len(data) >= 4:
        block, = struct.unpack("!H", data[2:4])
    return (opcode, block)


class Dropper:
    """Seeded, order-independent drop decisions for one client's transfer."""

    def __init__(self, seed, loss):
        self.seed, self.limit = seed, loss / 100 * 2 ** 64
        self.seen = {}

    def drop(self, direction, data):
        key = (direction,) + packet_key(data)
        nth = self.seen.get(key, 0)
        self.seen[key] = nth + 1
        digest = hashlib.blake2b(repr((self.seed, key, nth)).encode(),
                                 digest_size=8).digest()
        return int.from_bytes(digest, "big") < self.limit


class Relay:
    def __init__(self, args):
        self.args = args
        self.sel = selectors.DefaultSelector()
        self.server = (HOST, args.server_port)
        self.front = udp(args.listen_port)
        self.upstream = {}     # client addr -> socket toward the server
        self.dropper = {}      # upstream fd -> Dropper of that client
        self.front_for = {}    # (upstream fd, server tid) -> front socket
        self.queue, self.seq = [], 0
        self.sel.register(self.front, selectors.EVENT_READ, self.from_client_first)

    def later(self, up, direction, sock, data, addr):
        if self.args.loss and self.dropper[up.fileno()].drop(direction, data):
            return
        self.seq += 1
        due = time.monotonic() + self.args.delay_ms / 1000
        heapq.heappush(self.queue, (due, self.seq, sock, data, addr))

    def upstream_of(self, client):
        sock = self.upstream.get(client)
        if sock is None:
            sock = udp()
            self.upstream[client] = sock
            self.dropper[sock.fileno()] = Dropper(self.args.seed, self.args.loss)
            self.sel.register(sock, selectors.EVENT_READ,
                              lambda s, c=client: self.from_server(s, c))
        return sock

    def from_client_first(self, sock):
        data, client = sock.recvfrom(65536)
        up = self.upstream_of(client)
        self.later(up, TO_SERVER, up, data, self.server)

    def from_server(self, up, client):
        data, tid = up.recvfrom(65536)
        key = (up.fileno(), tid)
        front = self.front_for.get(key)
        if front is None:
            front = udp()
            self.front_for[key] = front
            self.sel.register(front, selectors.EVENT_READ,
                              lambda s, u=up, t=tid: self.from_client(s, u, t))
        self.later(up, TO_CLIENT, front, data, client)

    def from_client(self, front, up, tid):
        data, _ = front.recvfrom(65536)
        self.later(up, TO_SERVER, up, data, tid)

    def flush(self):
        now = time.monotonic()
        while self.queue and self.queue[0][0] <= now:
            _, _, sock, data, addr = heapq.heappop(self.queue)
            try:
                sock.sendto(data, addr)
            except OSError:
                pass

    def run(self):
        while True:
            wait = 0.5
            if self.queue:
                wait = max(0.0, self.queue[0][0] - time.monotonic())
            for key, _ in self.sel.select(wait):
                try:
                    key.data(key.fileobj)
                except (BlockingIOError, ConnectionRefusedError):
                    pass
            self.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("listen_port", type=int)
    ap.add_argument("server_port", type=int)
    ap.add_argument("--delay-ms", type=float, default=0)
    ap.add_argument("--loss", type=float, default=0)
    ap.add_argument("--seed", type=int, default=1)
    Relay(ap.parse_args()).run()


if __name__ == "__main__":
    main()
