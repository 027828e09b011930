# 40 clients fetch the same 64 MB file at once (20 curl lock-step, 20 atftp
# windowed): every copy byte-exact, one process, and one open descriptor of
# the file shared by all transfers; then its loop threads, and SIGTERM
# while they serve.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
netns_require
need_cmd curl atftp
make_root
T=$(tmpdir)
netns_pair srv cli 198.18.34
S=198.18.34.1
ip -n "$NS_srv" link set veth0 mtu 9000
ip -n "$NS_cli" link set veth0 mtu 9000
head -c $((64 << 20)) /dev/urandom >"$ROOT/initrd.img"
chmod 644 "$ROOT/initrd.img"
want=$(sha "$ROOT/initrd.img")
# -T 3 s: the path loses nothing, and on a loaded machine an ACK of the
# OACK later than the default 1 s would bring a second OACK, on which
# atftp 0.8 aborts ("unexpected OACK"); tftpd_loss covers retransmission.
start_tftpd srv "$T/log" 69 -a $S -T 3000000 "$ROOT"
mkdir "$T/out"

pids=()
for i in $(seq 1 20); do
	netns_exec cli timeout 600 sh -c "curl -sS --tftp-blksize 8968 tftp://$S/initrd.img | sha256sum >$T/out/curl$i" &
	pids+=($!)
	netns_exec cli timeout 600 atftp --option "blksize 8968" --option "windowsize 8" \
		-g -r initrd.img -l "$T/out/atftp$i.img" $S >"$T/out/atftp$i.log" 2>&1 &
	pids+=($!)
done

# While they run: many transfer sockets, never more than one fd on the file.
busiest=0
for _ in $(seq 1 600); do
	socks=$(ls -l /proc/$TFTPD_PID/fd 2>/dev/null | grep -c 'socket:')
	files=$(ls -l /proc/$TFTPD_PID/fd 2>/dev/null | grep -c 'initrd.img')
	[ "$files" -le 1 ] || fail "$files descriptors open on the same file"
	[ "$socks" -gt "$busiest" ] && busiest=$socks
	[ "$busiest" -ge 20 ] && break
	sleep 0.05
done
[ "$busiest" -ge 20 ] || fail "never saw 20 transfers at once (max $busiest sockets)"

for p in "${pids[@]}"; do
	wait "$p" || { tail -n 3 "$T"/out/atftp*.log; fail "a client failed"; }
done
for i in $(seq 1 20); do
	[ "$(cut -d' ' -f1 "$T/out/curl$i")" = "$want" ] || fail "curl $i: wrong bytes"
	[ "$(sha "$T/out/atftp$i.img")" = "$want" ] || fail "atftp $i: wrong bytes"
	rm -f "$T/out/atftp$i.img"
done
[ "$(grep -c 'finished initrd.img' "$T/log")" = 40 ] || fail "not 40 finished transfers"

# One loop thread per CPU, and the transfers moved to them (each to the
# CPU its client's packets come in on): those threads did the sending.
assert_loop_threads "$TFTPD_PID" tftpd-loop

# SIGTERM while transfers run on the loop threads: each loop ends its own,
# the threads are joined and the process exits 0 (under ASan: no leak).
term_under_load "$TFTPD_PID" 8 netns_exec cli timeout 30 curl -sS --tftp-blksize 1468 -o /dev/null \
	"tftp://$S/initrd.img"
[ "$(grep -c 'server shutting down' "$T/log")" -ge 1 ] || fail "no transfer was ended"
echo PASS
