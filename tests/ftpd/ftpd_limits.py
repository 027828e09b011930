"""Limits of pxe-ftpd: idle_session_timeout, accept_timeout, max_per_ip
(server started with 2, 2 and 3). argv: server address."""
import socket
import sys
import time

HOST = sys.argv[1]


def check(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)


def connect():
    s = socket.create_connection((HOST, 21), timeout=30)
    return s, s.makefile("rb")


def reply(f):
    return f.readline().decode().rstrip("\r\n")


def login(s, f):
    s.sendall(b"USER anonymous\r\nPASS x@\r\n")
    check(reply(f).startswith("331") and reply(f).startswith("230"), "login")


# idle: a silent session is told "421 Timeout." and closed
s, f = connect()
check(reply(f).startswith("220"), "banner")
login(s, f)
check(reply(f) == "421 Timeout.", "idle timeout reply")
check(f.readline() == b"", "closed after idle timeout")
s.close()

# accept_timeout: PASV, RETR, and never connect: 425, session goes on
s, f = connect()
reply(f)
login(s, f)
s.sendall(b"PASV\r\n")
check(reply(f).startswith("227"), "PASV")
s.sendall(b"RETR pub/file\r\n")
check(reply(f).startswith("425"), "accept timeout gives 425")
s.sendall(b"NOOP\r\nQUIT\r\n")
check(reply(f).startswith("200"), "session alive after 425")
check(reply(f).startswith("221") and f.readline() == b"", "QUIT")
s.close()

# max_per_ip=3: a fourth concurrent session from this address is refused
held = [connect() for _ in range(3)]
for _, hf in held:
    check(reply(hf).startswith("220"), "sessions under the limit")
s, f = connect()
line = reply(f)
check(line == "421 There are too many connections from your internet address.", "4th: " + line)
s.close()
held[0][0].close()
# the freed slot is usable once the server has seen the close
for attempt in range(50):
    s, f = connect()
    line = reply(f)
    s.close()
    if line.startswith("220"):
        break
    time.sleep(0.1)
check(line.startswith("220"), "slot freed: " + line)
print("ok")
