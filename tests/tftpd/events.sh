# Boot-timeline events (common/event.h) for a fetch, a missing file and an
# OVMF-style ERROR 8: rrq, done, fail with their keys, names escaped.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
box_setup
EV="pxt-tftpd-events-$$"
netns_bg box python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + sys.argv[1])
while True:
    print(s.recv(4096).decode(errors="replace"), flush=True)' "$EV" >"$T/events"
sleep 0.5
PXE_EVENT_SOCKET=$EV start_tftpd box "$T/log" 69 -a 127.0.0.1 "$ROOT"

netns_exec box "${TFTPC[@]}" 127.0.0.1 big.bin "$T/got" --opt blksize=1468 >/dev/null || fail fetch
netns_exec box "${TFTPC[@]}" 127.0.0.1 "$(printf 'no\tsuch')" >/dev/null
netns_exec box "${TFTPC[@]}" 127.0.0.1 k1.bin --opt tsize=0 --abort-after-oack >/dev/null
# assert_event REGEX: one event line matches (after its timestamp).
assert_event() {
	wait_for 5 grep -qE "^event=tftpd\.$1" "$T/events" || { cat "$T/events" >&2; fail "no event $1"; }
}
C='ts=[0-9.]+ client=127\.0\.0\.1'
assert_event "rrq $C file=big\.bin options=\"blksize=1468\"$"
assert_event "done $C file=big\.bin bytes=3000000 duration_ms=[0-9]+ retransmits=0$"
assert_event "rrq $C file=\"no\\\\x09such\" options=\"\"$"
assert_event "fail $C file=\"no\\\\x09such\" reason=\"control character in file name\"$"
assert_event "fail $C file=k1\.bin reason=\"client declined the options \(error 8: options refused\)\" bytes=0$"
assert_log "$T/log" 'Client 127.0.0.1 control character in file name no\x09such'
echo PASS
