#!/bin/bash
# pxe-status --live, end to end over the real channel: a program calling
# common's event_emit (as the daemons do) sends a failing boot to the
# abstract socket; the live table must show that PC at kernel with
# "file not found". A second listener on the same name is refused.
set -u
. "$PXE_SRC/tests/lib/netns.sh"   # helpers only; no namespace is made

status="$PXE_BUILD/status/pxe-status"
emit="$PXE_BUILD/tests/status/status_emit"
dir=$(tmpdir)
export PXE_EVENT_SOCKET="pxesuite-test-$$/events"
[ -x "$status" ] && [ -x "$emit" ] || fail "missing binaries"

"$status" --live --stuck 3600 > "$dir/screen" 2> "$dir/err" &
live=$!
NETNS_PIDS+=("$live")
# Listening once the first frame is drawn (it binds before drawing).
wait_for 10 grep -q 'MAC ' "$dir/screen" || fail "no live table: $(cat "$dir/err")"

"$status" --live > /dev/null 2> "$dir/second"
[ $? = 1 ] && grep -q 'another pxe-status' "$dir/second" || fail "second listener not refused"

"$emit" 52:54:00:aa:bb:01 198.18.0.77 2> "$dir/emit.log" || fail "emitter failed"
# Its log lines are the same records: the log path tells the same story.
grep -Eq 'event=tftpd.fail ts=[0-9]+\.[0-9]{3} client=198.18.0.77:2070 file=images/vmlinuz reason="file not found"' \
	"$dir/emit.log" || fail "log line: $(cat "$dir/emit.log")"

row='^52:54:00:aa:bb:01 198\.18\.0\.77 +UEFI x64 +kernel .* file not found \(images/vmlinuz\)'
wait_for 10 grep -Eq "$row" "$dir/screen" || fail "live row missing: $(tail -5 "$dir/screen")"

"$status" --json --from "$dir/emit.log" > "$dir/log.json" || fail "--from emitter log"
grep -q '"stage": "kernel"' "$dir/log.json" || fail "log mode disagrees: $(cat "$dir/log.json")"

kill -TERM "$live"
wait "$live"; rc=$?
[ "$rc" = 0 ] || fail "live mode exit status $rc on SIGTERM"
echo PASS
