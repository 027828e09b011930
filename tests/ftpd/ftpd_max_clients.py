"""max_clients of pxe-ftpd (server started with max_clients=3,
max_per_ip=0): a fourth session is refused with vsftpd's 421, the three
go on, and a closed one frees its slot. argv: server address."""
import sys

from ftpd_client import check, close_session, greeted_after_close, limit_refuses, login, reply

HOST = sys.argv[1]

held = limit_refuses(HOST, 3, "421 There are too many connected users, please try later.")
for s, f in held:
    login(s, f)
    s.sendall(b"NOOP\r\n")
    check(reply(f).startswith("200"), "held sessions still served")
close_session(held[0])
line = greeted_after_close(HOST)
check(line.startswith("220"), "slot freed: " + line)
print("ok")
