"""Limits of pxe-ftpd: idle_session_timeout, accept_timeout, max_per_ip
(server started with 2, 2 and 3). argv: server address."""
import sys

from ftpd_client import (check, close_session, connect, greeted_after_close, limit_refuses,
                         login, reply)

HOST = sys.argv[1]


# idle: a silent session is told "421 Timeout." and closed
s, f = connect(HOST)
check(reply(f).startswith("220"), "banner")
login(s, f)
check(reply(f) == "421 Timeout.", "idle timeout reply")
check(f.readline() == b"", "closed after idle timeout")
s.close()

# accept_timeout: PASV, RETR, and never connect: 425, session goes on
s, f = connect(HOST)
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
held = limit_refuses(HOST, 3, "421 There are too many connections from your internet address.")
close_session(held[0])
line = greeted_after_close(HOST)
check(line.startswith("220"), "slot freed: " + line)
print("ok")
