# Files changed while they are sent, the admin's ways: cp over the old one
# (truncates and rewrites the same inode), cat >> (grows it), mv a new one
# into place (a new inode), rm. A client gets the old bytes, the new bytes
# or an error, never a mix reported as success; the server goes on, and
# the next request gets the file as it is now.
#
# Clients (lock-step, 512-byte blocks, over the namespace's loopback) go
# through a gate that holds each transfer after DATA block $HOLD (its
# resends are dropped) until the test has changed the file: the change
# lands mid-way whatever the machine's load. The server reads 128 KiB
# ahead, so it next reads the file a few blocks later, well before the end.
# tftp-hpa exits 0 after an ERROR, so the cases that must fail use curl and
# atftp; tftp-hpa joins the ones that must succeed, checked by sha256.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
need_cmd tftp atftp curl
box_setup
S=127.0.0.1
SIZE=1000000
HOLD=200
start_tftpd box "$T/log" 69 -a $S "$ROOT"
cd "$T" || fail cd

# The gate, on port 1069: relay.py holding each transfer after DATA block
# $HOLD (RELAY_HOLD) until the file go exists; it lists each client held
# in the file held.
netns_bg box env RELAY_HOLD=$HOLD python3 "$PXE_SRC/tests/tftpd/relay.py" $S 1069 $S 69 0 0 1
wait_udp_port box 1069 || fail "the gate did not start"
# The same on port 1070 after block 4, for 65464-byte blocks (a read-ahead
# of two blocks).
netns_bg box env RELAY_HOLD=4 python3 "$PXE_SRC/tests/tftpd/relay.py" $S 1070 $S 69 0 0 1
wait_udp_port box 1070 || fail "the large-block gate did not start"

# src NAME BYTES: new random content in $T/NAME.
src() { head -c "$2" /dev/urandom >"$T/$1"; chmod 644 "$T/$1"; }

# get CLIENT NAME OUT: a download through the gate in the background, its
# pid in $BG_PID.
get() {
	case $1 in
	curl) netns_bg box curl -sS -o "$3" "tftp://$S:1069/$2" ;;
	ascii) netns_bg box curl -sS -B -o "$3" "tftp://$S:1069/$2" ;;   # netascii
	large) netns_bg box curl -sS --tftp-blksize 65464 -o "$3" "tftp://$S:1070/$2" ;;
	atftp) netns_bg box atftp -g -r "$2" -l "$3" $S 1069 ;;
	hpa) netns_bg box tftp -m binary $S 1069 -c get "$2" "$3" ;;
	esac
}

# held N: until N transfers wait at the gate (the gate closed again first:
# start_case).
held() {
	wait_for 60 sh -c "[ \$(cat held 2>/dev/null | wc -l) -ge $1 ]" ||
		fail "$(cat held 2>/dev/null | wc -l) of $1 transfers reached block $HOLD"
}
start_case() { rm -f go; : >held; }
open_gate() { touch go; }

# fails PID WHAT: the client ended with an error (exit status).
fails() { wait "$1" && fail "$2: the client reported success"; return 0; }
# gets PID OUT WANT WHAT: the client succeeded with WANT's bytes.
gets() {
	wait "$1" || fail "$4: the client failed"
	assert_same_file "$3" "$2"
}
# now_gets NAME WANT: a request made now gets WANT's bytes.
now_gets() {
	rm -f now.out
	netns_exec box curl -sS -o now.out "tftp://$S/$1" || fail "fetching $1 now"
	assert_same_file "$2" now.out
}
# cp_over SRC NAME: the admin's cp: the file truncated and rewritten, the same inode.
cp_over() {
	local ino
	ino=$(stat -c %i "$ROOT/$2")
	cp "$1" "$ROOT/$2"
	[ "$(stat -c %i "$ROOT/$2")" = "$ino" ] || fail "cp made a new inode"
}

