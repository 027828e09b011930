#!/usr/bin/env python3
"""FTP load shapes for bench/ftp.sh (stdlib only).

    ftpload.py logins PORT N             N anonymous logins in a row
    ftpload.py idle PORT N READY SECS    open N logged-in sessions, touch READY,
                                         hold them SECS seconds (or until killed)
    ftpload.py burst PORT N              N connections opened at once
    ftpload.py curlseq PORT DIR LIST     one session fetching every file named
                                         in LIST (one a line) from DIR with
                                         the commands curl sends: PWD, CWD,
                                         then EPSV, TYPE I, SIZE, RETR each

curl itself (7.88) stalls 1 s before the second data connection of a
session, so its command sequence is replayed here instead.
Each prints one line of key=value. burst counts the connections that got
their 220 greeting and the kernel's listen-queue drops in this namespace
(TcpExt ListenOverflows/ListenDrops from /proc/net/netstat) during the burst.
"""
import ftplib
import socket
import sys
import time

HOST = "127.0.0.1"


def login(port):
    ftp = ftplib.FTP()
    ftp.connect(HOST, port, timeout=60)
    ftp.login("anonymous", "bench@")
    return ftp


def logins(port, count):
    ok = 0
    for _ in range(count):
        try:
            ftp = login(port)
            ftp.quit()
            ok += 1
        except (OSError, ftplib.Error):
            pass
    print("logins=%d of=%d" % (ok, count))


def idle(port, count, ready, secs):
    held, failed = [], 0
    for _ in range(count):
        try:
            held.append(login(port))
        except (OSError, ftplib.Error):
            failed += 1
    with open(ready, "w") as note:
        note.write("open=%d failed=%d\n" % (len(held), failed))
    time.sleep(secs)


def curlseq(port, directory, names):
    ftp = login(port)
    ftp.sendcmd("PWD")
    ftp.sendcmd("CWD " + directory)
    got = 0
    for name in names:
        reply = ftp.sendcmd("EPSV")
        data_port = int(reply.split("(")[1].split("|")[3])
        data = socket.create_connection((HOST, data_port), timeout=60)
        ftp.sendcmd("TYPE I")
        size = int(ftp.sendcmd("SIZE " + name).split()[1])
        ftp.sendcmd("RETR " + name)   # 150
        while True:
            chunk = data.recv(65536)
            if not chunk:
                break
            size -= len(chunk)
        data.close()
        got += size == 0 and ftp.voidresp().startswith("226")
    ftp.quit()
    print("files=%d of=%d" % (got, len(names)))
    if got != len(names):
        sys.exit(1)


def listen_drops():
    with open("/proc/net/netstat") as stats:
        lines = stats.read().splitlines()
    for names, values in zip(lines[::2], lines[1::2]):
        if names.startswith("TcpExt:"):
            table = dict(zip(names.split()[1:], map(int, values.split()[1:])))
            return table.get("ListenOverflows", 0) + table.get("ListenDrops", 0)
    return 0


def burst(port, count):
    before = listen_drops()
    socks = []
    for _ in range(count):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex((HOST, port))
        socks.append(sock)
    greeted = 0
    deadline = time.monotonic() + 60
    for sock in socks:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            greeted += sock.recv(512).startswith(b"220")
        except OSError:
            pass
    drops = listen_drops() - before
    for sock in socks:
        sock.close()
    print("greeted=%d of=%d listen_drops=%d" % (greeted, count, drops))


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    count = int(sys.argv[3]) if mode != "curlseq" else 0
    if mode == "logins":
        logins(port, count)
    elif mode == "idle":
        idle(port, count, sys.argv[4], float(sys.argv[5]))
    elif mode == "burst":
        burst(port, count)
    elif mode == "curlseq":
        with open(sys.argv[4]) as listing:
            curlseq(port, sys.argv[3], listing.read().split())
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main()
