"""A flood of 300 connections opened at once is served (every one gets its
220) while a download already running completes byte-exact.
argv: server address, path of the file on disk, its FTP path."""
import ftplib
import hashlib
import socket
import sys
import threading

HOST, DISK, FTP_PATH = sys.argv[1:4]
result = {}


def download():
    f = ftplib.FTP()
    f.connect(HOST, 21, timeout=60)
    f.login()
    h = hashlib.sha256()
    f.retrbinary("RETR " + FTP_PATH, h.update, blocksize=4096)
    f.quit()
    result["sha"] = h.hexdigest()


t = threading.Thread(target=download)
t.start()
socks = []
for _ in range(300):
    s = socket.socket()
    s.settimeout(60)
    s.setblocking(False)
    s.connect_ex((HOST, 21))
    socks.append(s)
greeted = 0
for s in socks:
    s.setblocking(True)
    s.settimeout(60)
    if s.makefile("rb").readline().startswith(b"220"):
        greeted += 1
    s.close()
t.join(120)
with open(DISK, "rb") as src:
    want = hashlib.sha256(src.read()).hexdigest()
if greeted != 300:
    sys.exit("FAIL: %d of 300 flood connections greeted" % greeted)
if result.get("sha") != want:
    sys.exit("FAIL: download during the flood differs")
print("ok")