# change_fails CLIENT NAME CMD...: a transfer of NAME (holding $SIZE bytes
# of $NAME.old) held mid-way while CMD changes the file ends in an error
# the client reports, and the server logs it.
change_fails() {
	local client=$1 name=$2 pid
	shift 2
	src "$name.old" $SIZE
	cp "$name.old" "$ROOT/$name"
	start_case
	get "$client" "$name" "$name.out"
	pid=$BG_PID
	held 1
	"$@"
	open_gate
	fails "$pid" "$client, $name: $*"
	assert_log "$T/log" "Client $S failed $name: the file changed while it was sent"
}

# ---- cp over it, smaller: the same inode truncated, then rewritten ----
# The server's next read finds the file changed (or short): ERROR to the
# client, which exits non-zero; logged; the next request gets the new file.
src small.new 100000
for c in curl atftp; do
	change_fails $c shrink-$c.bin cp_over small.new shrink-$c.bin
	now_gets shrink-$c.bin small.new
done
# netascii: the same
change_fails ascii ascii.bin cp_over small.new ascii.bin
# 65464-byte blocks: the same
change_fails large shrink-large.bin cp_over small.new shrink-large.bin
now_gets shrink-large.bin small.new

# ---- cp over it, same size: nothing is short, the bytes would be a mix ----
# The file's size or mtime differ from what the transfer opened: ERROR. A
# request made meanwhile gets the new file (its own open, not the stale
# shared one).
src rewrite.new $SIZE
rewrite() {
	cp_over rewrite.new "$1"
	now_gets "$1" rewrite.new
}
change_fails curl rewrite.bin rewrite rewrite.bin
now_gets rewrite.bin rewrite.new
change_fails large rewrite-large.bin rewrite rewrite-large.bin

# ---- grown (cat >>) ----
# Decided: an error, not the size announced. A writer growing the file may
# be a cp still writing it (or rewriting it from the start), so its first
# tsize bytes need not be any version of it; the client's retry gets the
# whole file as it is then.
src grow.more 100000
grow() { cat grow.more >>"$ROOT/grow.bin"; }
change_fails atftp grow.bin grow
cat grow.bin.old grow.more >grow.new
now_gets grow.bin grow.new

# ---- mv a new one into place while 10 clients fetch the old ----
# The old inode stays open for them (the shared file table holds it) and
# they get the old bytes whole; a new request opens the new inode.
src mv.old $SIZE
cp mv.old "$ROOT/mv.bin"
clients=(curl curl curl curl atftp atftp atftp hpa hpa hpa)
pids=()
start_case
for i in "${!clients[@]}"; do
	get "${clients[i]}" mv.bin "mv-$i.out"
	pids+=("$BG_PID")
done
held ${#clients[@]}
cp small.new "$ROOT/.mv.tmp"
mv "$ROOT/.mv.tmp" "$ROOT/mv.bin"
now_gets mv.bin small.new
open_gate
for i in "${!clients[@]}"; do
	gets "${pids[i]}" "mv-$i.out" mv.old "${clients[i]} $i, file replaced by mv"
done
now_gets mv.bin small.new

# ---- rm ----
# The transfers read on through their open descriptor and complete; a new
# request gets "File not found".
src rm.old $SIZE
cp rm.old "$ROOT/rm.bin"
start_case
get curl rm.bin rm-curl.out
pid_curl=$BG_PID
get atftp rm.bin rm-atftp.out
pid_atftp=$BG_PID
held 2
rm "$ROOT/rm.bin"
out=$(netns_exec box "${TFTPC[@]}" $S rm.bin)
[ "$(kv error "$out")" = 1 ] && [ "$(kv errmsg "$out")" = "File not found" ] ||
	fail "a deleted file: $out"
open_gate
gets "$pid_curl" rm-curl.out rm.old "curl, file deleted"
gets "$pid_atftp" rm-atftp.out rm.old "atftp, file deleted"

# the server served on throughout, and holds no file open now
kill -0 "$TFTPD_PID" || fail "tftpd died"
now_gets small.bin "$ROOT/small.bin"
wait_for 10 sh -c "! ls -l /proc/$TFTPD_PID/fd | grep -q '$ROOT/'" ||
	fail "files left open: $(ls -l /proc/$TFTPD_PID/fd | grep "$ROOT/")"
echo PASS
