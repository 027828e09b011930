#!/usr/bin/env python3
"""Append every boot-timeline event datagram to a file, one line each,
prefixed with its arrival time as journalctl's short-unix format does.

The daemons send their key=value events to the abstract Unix datagram
socket @pxesuite/events of their network namespace (common/event.h); this
stands in for pxe-status when only a record is wanted.

    event-sink.py FILE [SECONDS]   # exits after SECONDS (default 3600)
"""
import socket
import sys
import time


def main():
    path = sys.argv[1]
    deadline = time.monotonic() + (float(sys.argv[2]) if len(sys.argv) > 2 else 3600)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0pxesuite/events")
    with open(path, "ab", buffering=0) as out:
        while time.monotonic() < deadline:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                line = sock.recv(4096)
            except socket.timeout:
                break
            stamp = b"%.6f " % time.time()
            out.write(stamp + line.rstrip(b"\n") + b"\n")


if __name__ == "__main__":
    main()
