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

# One loop thread per CPU, and the sessions ran there (each on the CPU
# its client's packets arrive on).
assert_loop_threads "$FTPD_PID" ftpd-loop

rand_file pub/large 30000000
cli python3 "$PXE_SRC/tests/ftpd/ftpd_flood.py" "$SRV" "$ROOT/pub/large" pub/large ||
	fail "flood"

# SIGTERM while downloads run on the loop threads: each loop ends its
# sessions, the threads are joined and the process exits 0.
term_under_load "$FTPD_PID" 8 cli curl -sS --max-time 60 --limit-rate 1M -o /dev/null "ftp://$SRV/pub/large"
echo ok
