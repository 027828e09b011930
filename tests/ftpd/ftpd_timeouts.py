"""connect_timeout of pxe-ftpd (server started with connect_timeout=2):
an active-mode data connection whose SYNs go unanswered ends in 425, and
the session goes on. argv: server address, this client's address."""
import socket
import sys

from ftpd_client import check, connect, final_reply, login, reply

HOST, ME = sys.argv[1], sys.argv[2]

# A listener whose accept queue is full: the kernel drops further SYNs,
# so the server's connect neither succeeds nor is refused.
sink = socket.socket()
sink.bind((ME, 0))
sink.listen(0)
port = sink.getsockname()[1]
fillers = []
for _ in range(2):
    c = socket.socket()
    c.setblocking(False)
    c.connect_ex((ME, port))
    fillers.append(c)

s, f = connect(HOST)
check(reply(f).startswith("220"), "banner")
login(s, f)
s.sendall(b"TYPE I\r\nPORT %s,%d,%d\r\n" % (ME.replace(".", ",").encode(), port >> 8, port & 255))
check(reply(f).startswith("200"), "TYPE I")
check(reply(f).startswith("200"), "PORT")
s.sendall(b"RETR pub/file\r\n")
line = final_reply(f)
check(line.startswith("425"), "connect timeout gives 425: " + line)
s.sendall(b"NOOP\r\nQUIT\r\n")
check(reply(f).startswith("200"), "session alive after 425")
check(reply(f).startswith("221"), "QUIT")
print("ok")
