"""Python ftplib against pxe-ftpd: MLSD, SIZE, MDTM, REST, raw TYPE A bytes,
read-only refusals, traversal and bounce refusals, pipelined commands.
argv: server address, root directory on disk."""
import ftplib
import hashlib
import os
import socket
import sys
import time

HOST, ROOT = sys.argv[1], sys.argv[2]


def check(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)


def read_all(sock):
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def refused(fn, code):
    try:
        fn()
    except ftplib.error_perm as e:
        return str(e).startswith(code)
    return False


f = ftplib.FTP()
f.connect(HOST, 21, timeout=20)
f.login()
check("UTF8" in f.sendcmd("FEAT") and "MLST" in f.sendcmd("FEAT"), "FEAT")

facts = dict(f.mlsd("pub", facts=["type", "size", "modify"]))
st = os.stat(os.path.join(ROOT, "pub/data.bin"))
check(facts["data.bin"]["type"] == "file", "MLSD type")
check(int(facts["data.bin"]["size"]) == st.st_size, "MLSD size")
mdtm = time.strftime("%Y%m%d%H%M%S", time.gmtime(st.st_mtime))
check(facts["data.bin"]["modify"] == mdtm, "MLSD modify")
check(facts["sub"]["type"] == "dir", "MLSD dir")
check(f.size("pub/data.bin") == st.st_size, "SIZE")
check(f.sendcmd("MDTM pub/data.bin") == "213 " + mdtm, "MDTM")
check(f.sendcmd("MLST pub/data.bin").splitlines()[1].startswith(" type=file;size=%d;" % st.st_size), "MLST")
# NLST names under the path asked for, as vsftpd's (mget RETRs them as given)
check(f.nlst("pub/*.bin") == ["pub/data.bin"], "NLST pub/*.bin: %r" % f.nlst("pub/*.bin"))
check(f.nlst("/pub/data.bin") == ["/pub/data.bin"], "NLST of a file")
# STAT path: vsftpd's framing, the listing's lines unprefixed between
# "213-" and "213 ", which ftplib reads as one reply
stat = f.sendcmd("STAT pub").splitlines()
check(stat[0] == "213-Status follows:" and stat[-1] == "213 End of status", "STAT %r" % stat)
check(any(line.startswith("-") and line.endswith(" data.bin") for line in stat), "STAT %r" % stat)
# STAT alone: vsftpd's lines, with the sessions counted when this one began
status = f.sendcmd("STAT").splitlines()
check("     At session startup, client count was 1" in status, "STAT %r" % status)

# REST: the tail from an offset, byte-exact
f.voidcmd("TYPE I")
with open(os.path.join(ROOT, "pub/data.bin"), "rb") as src:
    whole = src.read()
tail = bytearray()
f.retrbinary("RETR pub/data.bin", tail.extend, rest=777777)
check(hashlib.sha256(tail).digest() == hashlib.sha256(whole[777777:]).digest(), "REST tail")

# the session's passive listener is kept: a connection the client made
# for a RETR that failed is not taken for the next transfer
def epsv_connect():
    port = int(f.sendcmd("EPSV").split("|")[3])
    return port, socket.create_connection((HOST, port), timeout=10)


port1, stale = epsv_connect()
check(refused(lambda: f.sendcmd("RETR pub/none.bin"), "550"), "RETR missing")
port2, conn = epsv_connect()
check(port2 == port1, "listener kept: %d then %d" % (port1, port2))
check(f.sendcmd("RETR pub/data.bin").startswith("150"), "RETR after a failed one")
got = read_all(conn)
conn.close()
stale.close()
f.voidresp()
check(hashlib.sha256(got).digest() == hashlib.sha256(whole).digest(), "RETR after a failed one: bytes")

# TYPE A on the wire: bare LF -> CRLF, CRLF kept
f.voidcmd("TYPE A")
conn = f.transfercmd("RETR pub/text.txt")
raw = read_all(conn)
conn.close()
f.voidresp()
check(raw == b"one\r\ntwo\r\nthree\r\n", "TYPE A bytes %r" % raw)
f.voidcmd("TYPE I")

# read-only
check(refused(lambda: f.storbinary("STOR pub/new", open(__file__, "rb")), "550"), "STOR refused")
check(refused(lambda: f.mkd("pub/newdir"), "550"), "MKD refused")
check(refused(lambda: f.delete("pub/data.bin"), "550"), "DELE refused")
check(not os.path.exists(os.path.join(ROOT, "pub/new")), "nothing stored")

# traversal: ".." stops at the root; symlinks out of it do not open
f.cwd("../../..")
check(f.pwd() == "/", "CWD .. stays at /")
check(refused(lambda: f.retrbinary("RETR ../../../../etc/passwd", print), "550"), "RETR ../etc/passwd")
check(refused(lambda: f.retrbinary("RETR pub/passwd-link", print), "550"), "symlink out")
check(refused(lambda: f.cwd("pub/etc-link"), "550"), "CWD symlink out")
check(refused(lambda: f.size("pub/passwd-link"), "550"), "SIZE symlink out")

# bounce: PORT and EPRT to a third host are refused
third = HOST.rsplit(".", 1)[0] + ".77"
check(refused(lambda: f.sendcmd("PORT %s,4,1" % third.replace(".", ",")), "500"), "PORT bounce")
check(refused(lambda: f.sendcmd("EPRT |1|%s|1025|" % third), "500"), "EPRT bounce")


# ABOR with urgent data, mid-transfer: ftplib sends "ABOR\r\n" with MSG_OOB,
# lftp the DM of the Telnet Synch (IAC IP IAC DM); the line must still arrive
def abor_answer(send_abor):
    conn = f.transfercmd("RETR pub/data.bin")
    conn.recv(1000)
    send_abor(f.sock)
    line = f.getline()
    while line.startswith(("226 Transfer", "426")):   # it may have ended first
        line = f.getline()
    conn.close()
    return line


def synch_abor(s):
    s.sendall(b"\xff\xf4\xff")
    s.send(b"\xf2", socket.MSG_OOB)
    s.sendall(b"ABOR\r\n")


for how, send in (("ftplib", lambda s: s.sendall(b"ABOR\r\n", socket.MSG_OOB)), ("Synch", synch_abor)):
    answer = abor_answer(send)
    check(answer[:3] in ("225", "226"), "ABOR out of band (%s): %r" % (how, answer))
check(f.sendcmd("NOOP").startswith("200"), "NOOP after ABOR")
f.quit()

# pipelined: several commands in one segment, replies in order
s = socket.create_connection((HOST, 21), timeout=20)
s.recv(1024)
s.sendall(b"USER anonymous\r\nPASS x@\r\nTYPE I\r\nSIZE pub/data.bin\r\nNOOP\r\nQUIT\r\n")
codes = [line[:3] for line in read_all(s).decode().split("\r\n") if line]
check(codes == ["331", "230", "200", "213", "200", "221"], "pipelined replies %r" % codes)
print("ok")
