# Option edge cases with tftpc.py over loopback in a namespace (MTU 65536,
# so blksize 65464 is possible): only asked options are acknowledged, tsize,
# timeout/utimeout, windowsize 1/16/64, blksize 8 and 65464, -r and -B,
# repeated options, blksize2, rollover, an unterminated last option,
# values out of range refused with error 8 (in.tftpd),
# error 5 to a stranger on a transfer's port,
# ERROR 8 after the OACK, request padding, netascii, Sorcerer's Apprentice,
# and malformed packets that must not hurt.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
box_setup
start_tftpd box "$T/log" 69 -a 127.0.0.1 "$ROOT"
TFTPD69_PID=$TFTPD_PID
start_tftpd box "$T/log-r" 70 -a 127.0.0.1:70 -r tsize -r windowsize -B 1024 "$ROOT"
cd "$T" || fail cd

# fetch NAME FILE EXPECTED_OACK [tftpc args...]: byte-exact, with that OACK.
fetch() {
	local name=$1 file=$2 want=$3 out
	shift 3
	out=$(netns_exec box "${TFTPC[@]}" 127.0.0.1 "$name" "$T/got" "$@") || fail "$name $*: $out"
	[ "$(kv oack "$out")" = "$want" ] || fail "$name $*: oack $(kv oack "$out"), want $want"
	[ "$(kv tid_ok "$out")" = 1 ] || fail "$name $*: packets from another port"
	assert_same_file "$file" "$T/got"
	rm -f "$T/got"
	LAST_OUT=$out
}

fetch big.bin "$ROOT/big.bin" none
fetch big.bin "$ROOT/big.bin" none --opt multicast= --opt rollover=1 --opt foo=bar
fetch big.bin "$ROOT/big.bin" tsize=3000000 --opt tsize=0
fetch k1.bin "$ROOT/k1.bin" timeout=3,tsize=1024 --opt timeout=3 --opt tsize=0
fetch k1.bin "$ROOT/k1.bin" utimeout=200000 --opt utimeout=200000
fetch k1.bin "$ROOT/k1.bin" none --opt windowsize=0 --opt blksize=abc
# values outside the RFC's range: error 8, as from in.tftpd
for opt in timeout=0 blksize=7; do
	out=$(netns_exec box "${TFTPC[@]}" 127.0.0.1 k1.bin --opt $opt)
	[ "$(kv error "$out")" = 8 ] || fail "$opt: $out"
done
for w in 1 16 64; do
	fetch big.bin "$ROOT/big.bin" "blksize=1468,windowsize=$w" --opt blksize=1468 --opt windowsize=$w
done
fetch big.bin "$ROOT/big.bin" windowsize=64 --opt windowsize=1000
fetch small.bin "$ROOT/small.bin" blksize=8 --opt blksize=8
fetch big.bin "$ROOT/big.bin" blksize=65464,windowsize=64 --opt blksize=65464 --opt windowsize=64
fetch big.bin "$ROOT/big.bin" blksize=65464 --opt blksize=100000
fetch small.bin "$ROOT/small.bin" BlkSize=1432,TSIZE=20000 --opt BlkSize=1432 --opt TSIZE=0
# padding after the options (NULs and 0xFF), as some ROMs send
fetch small.bin "$ROOT/small.bin" tsize=20000 --opt tsize=0 --pad 000000ffffff
# in.tftpd's readings: an option sent twice takes the later value (here
# acknowledged once), blksize2 is a power of two, rollover=0 is how blocks
# wrap anyway, and the packet's end ends an unterminated last string
fetch small.bin "$ROOT/small.bin" blksize=2048 --opt blksize=1024 --opt blksize=2048
fetch small.bin "$ROOT/small.bin" blksize2=1024,rollover=0 --opt blksize2=1400 --opt rollover=0
fetch small.bin "$ROOT/small.bin" tsize=20000,blksize=1000 --opt tsize=0 \
	--pad "$(printf 'blksize\0001000' | od -An -tx1 | tr -d ' \n')"

# RFC 1350: an ACK from another port gets ERROR 5 (Unknown transfer ID)
# and the transfer goes on, byte-exact, lock-step and windowed
for w in 1 16; do
	fetch big.bin "$ROOT/big.bin" "windowsize=$w" --opt windowsize=$w --stranger
	[ "$(kv stranger_error "$LAST_OUT")" = 5 ] || fail "stranger: $LAST_OUT"
done
assert_log "$T/log" "unknown transfer ID"

# -r and -B on the second server
out=$(netns_exec box "${TFTPC[@]}" 127.0.0.1 big.bin "$T/r.bin" --port 70 --opt tsize=0 \
	--opt windowsize=16 --opt blksize=1468) || fail "$out"
[ "$(kv oack "$out")" = "blksize=1024" ] || fail "-r/-B: $out"
assert_same_file "$ROOT/big.bin" "$T/r.bin"

# OVMF: ERROR 8 after the OACK ends that transfer cleanly; the retry works.
out=$(netns_exec box "${TFTPC[@]}" 127.0.0.1 big.bin --opt tsize=0 --abort-after-oack)
[ "$(kv oack "$out")" = tsize=3000000 ] || fail "abort: $out"
assert_log "$T/log" "client declined the options (error 8"
fetch big.bin "$ROOT/big.bin" blksize=1468 --opt blksize=1468

# netascii: LF becomes CR LF, CR becomes CR NUL
netns_exec box "${TFTPC[@]}" 127.0.0.1 pxelinux.cfg/default "$T/na" --mode netascii >/dev/null ||
	fail netascii
