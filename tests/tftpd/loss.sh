# 5 % loss and 20 ms delay each way (a user-space relay: no netem here):
# lock-step and windowed transfers still arrive byte-exact.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
netns_require
need_cmd tftp atftp python3
make_root
T=$(tmpdir)
netns_pair srv cli 198.18.33
S=198.18.33.1
head -c 300000 /dev/urandom >"$ROOT/300k.bin"
head -c 100000 /dev/urandom >"$ROOT/100k.bin"
: >"$ROOT/incoming.bin"
: >"$ROOT/replay.bin"
chmod 644 "$ROOT/300k.bin" "$ROOT/100k.bin"
chmod 666 "$ROOT/incoming.bin" "$ROOT/replay.bin"
start_tftpd srv "$T/log" 69 -a $S -T 100000 "$ROOT"
netns_bg srv python3 "$PXE_SRC/tests/tftpd/relay.py" $S 1069 $S 69 0.05 20 7 >"$T/relay.log"
wait_udp_port srv 1069 || fail "relay did not start"
cd "$T" || fail cd

# lock-step, tftp-hpa: its own retransmit every second, the server's 100 ms
printf 'binary\nrexmt 1\ntimeout 120\nget 100k.bin hpa.bin\n' |
	netns_exec cli timeout 200 tftp $S 1069 >/dev/null || fail "tftp-hpa over loss"
assert_same_file "$ROOT/100k.bin" hpa.bin

# windowed and lock-step with tftpc.py (which acknowledges gaps per RFC 7440)
for case in "big.bin blksize=1468 windowsize=16" "big.bin blksize=1468 windowsize=64" \
	"300k.bin blksize=1468"; do
	set -- $case
	file=$1
	shift
	args=()
	for o in "$@"; do args+=(--opt "$o"); done
	out=$(netns_exec cli timeout 200 "${TFTPC[@]}" $S "$file" win.bin --port 1069 \
		--timeout 1 --retries 30 "${args[@]}") || fail "$case: $out"
	assert_same_file "$ROOT/$file" win.bin
	rm -f win.bin
done
# windowed, atftp: it aborts on a repeated OACK ("unexpected OACK"), the
# server's answer when the client's ACK 0 is lost, so its relay never loses that
netns_bg srv python3 "$PXE_SRC/tests/tftpd/relay.py" $S 1071 $S 69 0.05 20 7 "" 4:0 >"$T/relay3.log"
wait_udp_port srv 1071 || fail "third relay did not start"
netns_exec cli timeout 200 atftp --option "blksize 1468" --option "windowsize 16" -g -r 300k.bin \
	-l atftp.bin $S 1071 >atftp.out 2>&1 || { tail -n 5 atftp.out "$T/log"; fail "atftp over loss"; }
assert_same_file "$ROOT/300k.bin" atftp.bin
# a write, windowed, after its first DATA and our ACK 0 for that gap are
# both lost: the server repeats ACK 0, not its OACK (which atftp would take
# for an ACK of its whole window, never resending block 1)
cp "$ROOT/300k.bin" up.bin
netns_bg srv python3 "$PXE_SRC/tests/tftpd/relay.py" $S 1070 $S 69 0 20 7 3:1,4:0 >"$T/relay2.log"
wait_udp_port srv 1070 || fail "second relay did not start"
netns_exec cli timeout 60 atftp --option "blksize 1468" --option "windowsize 8" -p -l up.bin \
	-r replay.bin $S 1070 >atftp.out 2>&1 || { tail -n 5 atftp.out "$T/log"; fail "atftp put: lost DATA 1"; }
assert_same_file "$ROOT/300k.bin" "$ROOT/replay.bin"
# a write over the lossy path, windowed; atftp retries after 1 s (not 5),
# within the server's dally of 1.5 s (-T 100 ms backed off), so a lost last
# ACK is answered again. TFTP's last ACK is itself never acknowledged: when
# it and the re-ACK of the client's retry are both lost, the client gives
# up although the server stored every byte. That alone is not a failure;
# anything else is.
if ! netns_exec cli timeout 200 atftp --tftp-timeout 1 --option "blksize 1468" --option "windowsize 8" \
	-p -l up.bin -r incoming.bin $S 1069 >atftp.out 2>&1; then
	grep -q "transferred incoming.bin: 300000 bytes" "$T/log" ||
		{ tail -n 5 atftp.out "$T/log"; fail "atftp put over loss"; }
	echo "atftp put: the client missed the last ACK; the server has the file"
fi
assert_same_file "$ROOT/300k.bin" "$ROOT/incoming.bin"
grep -qE "retransmits" "$T/log" || fail "no stats"
grep -qE "[1-9][0-9]* retransmits" "$T/log" || fail "no retransmissions: is the relay dropping?"
echo PASS
