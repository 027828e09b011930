"""A bare control-connection client for the pxe-ftpd limit tests."""
import socket
import sys
import time


def check(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)


def connect(host):
    s = socket.create_connection((host, 21), timeout=30)
    return s, s.makefile("rb")


def reply(f):
    return f.readline().decode().rstrip("\r\n")


def final_reply(f):
    """The reply after any 1xx preliminary ones."""
    line = reply(f)
    while line[:1] == "1":
        line = reply(f)
    return line


def login(s, f):
    s.sendall(b"USER anonymous\r\nPASS x@\r\n")
    check(reply(f).startswith("331") and reply(f).startswith("230"), "login")


def limit_refuses(host, limit, refusal):
    """Opens limit sessions (greeted), checks that one more gets refusal
    and is closed; returns the held (socket, file) pairs."""
    held = [connect(host) for _ in range(limit)]
    for _, f in held:
        check(reply(f).startswith("220"), "sessions under the limit")
    s, f = connect(host)
    line = reply(f)
    check(line == refusal, "session %d: %s" % (limit + 1, line))
    check(f.readline() == b"", "refused session closed")
    s.close()
    return held


def close_session(held):
    s, f = held
    f.close()   # the socket closes with its last file
    s.close()


def greeted_after_close(host):
    """The greeting of a new session once the server has seen a close."""
    for _ in range(50):
        s, f = connect(host)
        line = reply(f)
        s.close()
        if line.startswith("220"):
            return line
        time.sleep(0.1)
    return line