printf 'default menu\r\nlabel a\r\0\r\n  kernel x\r\n' >"$T/na.want"
assert_same_file "$T/na.want" "$T/na"
# a large netascii file, converted block by block: CR and LF on every side
# of block and read-chunk boundaries, lock-step and windowed; no tsize for
# netascii reads (in.tftpd's rule)
python3 - "$ROOT/text.txt" "$T/text.want" <<'PY'
import sys
raw = b"".join((b"x" * (i % 700) + (b"\r", b"\n", b"\r\n", b"\n\r")[i % 4]) for i in range(4000))
raw += b"\r" * 70000 + b"\n" * 70000 + b"end"
open(sys.argv[1], "wb").write(raw)
open(sys.argv[2], "wb").write(raw.replace(b"\r", b"\r\0").replace(b"\n", b"\r\n"))
PY
chmod a+r "$ROOT/text.txt"
for w in 1 16; do
	out=$(netns_exec box "${TFTPC[@]}" 127.0.0.1 text.txt "$T/text.got" --mode netascii \
		--opt tsize=0 --opt blksize=1000 --opt windowsize=$w) || fail "netascii w$w: $out"
	[ "$(kv oack "$out")" = "blksize=1000,windowsize=$w" ] || fail "netascii oack: $out"
	assert_same_file "$T/text.want" "$T/text.got"
done
# the end found while sending: an empty file, and one whose converted size
# is a whole number of blocks (an empty last block follows)
: >"$ROOT/empty.txt"
{ head -c 996 /dev/zero | tr '\0' x; printf '\n\r'; } >"$ROOT/k1.txt"
chmod a+r "$ROOT/empty.txt" "$ROOT/k1.txt"
: >"$T/empty.want"
{ head -c 996 /dev/zero | tr '\0' x; printf '\r\n\r\0'; } >"$T/k1.want"
for f in empty k1; do
	for w in 1 4; do
		netns_exec box "${TFTPC[@]}" 127.0.0.1 $f.txt "$T/$f.got" --mode netascii \
			--opt blksize=1000 --opt windowsize=$w >/dev/null || fail "netascii $f w$w"
		assert_same_file "$T/$f.want" "$T/$f.got"
	done
done
assert_log "$T/log" "1000 bytes, blksize 1000, windowsize 4"
# no pass over the whole file to count the converted size up front (it
# stalled the loop): three netascii reads, two with tftpc (bytes as sent),
# one with tftp-hpa in ascii mode (decoded back), read the file 3 times.
need_cmd strace
strace -f -c -e trace=pread64 -o "$T/preads" -p "$TFTPD69_PID" 2>/dev/null &
strace_pid=$!
wait_for 10 sh -c "! grep -q '^TracerPid:[[:space:]]*0$' /proc/$TFTPD69_PID/status" ||
	fail "strace did not attach"
for w in 1 16; do
	netns_exec box "${TFTPC[@]}" 127.0.0.1 text.txt "$T/text.got" --mode netascii \
		--opt blksize=1000 --opt windowsize=$w >/dev/null || fail "netascii traced w$w"
	assert_same_file "$T/text.want" "$T/text.got"
done
(cd "$T" && netns_exec box tftp 127.0.0.1 -m ascii -c get text.txt text.hpa) || fail "tftp ascii"
assert_same_file "$ROOT/text.txt" "$T/text.hpa"
kill "$strace_pid"
wait "$strace_pid"
chunks=$((($(stat -c %s "$ROOT/text.txt") + 65535) / 65536))
preads=$(awk '$NF == "pread64" { print $4 }' "$T/preads")
echo "text.txt: $preads reads of $chunks chunks" >&2
[ "$preads" -le $((3 * chunks + 3)) ] || fail "text.txt read $preads times in $chunks chunks"

# Sorcerer's Apprentice: every ACK sent twice, 85 blocks: 85 DATA, no more.
out=$(netns_exec box "${TFTPC[@]}" 127.0.0.1 b85.bin "$T/sa" --ack-copies 2 --linger 1.5) ||
	fail "$out"
[ "$(kv dup_data "$out")" = 0 ] || fail "duplicate DATA: $out"
assert_same_file "$ROOT/b85.bin" "$T/sa"
assert_log "$T/log" "43520 bytes, blksize 512, windowsize 1, 0 retransmits"

# errors: mail mode, a write request, a missing file
out=$(netns_exec box "${TFTPC[@]}" 127.0.0.1 small.bin --mode mail)
[ "$(kv error "$out")" = 4 ] || fail "mail mode: $out"
out=$(netns_exec box "${TFTPC[@]}" 127.0.0.1 nothere.bin --opt tsize=0)
[ "$(kv error "$out")" = 1 ] || fail "not found: $out"

# malformed datagrams are dropped, counted, and the server keeps serving
netns_exec box python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for pkt in [b"", b"\0", b"\0\1", b"\0\1abc", b"\0\3\0\1data", b"\0\4\0\0", b"\xff" * 600,
            b"\0\1a\0", b"\0\1" + b"a" * 2000 + b"\0octet\0", b"\0\1x\0octet\0blksize"]:
    s.sendto(pkt, ("127.0.0.1", 69))
PY
assert_log "$T/log" "dropped packet from 127.0.0.1"
fetch small.bin "$ROOT/small.bin" none
kill -0 "$TFTPD_PID" || fail "tftpd died"
echo PASS
