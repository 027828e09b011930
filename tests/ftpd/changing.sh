#!/bin/bash
# Files changed while they are sent, the admin's ways: cp over the old one
# (truncates and rewrites the same inode), cat >> (grows it), mv a new one
# into place (a new inode), rm; with use_sendfile YES and NO, and TYPE A
# converted (the buffered path). A client gets the old bytes whole (226),
# or 451 (here short of the size the 150 reply announced), never a mix
# with 226; the server goes on, and the next RETR gets the file as it is.
#
# The ftplib client stops reading once it holds $MARK bytes and waits for
# the test to change the file; curl is stopped by SIGSTOP there. The
# socket buffers are kept small (tcp_wmem, tcp_rmem in the namespaces), so
# the server, which runs ahead of its client only by them, is then
# mid-way too, and looks at the file again (once a MiB) before its end.
. "$PXE_SRC/tests/ftpd/lib.sh"
need_cmd python3 curl
ftpd_setup 59
netns_exec srv sysctl -qw net.ipv4.tcp_wmem="4096 16384 131072" || fail "tcp_wmem"
netns_exec cli sysctl -qw net.ipv4.tcp_rmem="4096 65536 131072" || fail "tcp_rmem"
SIZE=4000000
MARK=1000000
cd "$T" || fail cd

# pget.py FILE OUT TYPE: RETR in TYPE I or A, holding at $MARK bytes until
# the file go exists (a line in held says it waits). Prints the final
# reply's code, the size the 150 reply announced and the bytes received.
cat >pget.py <<'PY'
import ftplib, os, sys, time
host, path, out, mark, typ = sys.argv[1:6]
f = ftplib.FTP(host, timeout=60)
f.login()
f.voidcmd("TYPE " + typ)
conn, announced = f.ntransfercmd("RETR " + path)
got, waited = 0, False
with open(out, "wb") as o:
    while True:
        data = conn.recv(65536)
        if not data:
            break
        o.write(data)
        got += len(data)
        if not waited and got >= int(mark):
            waited = True
            with open("held", "a") as h:
                h.write(path + "\n")
            for _ in range(600):
                if os.path.exists("go"):
                    break
                time.sleep(0.1)
conn.close()
try:
    reply = f.voidresp()
except ftplib.all_errors as e:
    reply = str(e)
print("reply=%s announced=%s bytes=%d" % (reply[:3], announced, got))
f.close()
PY

# src NAME BYTES: new random content in $T/NAME.
src() { head -c "$2" /dev/urandom >"$T/$1"; chmod 644 "$T/$1"; }

# pget NAME OUT [TYPE]: pub/NAME fetched by pget.py in the background, its
# pid in $BG_PID, what it printed in OUT.res.
pget() {
	netns_bg cli python3 "$T/pget.py" "$SRV" "pub/$1" "$T/$2" $MARK "${3:-I}" >"$T/$2.res"
}
start_case() { rm -f go; : >held; }
# held N: until N clients wait for go.
held() {
	wait_for 60 sh -c "[ \$(wc -l <held) -ge $1 ]" || fail "$(wc -l <held) of $1 clients held"
}
open_gate() { touch go; }
res() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" "$T/$2.res"; }

# fails PID OUT WHAT: pget.py ended on 451, short of the size announced.
fails() {
	wait "$1" || fail "$3: pget.py: $(cat "$T/$2.res")"
	[ "$(res reply "$2")" = 451 ] || fail "$3: $(cat "$T/$2.res")"
	[ "$(res bytes "$2")" -lt "$(res announced "$2")" ] || fail "$3: $(cat "$T/$2.res")"
}
# gets PID OUT WANT WHAT: pget.py ended on 226 with WANT's bytes.
gets() {
	wait "$1" || fail "$4: pget.py: $(cat "$T/$2.res")"
	[ "$(res reply "$2")" = 226 ] || fail "$4: $(cat "$T/$2.res")"
	assert_same_file "$3" "$T/$2"
}
# now_gets NAME WANT: a RETR made now gets WANT's bytes.
now_gets() {
	rm -f now.out
	cli curl -sS --fail -o now.out "ftp://$SRV/pub/$1" || fail "fetching $1 now"
	assert_same_file "$2" now.out
}
# logged NAME: the server logged the failed download.
logged() {
	grep -q "FAIL DOWNLOAD: Client \"198\.18\.59\.2\", \"/pub/$1\"" vsftpd.log ||
		fail "no FAIL DOWNLOAD for $1: $(cat vsftpd.log)"
}
# cp_over SRC NAME: the admin's cp: pub/NAME truncated and rewritten, the same inode.
cp_over() {
	local ino
	ino=$(stat -c %i "$ROOT/pub/$2")
	cp "$1" "$ROOT/pub/$2"
	[ "$(stat -c %i "$ROOT/pub/$2")" = "$ino" ] || fail "cp made a new inode"
}
# cp over it, the same size: nothing is short, the bytes would be a mix; a
# RETR made meanwhile gets the new file
rewrite() {
	cp_over rewrite.new "$1"
	now_gets "$1" rewrite.new
}
grow() { cat grow.more >>"$ROOT/pub/$1"; }

