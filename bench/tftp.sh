#!/bin/bash
# TFTP bench: our pxe-tftpd against tftpd-hpa's in.tftpd, atftpd and
# dnsmasq's TFTP, in one run, same files, same clients, all on the loopback
# of a private network namespace.
#
#   bench/tftp.sh [--build DIR] [--quick] [--out FILE] [--only ours,in.tftpd,...]
#
# Variants (issue 3, Benchmark):
#   64M bs512/bs1468/bsmax w1   lock-step, one client (bench/tftpc.py)
#   64M bs1468 w16 / w64        RFC 7440 windows, where the server ACKs them
#   40 clients 64M bs1468       40 curl at once, the same file
#   10M +20ms / +20ms+2%loss    through bench/udprelay.py, lock-step and w16
#   SAS probe                   85-block file, every ACK sent twice: DATA dups
# Lock-step over the +20 ms path is capped (STEP_CAP); its rate counts the
# bytes received by then and its wall time reads "capped".
# Printed per variant and server: MB/s, wall seconds, server CPU s per GB
# (cpuacct cgroup: the daemon and everything it forks), and ours/peer.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
bench_init tftp "$@"

# Lock-step over +20 ms cannot beat 1 block per RTT (10 MB = 143 s), so it is
# capped and its rate measured on the bytes it got; windowed runs to the end.
# Single-client loopback runs are repeated LOOP_REPS times (median wall).
BIG_MB=64 PATH_MB=10 CLIENTS=40 STEP_CAP=30 WINDOW_CAP=150 LOOP_REPS=3
[ "$BENCH_QUICK" = 1 ] && BIG_MB=16 PATH_MB=2 CLIENTS=10 STEP_CAP=10 WINDOW_CAP=40 LOOP_REPS=1
BSMAX=65464          # the largest RFC 2348 blksize; loopback's MTU allows it
DELAY_MS=10          # each way: +20 ms round trip
LOSS=2
TFTPC="python3 $BENCH_SRC/bench/tftpc.py"
RELAY="python3 $BENCH_SRC/bench/udprelay.py"

