#!/usr/bin/env python3
"""A user-space UDP path impairer for TFTP (this kernel has no netem).

    udprelay.py LISTEN_PORT SERVER_PORT [--delay-ms D] [--loss PCT] [--seed S]

Clients send their request to 127.0.0.1:LISTEN_PORT; the relay forwards it
to the server from a socket of its own per client. Each server transfer port
(TID) the server answers from gets a front socket of its own, so the client
sees a distinct TID just as it would from the server. Every packet, both
directions, is delayed D ms (so the round trip grows by 2*D) and dropped
with probability PCT %. Runs until killed.
"""
import argparse
import heapq
import random
import selectors
import socket
import time

HOST = "127.0.0.1"


def udp(port=0):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind((HOST, port))
    sock.setblocking(False)
    return sock


class Relay:
    def __init__(self, args):
        self.args = args
        self.rand = random.Random(args.seed)
        self.sel = selectors.DefaultSelector()
        self.server = (HOST, args.server_port)
        self.front = udp(args.listen_port)
        self.upstream = {}     # client addr -> socket toward the server
        self.front_for = {}    # (upstream fd, server tid) -> front socket
        self.queue, self.seq = [], 0
        self.sel.register(self.front, selectors.EVENT_READ, self.from_client_first)

    def later(self, sock, data, addr):
        if self.rand.random() * 100 < self.args.loss:
            return
        self.seq += 1
        due = time.monotonic() + self.args.delay_ms / 1000
        heapq.heappush(self.queue, (due, self.seq, sock, data, addr))

    def upstream_of(self, client):
        sock = self.upstream.get(client)
        if sock is None:
            sock = udp()
            self.upstream[client] = sock
            self.sel.register(sock, selectors.EVENT_READ,
                              lambda s, c=client: self.from_server(s, c))
        return sock

    def from_client_first(self, sock):
        data, client = sock.recvfrom(65536)
        self.later(self.upstream_of(client), data, self.server)

    def from_server(self, up, client):
        data, tid = up.recvfrom(65536)
        key = (up.fileno(), tid)
        front = self.front_for.get(key)
        if front is None:
            front = udp()
            self.front_for[key] = front
            self.sel.register(front, selectors.EVENT_READ,
                              lambda s, u=up, t=tid: self.from_client(s, u, t))
        self.later(front, data, client)

    def from_client(self, front, up, tid):
        data, _ = front.recvfrom(65536)
        self.later(up, data, tid)

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