# change_fails NAME CMD...: pget.py fetching pub/NAME ($SIZE bytes of
# NAME.old; TYPE $PGET_TYPE or I), held mid-way while CMD changes the file,
# gets 451 short of the size announced, and the server logs it.
change_fails() {
	local name=$1 pid
	shift
	src "$name.old" $SIZE
	cp "$name.old" "$ROOT/pub/$name"
	start_case
	pget "$name" "$name.out" "${PGET_TYPE:-I}"
	pid=$BG_PID
	held 1
	"$@"
	open_gate
	fails "$pid" "$name.out" "$name: $*"
	logged "$name"
}

# curl_fails NAME [curl args]: curl, stopped once it holds $MARK bytes
# while pub/NAME is cp'ed over with a smaller file, exits non-zero. The
# server's side of the link sends at 2 MB/s meanwhile (curl's own
# --limit-rate lets bursts through), so curl cannot finish first.
curl_fails() {
	local name=$1 pid i
	shift
	src "$name" $SIZE
	cp "$name" "$ROOT/pub/$name"
	netns_exec srv tc qdisc add dev veth0 root tbf rate 16mbit burst 16kb limit 64kb ||
		fail "tc tbf"
	netns_bg cli curl -sS "$@" -o "$name.curl" "ftp://$SRV/pub/$name"
	pid=$BG_PID
	for ((i = 0; i < 600; i++)); do
		[ "$(stat -c %s "$name.curl" 2>/dev/null || echo 0)" -ge $MARK ] && break
		sleep 0.05
	done
	kill -STOP "$pid" 2>/dev/null
	wait_for 5 sh -c "[ \$(awk '{ print \$3 }' /proc/$pid/stat) = T ]" ||
		fail "curl $name: done before it was stopped"
	cp_over small.new "$name"
	kill -CONT "$pid"
	wait "$pid" && fail "curl $name: success on a truncated file"
	netns_exec srv tc qdisc del dev veth0 root
	logged "$name"
}

# cases SUFFIX: every change, against the running server.
cases() {
	local x=$1 i pid pids=()

	# cp over it, smaller: the server's next read finds it changed or short
	change_fails "shrink$x" cp_over small.new "shrink$x"
	now_gets "shrink$x" small.new
	change_fails "rewrite$x" rewrite "rewrite$x"
	now_gets "rewrite$x" rewrite.new
	# Grown (cat >>). Decided: 451, not the size announced. A writer
	# growing the file may be a cp still writing it (or rewriting it from
	# the start), so its first announced bytes need not be any version of
	# it; the client's retry gets the whole file as it is then.
	change_fails "grow$x" grow "grow$x"
	cat "grow$x.old" grow.more >"grow$x.new"
	now_gets "grow$x" "grow$x.new"

	# mv a new one into place while 10 clients fetch the old: their
	# descriptors keep the old inode, and they get it whole
	src "mv$x.old" $SIZE
	cp "mv$x.old" "$ROOT/pub/mv$x"
	start_case
	for i in 0 1 2 3 4 5 6 7 8 9; do
		pget "mv$x" "mv$x-$i.out"
		pids+=("$BG_PID")
	done
	held 10
	cp small.new "$ROOT/pub/.mv.tmp"
	mv "$ROOT/pub/.mv.tmp" "$ROOT/pub/mv$x"
	now_gets "mv$x" small.new
	open_gate
	for i in 0 1 2 3 4 5 6 7 8 9; do
		gets "${pids[i]}" "mv$x-$i.out" "mv$x.old" "mv$x, client $i"
	done

	# rm: the transfer completes from its descriptor; a new RETR gets 550
	src "rm$x.old" $SIZE
	cp "rm$x.old" "$ROOT/pub/rm$x"
	start_case
	pget "rm$x" "rm$x.out"
	pid=$BG_PID
	held 1
	rm "$ROOT/pub/rm$x"
	cli curl -sS -v -o /dev/null "ftp://$SRV/pub/rm$x" 2>"rm$x.err" && fail "rm$x: fetched after rm"
	grep -q "^< 550 " "rm$x.err" || fail "rm$x: $(cat "rm$x.err")"
	open_gate
	gets "$pid" "rm$x.out" "rm$x.old" "rm$x"

	curl_fails "curl$x"
}

src small.new 100000
src rewrite.new $SIZE
src grow.more 100000
ftpd_start /dev/null -oxferlog_enable=YES -ovsftpd_log_file="$T/vsftpd.log"
cases -sendfile
kill "$FTPD_PID"
wait "$FTPD_PID" 2>/dev/null
wait_for 10 sh -c "! ip netns exec $(ns_name srv) ss -Hltn | grep -q ':21 '" || fail "port 21 held"

ftpd_start /dev/null -oxferlog_enable=YES -ovsftpd_log_file="$T/vsftpd.log" -ouse_sendfile=NO \
	-oascii_download_enable=YES
cases -buffered

# TYPE A, converted (LF -> CRLF, the buffered path), cp'ed over smaller
PGET_TYPE=A change_fails ascii cp_over small.new ascii
curl_fails curl-ascii --use-ascii

# the server served on throughout, and holds no file open now
kill -0 "$FTPD_PID" || fail "pxe-ftpd died"
now_gets ascii small.new
wait_for 10 sh -c "! ls -l /proc/$FTPD_PID/fd | grep -q '/pub/'" ||
	fail "files left open: $(ls -l /proc/$FTPD_PID/fd | grep /pub/)"
echo ok
