#!/bin/bash
# Timeouts and connection limits (ftpd_limits.py), then 100 clients
# downloading at once, every file byte-exact, served by one loop thread per
# CPU, then a flood of 300 connections beside a running download
# (ftpd_flood.py), then SIGTERM with downloads running.
. "$PXE_SRC/tests/ftpd/lib.sh"
need_cmd python3 curl
ftpd_setup 55
rand_file pub/file 300000
ftpd_start /dev/null -oidle_session_timeout=2 -oaccept_timeout=2 -omax_per_ip=3
cli python3 "$PXE_SRC/tests/ftpd/ftpd_limits.py" "$SRV" || fail "limits"
kill "$FTPD_PID"
wait "$FTPD_PID" 2>/dev/null
wait_for 10 sh -c "! ip netns exec $(ns_name srv) ss -Hltn | grep -q ':21 '" || fail "port 21 still held"

ftpd_start /dev/null -omax_per_ip=0
mkdir "$T/many"
pids=()
for i in $(seq 1 100); do
	cli curl -sS --fail --max-time 60 -o "$T/many/$i" "ftp://$SRV/pub/file" &
	pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
[ $failed = 0 ] || fail "$failed of 100 clients failed"
for i in $(seq 1 100); do assert_same_file "$ROOT/pub/file" "$T/many/$i"; done

# One loop thread per CPU beside the main one, and the sessions ran there
# (each on the CPU its client's packets arrive on): those threads did the
# work. Column 14 + 15 of a task's stat: its user + system clock ticks.
cpus=$(nproc)
if [ "$cpus" -ge 2 ]; then
	loops=0 ticks=0
	for task in /proc/$FTPD_PID/task/*; do
		[ "$(cat "$task/comm")" = ftpd-loop ] || continue
		loops=$((loops + 1))
		ticks=$((ticks + $(awk '{ print $14 + $15 }' "$task/stat")))
	done
	threads=$(ls /proc/$FTPD_PID/task | wc -l)
	[ "$loops" = "$cpus" ] || fail "$loops loop threads for $cpus CPUs"
	# the main thread; a ThreadSanitizer build runs one more of its own
	[ "$threads" -le $((cpus + 2)) ] || fail "$threads threads for $cpus CPUs"
	[ "$ticks" -gt 0 ] || fail "the loop threads did no work"
fi

rand_file pub/large 30000000
cli python3 "$PXE_SRC/tests/ftpd/ftpd_flood.py" "$SRV" "$ROOT/pub/large" pub/large ||
	fail "flood"

# SIGTERM while downloads run on the loop threads: each loop ends its
# sessions, the threads are joined and the process exits 0.
pids=()
for i in $(seq 1 8); do
	cli curl -sS --max-time 60 --limit-rate 1M -o /dev/null "ftp://$SRV/pub/large" 2>/dev/null &
	pids+=($!)
done
# 8 control + 8 data connections, the listener, the event socket
running() { [ "$(ls -l /proc/$FTPD_PID/fd | grep -c 'socket:')" -ge 17 ]; }
wait_for 30 running || fail "the 8 downloads did not start"
sleep 1
kill -TERM "$FTPD_PID"
wait "$FTPD_PID"
rc=$?
[ "$rc" = 0 ] || fail "exit status $rc after SIGTERM"
for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
echo ok
