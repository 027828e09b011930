# -m remap rules (Windows paths, drive letters, \i, abort) re-read on
# SIGHUP, -R transfer ports, -P pid file, sd_notify READY=1, IPv6, a host
# name for -a.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
netns_require
need_cmd python3
make_root
T=$(tmpdir)
cp "$ROOT/k1.bin" "$ROOT/ip-198.18.36.2.bin"
cat >"$T/rules" <<'RULES'
# Windows clients: backslashes and a drive letter
rg \\ /
r ^[a-zA-Z]:(.*) \1
r ^myip$ ip-\i.bin
a ^forbidden
RULES
netns_pair srv cli 198.18.36
S=198.18.36.1
start_tftpd srv "$T/log" 69 -a $S -m "$T/rules" -R 40000:40009 -P "$T/pid" "$ROOT"
wait_for 5 test -s "$T/pid"
[ "$(cat "$T/pid")" = "$TFTPD_PID" ] || fail "pid file: $(cat "$T/pid") vs $TFTPD_PID"

# get NAME FILE: byte-exact, from a port in -R's range
get() {
	local out
	out=$(netns_exec cli "${TFTPC[@]}" $S "$1" "$T/got") || fail "$1: $out"
	assert_same_file "$2" "$T/got"
	rm -f "$T/got"
	local tid
	tid=$(kv tid "$out")
	[ "$tid" -ge 40000 ] && [ "$tid" -le 40009 ] || fail "transfer port $tid outside -R"
}
get 'C:\sub\dir\deep.bin' "$ROOT/small.bin"
get 'sub\dir\deep.bin' "$ROOT/small.bin"
get myip "$ROOT/k1.bin"
out=$(netns_exec cli "${TFTPC[@]}" $S forbidden.bin)
[ "$(kv error "$out")" = 2 ] || fail "abort rule: $out"
out=$(netns_exec cli "${TFTPC[@]}" $S alias)
[ "$(kv error "$out")" = 1 ] || fail "alias before SIGHUP: $out"

printf 'r ^alias$ big.bin\n' >>"$T/rules"
kill -HUP "$TFTPD_PID"
assert_log "$T/log" "SIGHUP: 5 remap rules loaded"
get alias "$ROOT/big.bin"
printf 'r (unclosed\n' >>"$T/rules"
kill -HUP "$TFTPD_PID"
assert_log "$T/log" "keeping the old remap rules"
get alias "$ROOT/big.bin"

# READY=1 to $NOTIFY_SOCKET once serving; IPv6 with blksize up to lo's MTU
netns_bg srv python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print(s.recv(4096).decode(), flush=True)' "$T/notify.sock" >"$T/notify.out"
wait_for 5 test -S "$T/notify.sock" || fail "no notify socket"
netns_bg srv env NOTIFY_SOCKET="$T/notify.sock" "$TFTPD" -L -6 -a '[::1]:69' "$ROOT"
wait_for 5 grep -qx READY=1 "$T/notify.out" || fail "no READY=1: $(cat "$T/notify.out")"
out=$(netns_exec srv "${TFTPC[@]}" ::1 big.bin "$T/v6.bin" --opt blksize=65464) || fail "v6: $out"
[ "$(kv oack "$out")" = blksize=65464 ] || fail "v6 oack: $out"
assert_same_file "$ROOT/big.bin" "$T/v6.bin"

# -a takes a host name, resolved at start-up; without -4/-6 each family it
# has is bound, as in.tftpd (a stock /etc/hosts: localhost is both)
netns_hosts srv "127.0.0.1 localhost" "::1 localhost"
start_tftpd srv "$T/log-name" 70 -a localhost:70 "$ROOT"
for addr in 127.0.0.1 ::1; do
	out=$(netns_exec srv "${TFTPC[@]}" $addr k1.bin "$T/name.bin" --port 70) || fail "-a name, $addr: $out"
	assert_same_file "$ROOT/k1.bin" "$T/name.bin"
done
echo PASS