ROOT=$BENCH_TMP/root
mkdir -p "$ROOT"
head -c $((BIG_MB << 20)) /dev/urandom >"$ROOT/big"
head -c $((PATH_MB << 20)) /dev/urandom >"$ROOT/path"
head -c $((85 * 512 - 100)) /dev/urandom >"$ROOT/sas"   # 85 blocks of 512
chmod 755 "$ROOT" && chmod 644 "$ROOT"/*
SHA_BIG=$(sha256sum <"$ROOT/big" | cut -d' ' -f1)
SHA_PATH=$(sha256sum <"$ROOT/path" | cut -d' ' -f1)

bench_netns
OURS=$(bench_ours pxe-tftpd tftpd)

# name port command... ; dnsmasq's TFTP port is fixed at 69.
declare -A PORT=([ours]=6901 [in.tftpd]=6902 [atftpd]=6903 [dnsmasq]=69)
SERVERS=()
start_servers() {
	if [ -n "$OURS" ] && bench_wanted ours; then
		bench_start ours "$OURS" -L -s "$ROOT" -a 127.0.0.1:${PORT[ours]} -u nobody
		SERVERS+=(ours)
	fi
	if bench_wanted in.tftpd; then
		bench_start in.tftpd "$PEER/in.tftpd" -L -s "$ROOT" -a 127.0.0.1:${PORT[in.tftpd]} -u nobody
		SERVERS+=(in.tftpd)
	fi
	if bench_wanted atftpd; then
		bench_start atftpd "$PEER/atftpd" --daemon --no-fork --port ${PORT[atftpd]} \
			--bind-address 127.0.0.1 --user nobody --group nogroup \
			--logfile /dev/null -m 200 "$ROOT"
		SERVERS+=(atftpd)
	fi
	if bench_wanted dnsmasq; then
		bench_start dnsmasq "$PEER/dnsmasq" -k -C /dev/null -p 0 --enable-tftp \
			--tftp-root="$ROOT" --listen-address=127.0.0.1 --bind-interfaces \
			-u nobody -x "$BENCH_TMP/dnsmasq.pid" --tftp-max=200 --log-facility=/dev/null
		SERVERS+=(dnsmasq)
	fi
	local s
	for s in "${SERVERS[@]}"; do
		bench_wait_port udp "${PORT[$s]}" || bench_die "$s did not start: $(cat "$BENCH_TMP/$s.log")"
	done
}

# field KEY LINE: value of KEY=... in a tftpc.py result line.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# record VARIANT SERVER BYTES SECS CPU [DONE [CPU_BYTES]]: CPU_BYTES is
# what the CPU time was spent on (all repetitions), BYTES by default.
record() {
	local v=$1 s=$2 bytes=$3 secs=$4 cpu=$5 done=${6:-1} cpu_bytes=${7:-$3}
	bench_record "$v" "$s" MBps "$(calc "$bytes / 1048576 / $secs")"
	if [ "$done" = 1 ]; then
		bench_record "$v" "$s" wall_s "$secs"
	else
		bench_record "$v" "$s" wall_s "capped"
	fi
	bench_record "$v" "$s" cpu_s_per_GB "$(calc "$cpu / ($cpu_bytes / 1e9)")"
}

na() { local m; for m in MBps wall_s cpu_s_per_GB; do bench_record "$1" "$2" "$m" "$3"; done; }

# one VARIANT SERVER PORT FILE SHA CAP tftpc-options...: $REPS transfers
# (REPS=1 unless set); wall = the median, CPU per GB over all of them.
one() {
	local v=$1 s=$2 port=$3 file=$4 sha=$5 cap=$6 c0 out ws r secs=() bytes=0
	shift 6
	ws=$(sed -n 's/.*--windowsize \([0-9]*\).*/\1/p' <<<"$*")
	c0=$(bench_cpu "$s")
	for ((r = 0; r < ${REPS:-1}; r++)); do
		out=$(bench_in $TFTPC 127.0.0.1 "$port" "$file" --sha "$sha" --cap "$cap" "$@" 2>&1)
		bench_log "$v $s: $out"
		if [ -z "$(field bytes "$out")" ] || [ "$(field 'done' "$out")$(field ok "$out")" = 10 ]; then
			na "$v" "$s" "error"
			return
		elif [ -n "$ws" ] && ! grep -q "windowsize:$ws" <<<"$(field oack "$out")"; then
			na "$v" "$s" "n/a"        # the server did not acknowledge windowsize
			return
		fi
		secs+=("$(field secs "$out")")
		bytes=$((bytes + $(field bytes "$out")))
	done
	bench_record "$v" "$s" oack "$(field oack "$out")"
	local median
	median=$(printf '%s\n' "${secs[@]}" | sort -g | sed -n "$(((${#secs[@]} + 1) / 2))p")
	record "$v" "$s" $((bytes / ${#secs[@]})) "$median" "$(calc "$(bench_cpu "$s") - $c0")" \
		"$(field 'done' "$out")" "$bytes"
}

loopback_variants() {
	local s v bs ws REPS=$LOOP_REPS
	for s in "${SERVERS[@]}"; do
		for bs in 512 1468 $BSMAX; do
			v="${BIG_MB}M bs$bs w1"
			[ $bs = $BSMAX ] && v="${BIG_MB}M bsmax w1"
			one "$v" "$s" "${PORT[$s]}" big "$SHA_BIG" 300 --blksize $bs
		done
		for ws in 16 64; do
			one "${BIG_MB}M bs1468 w$ws" "$s" "${PORT[$s]}" big "$SHA_BIG" 300 \
				--blksize 1468 --windowsize $ws
		done
	done
}

# many SERVER: $CLIENTS curl fetch the big file at once.
many() {
	local s=$1 v="$CLIENTS clients ${BIG_MB}M bs1468" c0 t0 t1 i pids=() bad=0
	c0=$(bench_cpu "$s")
	t0=$(bench_now)
	for ((i = 0; i < CLIENTS; i++)); do
		bench_in curl -s --max-time 600 --tftp-blksize 1468 -o /dev/null \
			-w '%{size_download}\n' "tftp://127.0.0.1:${PORT[$s]}/big" >"$BENCH_TMP/many.$i" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i"; done
	t1=$(bench_now)
	for ((i = 0; i < CLIENTS; i++)); do
		[ "$(cat "$BENCH_TMP/many.$i")" = $((BIG_MB << 20)) ] || bad=$((bad + 1))
	done
	bench_log "$v $s: $(calc "$t1 - $t0") s, $bad short transfers"
	if [ $bad -gt 0 ]; then
		na "$v" "$s" "${bad}short"
		return
	fi
	record "$v" "$s" $((CLIENTS * (BIG_MB << 20))) "$(calc "$t1 - $t0")" \
		"$(calc "$(bench_cpu "$s") - $c0")"
}

# path SERVER INDEX: the 10 MB file through the impairing relay; a fresh
# relay port for each run, so no packet can reach a relay left from before.
path_variants() {
	local s=$1 relay_port=$((7000 + 2 * $2)) name loss rpid
	for loss in 0 $LOSS; do
		name="+$((2 * DELAY_MS))ms"
		[ "$loss" != 0 ] && name="$name+${loss}%loss"
		bench_in $RELAY $relay_port "${PORT[$s]}" --delay-ms $DELAY_MS --loss "$loss" &
		rpid=$!
		BENCH_PIDS+=("$rpid")
		bench_wait_port udp $relay_port
		one "${PATH_MB}M $name w1" "$s" $relay_port path "$SHA_PATH" $STEP_CAP --blksize 1468
		one "${PATH_MB}M $name w16" "$s" $relay_port path "$SHA_PATH" $WINDOW_CAP \
			--blksize 1468 --windowsize 16
		kill "$rpid"
		wait "$rpid" 2>/dev/null
		relay_port=$((relay_port + 1))
	done
}

sas_probe() {
	local s=$1 out
	out=$(bench_in $TFTPC 127.0.0.1 "${PORT[$s]}" sas --dup-acks --cap 60 2>&1)
	bench_log "SAS $s: $out"
	bench_record "SAS probe (85 blocks, ACKs doubled)" "$s" dup_DATA "$(field dups "$out")"
	bench_record "SAS probe (85 blocks, ACKs doubled)" "$s" DATA_sent "$(field data "$out")"
}

start_servers
bench_log "servers: ${SERVERS[*]}; big=${BIG_MB}M path=${PATH_MB}M clients=$CLIENTS"
loopback_variants
for s in "${SERVERS[@]}"; do many "$s"; done
for i in "${!SERVERS[@]}"; do path_variants "${SERVERS[$i]}" "$i"; done
for s in "${SERVERS[@]}"; do sas_probe "$s"; done
for s in "${SERVERS[@]}"; do
	bench_record "idle after run" "$s" PSS_kB "$(bench_pss_kb "$s")"
done

echo "# TFTP bench $(date -u '+%F %R UTC'), ours=${OURS:-absent}"
echo "# loopback in a private netns; path: +$((2 * DELAY_MS)) ms RTT via udprelay.py, loss $LOSS % each way"
bench_table cpu_s_per_GB "Server CPU seconds per GB (target: ours <= 1/2 best peer)" low
bench_table MBps "Throughput MB/s (target: bs1468 w16 >= 1.5x atftpd)" high
bench_table wall_s "Wall seconds (target: 40 clients <= best peer; 2% loss w16 <= 1/2 atftpd)" low
bench_table dup_DATA "Sorcerer's Apprentice: duplicate DATA (target: 0)" low
bench_table DATA_sent "Sorcerer's Apprentice: DATA packets received" low
bench_table oack "Options the server acknowledged (bsmax asks 65464)" info
bench_table PSS_kB "Server PSS after the run, kB" low
