#!/bin/bash
# TFTP bench: our pxe-tftpd against tftpd-hpa's in.tftpd, atftpd and
# dnsmasq's TFTP, in one run, same files, same clients, all on the loopback
# of a private network namespace.
#
#   bench/tftp.sh [--build DIR] [--quick] [--out FILE] [--only ours,in.tftpd,...]
#
# Variants (issue 3, Benchmark):
#   64M bs512/bs1468/bsmax w1   lock-step, one client (bench/tftpc.py)
#   64M bs1468 w16 / w64        RFC 7440 windows, where the server ACKs them;
#                               again with atftp's C client ("atftp client")
#   64M bs512/bs1468/bsmax w1/w16/w64 tftpget
#                               the same file with bench/tftpget.c, a C client
#                               that batches its receives (cc -O2 here), so a
#                               windowed rate is the server's, not the client's
#   40 clients 64M bs1468       40 curl at once, the same file
#   10M +20ms / +20ms+2%loss    through bench/udprelay.py, lock-step and w16
#   SAS probe                   85-block file, every ACK sent twice: DATA dups
# In the lock-step rows a "floor" column (bench/tftpfloor.c, compiled here
# with cc -O2) is not a server: the least CPU a lock-step sender spends per
# block (blocking send/recv, the file in memory); "ours/floor" = our excess.
# "floor-epoll" is the same waiting in epoll_wait first, as an event loop.
# "floor" also runs the windowed tftpget rows: one sendmmsg per window
# straight from memory, no UDP GSO (at bsmax: a sender copying each byte
# once; at smaller blocks ours' GSO makes it no floor).
# In the 40-client row the floors are tftpfloor's two designs for many
# transfers at once: "floor-threads" (-t, a blocking thread per transfer)
# and "floor-epoll" (-e, one thread, one epoll over all the transfers).
# Lock-step over the +20 ms path is capped (STEP_CAP); its rate counts the
# bytes received by then and its wall time reads "capped".
# Printed per variant and server: MB/s, wall seconds, server CPU s per GB
# (cpuacct cgroup: the daemon and everything it forks), and ours/peer.
# Servers and clients run in two cpu cgroups of equal weight (lib.sh
# bench_cpu_split): a forking server gets no more CPU than a one-process one.
# Repeated variants run the servers in turn (rep 1 of each, rep 2 of each...)
# so a swing in the machine's load hits all of them alike; medians printed.
#   TFTP_PARTS="loop many path sas"   the parts to run (default: all)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
bench_init tftp "$@"
bench_cpu_split

# Lock-step over +20 ms cannot beat 1 block per RTT (10 MB = 143 s), so it is
# capped and its rate measured on the bytes it got; windowed runs to the end.
# Single-client loopback runs are repeated LOOP_REPS times, the 40 clients
# MANY_REPS times: medians, and the CPU/GB spread (min-max) of the reps.
BIG_MB=64 PATH_MB=10 CLIENTS=40 STEP_CAP=30 WINDOW_CAP=150 LOOP_REPS=5 MANY_REPS=3
[ "$BENCH_QUICK" = 1 ] && BIG_MB=16 PATH_MB=2 CLIENTS=10 STEP_CAP=10 WINDOW_CAP=40 LOOP_REPS=1 MANY_REPS=1
PARTS=" ${TFTP_PARTS:-loop many path sas} "
BSMAX=65464          # the largest RFC 2348 blksize; loopback's MTU allows it
DELAY_MS=10          # each way: +20 ms round trip
LOSS=2
SEED=1               # udprelay.py's drop pattern: the same for every server
TFTPC="python3 $BENCH_SRC/bench/tftpc.py"
RELAY="python3 $BENCH_SRC/bench/udprelay.py"
TFTPGET=$BENCH_TMP/tftpget
if ! cc -O2 -o "$TFTPGET" "$BENCH_SRC/bench/tftpget.c"; then
	bench_log "NOTE: bench/tftpget.c did not compile; its rows skipped"
	TFTPGET=
fi

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
declare -A PORT=([ours]=6901 [in.tftpd]=6902 [atftpd]=6903 [dnsmasq]=69 [floor]=6904 [floor-epoll]=6905
	[floor-threads]=6906)
SERVERS=()
FLOOR=()             # the floors when they run: lock-step rows (floor: windowed tftpget too), not in SERVERS
MANY_FLOOR=()        # the floors of the 40-client row
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
	if bench_wanted floor &&
		cc -O2 -pthread -o "$BENCH_TMP/tftpfloor" "$BENCH_SRC/bench/tftpfloor.c"; then
		bench_start floor "$BENCH_TMP/tftpfloor" 127.0.0.1 ${PORT[floor]} "$ROOT" big
		bench_start floor-epoll "$BENCH_TMP/tftpfloor" -e 127.0.0.1 ${PORT[floor-epoll]} "$ROOT" big
		bench_start floor-threads "$BENCH_TMP/tftpfloor" -t 127.0.0.1 ${PORT[floor-threads]} \
			"$ROOT" big
		FLOOR=(floor floor-epoll)
		MANY_FLOOR=(floor-threads floor-epoll)
	fi
	local s
	for s in "${SERVERS[@]}" "${FLOOR[@]}" "${MANY_FLOOR[@]}"; do
		bench_wait_port udp "${PORT[$s]}" || bench_die "$s did not start: $(cat "$BENCH_TMP/$s.log")"
	done
}

# field KEY LINE: value of KEY=... in a tftpc.py result line.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# Per "VARIANT|SERVER": space-separated figures of each repetition, and a
# STATE (error, n/a) that ends the variant for that server.
declare -A SECS CPUGB CLIGB RATE DONE OACK STATE

# add KEY SECS BYTES CPU_SECONDS DONE [CLIENT_CPU_SECONDS]: one repetition.
add() {
	local k=$1
	SECS[$k]+="$2 "
	RATE[$k]+="$(calc "$3 / 1048576 / $2") "
	CPUGB[$k]+="$(calc "$4 / ($3 / 1e9)") "
	DONE[$k]=$5
	[ -n "${6:-}" ] && CLIGB[$k]+="$(calc "$6 / ($3 / 1e9)") "
	return 0
}

# stats LIST: "median min max" of the numbers in LIST.
stats() {
	tr ' ' '\n' <<<"$1" | grep . | sort -g |
		awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)], v[1], v[NR] }'
}

na() { local m; for m in MBps wall_s cpu_s_per_GB; do bench_record "$1" "$2" "$m" "$3"; done; }

# finish VARIANT SERVER: record the medians (and the spread) of its reps.
finish() {
	local v=$1 s=$2 k="$1|$2" med lo hi
	if [ -n "${STATE[$k]:-}" ] || [ -z "${SECS[$k]:-}" ]; then
		na "$v" "$s" "${STATE[$k]:-error}"
		return
	fi
	[ -n "${OACK[$k]:-}" ] && bench_record "$v" "$s" oack "${OACK[$k]}"
	read -r med lo hi <<<"$(stats "${RATE[$k]}")"
	bench_record "$v" "$s" MBps "$med"
	read -r med lo hi <<<"$(stats "${SECS[$k]}")"
	if [ "${DONE[$k]}" = 1 ]; then bench_record "$v" "$s" wall_s "$med"; else bench_record "$v" "$s" wall_s capped; fi
	read -r med lo hi <<<"$(stats "${CPUGB[$k]}")"
	bench_record "$v" "$s" cpu_s_per_GB "$med"
	[ "$(wc -w <<<"${SECS[$k]}")" -gt 1 ] &&
		bench_record "$v" "$s" cpu_spread "$(awk "BEGIN { printf \"%.3g-%.3g\", $lo, $hi }")"
	if [ -n "${CLIGB[$k]:-}" ]; then
		read -r med lo hi <<<"$(stats "${CLIGB[$k]}")"
		bench_record "$v" "$s" client_cpu_s_per_GB "$med"
	fi
	return 0
}

# record KEY WS OUT CPU_SECONDS CLIENT_CPU_SECONDS: one transfer's result
# line OUT (tftpc.py's keys) into KEY's figures, or its STATE: error, or n/a
# when windowsize WS was asked and not acknowledged.
record() {
	local k=$1 ws=$2 out=$3
	if [ -z "$(field bytes "$out")" ] || [ "$(field 'done' "$out")$(field ok "$out")" = 10 ]; then
		STATE[$k]=error
	elif [ -n "$ws" ] && ! grep -q "windowsize:$ws" <<<"$(field oack "$out")"; then
		STATE[$k]=n/a        # the server did not acknowledge windowsize
	else
		OACK[$k]=$(field oack "$out")
		add "$k" "$(field secs "$out")" "$(field bytes "$out")" "$4" "$(field 'done' "$out")" "$5"
	fi
}

# one VARIANT SERVER PORT FILE SHA CAP tftpc-options...: one transfer.
one() {
	local v=$1 s=$2 port=$3 file=$4 sha=$5 cap=$6 k="$1|$2" c0 cc0 out ws
	shift 6
	[ -n "${STATE[$k]:-}" ] && return
	ws=$(sed -n 's/.*--windowsize \([0-9]*\).*/\1/p' <<<"$*")
	c0=$(bench_cpu "$s") cc0=$(bench_cpu clients)
	out=$(bench_in $TFTPC 127.0.0.1 "$port" "$file" --sha "$sha" --cap "$cap" "$@" 2>&1)
	bench_log "$v $s: $out"
	record "$k" "$ws" "$out" "$(calc "$(bench_cpu "$s") - $c0")" \
		"$(calc "$(bench_cpu clients) - $cc0")"
}

# get_one VARIANT SERVER BLKSIZE WINDOW: the big file with tftpget (windowsize
# asked only above 1, as tftpc.py's lock-step rows); the file it wrote is
# sha256-checked after the CPU is read, as atftp's.
get_one() {
	local v=$1 s=$2 k="$1|$2" ws="" c0 cc0 cpu ccpu out ok got=$BENCH_TMP/tftpget.out
	[ -n "${STATE[$k]:-}" ] && return
	[ "$4" -gt 1 ] && ws=$4
	rm -f "$got"
	c0=$(bench_cpu "$s") cc0=$(bench_cpu clients)
	out=$(bench_in "$TFTPGET" -b "$3" ${ws:+-w "$ws"} -c 300 -o "$got" \
		127.0.0.1 "${PORT[$s]}" big 2>&1)
	cpu=$(calc "$(bench_cpu "$s") - $c0") ccpu=$(calc "$(bench_cpu clients) - $cc0")
	ok=0
	[ "$(sha256sum <"$got" | cut -d' ' -f1)" = "$SHA_BIG" ] && ok=1
	out+=" ok=$ok"
	bench_log "$v $s: $out"
	record "$k" "$ws" "$out" "$cpu" "$ccpu"
}

# atftp_one SERVER WINDOW: the big file with atftp's C client, where the
# tftpc.py run of the same variant saw the server acknowledge the window.
atftp_one() {
	local s=$1 ws=$2 v="${BIG_MB}M bs1468 w$2 atftp client" c0 cc0 t0 t1 out=$BENCH_TMP/atftp.out
	local k="$v|$s"
	[ -n "${STATE[$k]:-}" ] && return
	if ! grep -q "windowsize:$ws" <<<"${OACK[${BIG_MB}M bs1468 w$ws|$s]:-}"; then
		STATE[$k]=n/a
		return
	fi
	rm -f "$out"
	c0=$(bench_cpu "$s") cc0=$(bench_cpu clients)
	t0=$(bench_now)
	bench_in atftp --option "blksize 1468" --option "windowsize $ws" -g -r big -l "$out" \
		127.0.0.1 "${PORT[$s]}" >"$BENCH_TMP/atftp.log" 2>&1
	t1=$(bench_now)
	if [ "$(sha256sum <"$out" | cut -d' ' -f1)" != "$SHA_BIG" ]; then
		bench_log "$v $s: bytes differ: $(cat "$BENCH_TMP/atftp.log")"
		STATE[$k]=error
		return
	fi
	bench_log "$v $s: $(calc "$t1 - $t0") s"
	add "$k" "$(calc "$t1 - $t0")" $((BIG_MB << 20)) "$(calc "$(bench_cpu "$s") - $c0")" 1 \
		"$(calc "$(bench_cpu clients) - $cc0")"
}

# bsname BLKSIZE: its name in a variant: bs512, bs1468, bsmax.
bsname() { if [ "$1" = $BSMAX ]; then echo bsmax; else echo "bs$1"; fi; }

LOCKSTEP_VARIANTS=("${BIG_MB}M bs512 w1" "${BIG_MB}M bs1468 w1" "${BIG_MB}M bsmax w1")
LOOP_VARIANTS=("${LOCKSTEP_VARIANTS[@]}" "${BIG_MB}M bs1468 w16" "${BIG_MB}M bs1468 w64"
	"${BIG_MB}M bs1468 w16 atftp client" "${BIG_MB}M bs1468 w64 atftp client")
TFTPGET_WINDOWS=(1 16 64)
FLOOR_WINDOWS=(16 64)   # the windowed tftpget rows the floor runs
FLOOR_WINDOWED_VARIANTS=()
if [ -n "$TFTPGET" ]; then
	for bs in 512 1468 $BSMAX; do
		for ws in "${TFTPGET_WINDOWS[@]}"; do
			LOOP_VARIANTS+=("${BIG_MB}M $(bsname $bs) w$ws tftpget")
		done
		for ws in "${FLOOR_WINDOWS[@]}"; do
			FLOOR_WINDOWED_VARIANTS+=("${BIG_MB}M $(bsname $bs) w$ws tftpget")
		done
	done
fi

# lockstep_variants SERVER: the big file, one client, windowsize 1.
lockstep_variants() {
	local s=$1 bs
	for bs in 512 1468 $BSMAX; do
		one "${BIG_MB}M $(bsname $bs) w1" "$s" "${PORT[$s]}" big "$SHA_BIG" 300 --blksize $bs
	done
}

# tftpget_variants SERVER [WINDOW...]: the big file with tftpget, every
# blksize, each WINDOW (default: all of TFTPGET_WINDOWS).
tftpget_variants() {
	local s=$1 bs ws windows=("${TFTPGET_WINDOWS[@]}")
	[ -n "$TFTPGET" ] || return 0
	[ $# -gt 1 ] && windows=("${@:2}")
	for bs in 512 1468 $BSMAX; do
		for ws in "${windows[@]}"; do
			get_one "${BIG_MB}M $(bsname $bs) w$ws tftpget" "$s" $bs $ws
		done
	done
}

# loopback_variants: LOOP_REPS rounds, each server in turn in each round
# (the floors last: lock-step, and floor the windowed tftpget rows).
loopback_variants() {
	local r s v ws
	for ((r = 0; r < LOOP_REPS; r++)); do
		for s in "${SERVERS[@]}"; do
			lockstep_variants "$s"
			for ws in 16 64; do
				one "${BIG_MB}M bs1468 w$ws" "$s" "${PORT[$s]}" big "$SHA_BIG" 300 \
					--blksize 1468 --windowsize $ws
				atftp_one "$s" $ws
			done
			tftpget_variants "$s"
		done
		for s in "${FLOOR[@]}"; do lockstep_variants "$s"; done
		[ ${#FLOOR[@]} -gt 0 ] && tftpget_variants floor "${FLOOR_WINDOWS[@]}"
	done
	for v in "${LOOP_VARIANTS[@]}"; do
		for s in "${SERVERS[@]}"; do finish "$v" "$s"; done
	done
	for v in "${LOCKSTEP_VARIANTS[@]}"; do
		for s in "${FLOOR[@]}"; do finish "$v" "$s"; done
	done
	[ ${#FLOOR[@]} -gt 0 ] && for v in "${FLOOR_WINDOWED_VARIANTS[@]}"; do finish "$v" floor; done
	return 0
}

# udp_counters: "OutDatagrams RcvbufErrors" of the namespace (all sockets).
udp_counters() {
	bench_in awk '$1 == "Udp:" { if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["OutDatagrams"], $c["RcvbufErrors"] }' /proc/net/snmp
}

# many_once SERVER: $CLIENTS curl fetch the big file at once. The bench's
# cpu group weighs as the clients plus one server would without groups.
# Datagrams per block (DATA + ACK: 2 without resends) and receive-buffer
# drops come from the namespace's UDP counters.
MANY="$CLIENTS clients ${BIG_MB}M bs1468"
declare -A PERBLOCK RCVBUF
many_once() {
	local s=$1 k="$MANY|$1" c0 cc0 t0 t1 i pids=() bad=0 out0 rcv0 out1 rcv1
	[ -n "${STATE[$k]:-}" ] && return
	bench_cpu_weight $((CLIENTS + 1))
	read -r out0 rcv0 <<<"$(udp_counters)"
	c0=$(bench_cpu "$s") cc0=$(bench_cpu clients)
	t0=$(bench_now)
	for ((i = 0; i < CLIENTS; i++)); do
		bench_in curl -s --max-time 600 --tftp-blksize 1468 -o /dev/null \
			-w '%{size_download}\n' "tftp://127.0.0.1:${PORT[$s]}/big" >"$BENCH_TMP/many.$i" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i"; done
	t1=$(bench_now)
	bench_cpu_weight 2
	read -r out1 rcv1 <<<"$(udp_counters)"
	PERBLOCK[$s]+="$(calc "($out1 - $out0) / ($CLIENTS * (int($BIG_MB * 1048576 / 1468) + 1))") "
	RCVBUF[$s]+="$((rcv1 - rcv0)) "
	for ((i = 0; i < CLIENTS; i++)); do
		[ "$(cat "$BENCH_TMP/many.$i")" = $((BIG_MB << 20)) ] || bad=$((bad + 1))
	done
	bench_log "$MANY $s: $(calc "$t1 - $t0") s, $bad short transfers"
	if [ $bad -gt 0 ]; then
		STATE[$k]="${bad}short"
		return
	fi
	add "$k" "$(calc "$t1 - $t0")" $((CLIENTS * (BIG_MB << 20))) \
		"$(calc "$(bench_cpu "$s") - $c0")" 1 "$(calc "$(bench_cpu clients) - $cc0")"
}

# many_variants: MANY_REPS rounds, each server in turn, then the floors.
many_variants() {
	local r s
	for ((r = 0; r < MANY_REPS; r++)); do
		for s in "${SERVERS[@]}" "${MANY_FLOOR[@]}"; do many_once "$s"; done
	done
	for s in "${SERVERS[@]}" "${MANY_FLOOR[@]}"; do
		finish "$MANY" "$s"
		bench_record "$MANY" "$s" udp_per_block "$(stats "${PERBLOCK[$s]}" | cut -d' ' -f1)"
		bench_record "$MANY" "$s" rcvbuf_drops "$(stats "${RCVBUF[$s]}" | cut -d' ' -f1)"
	done
}

# path SERVER INDEX: the 10 MB file through the impairing relay; a fresh
# relay port for each run, so no packet can reach a relay left from before.
path_variants() {
	local s=$1 relay_port=$((7000 + 2 * $2)) name loss rpid w
	for loss in 0 $LOSS; do
		name="+$((2 * DELAY_MS))ms"
		[ "$loss" != 0 ] && name="$name+${loss}%loss"
		bench_in $RELAY $relay_port "${PORT[$s]}" --delay-ms $DELAY_MS --loss "$loss" \
			--seed $SEED &
		rpid=$!
		BENCH_PIDS+=("$rpid")
		bench_wait_port udp $relay_port
		one "${PATH_MB}M $name w1" "$s" $relay_port path "$SHA_PATH" $STEP_CAP --blksize 1468
		one "${PATH_MB}M $name w16" "$s" $relay_port path "$SHA_PATH" $WINDOW_CAP \
			--blksize 1468 --windowsize 16
		for w in w1 w16; do finish "${PATH_MB}M $name $w" "$s"; done
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
[[ $PARTS == *" loop "* ]] && loopback_variants
[[ $PARTS == *" many "* ]] && many_variants
if [[ $PARTS == *" path "* ]]; then
	for i in "${!SERVERS[@]}"; do path_variants "${SERVERS[$i]}" "$i"; done
fi
if [[ $PARTS == *" sas "* ]]; then
	for s in "${SERVERS[@]}"; do sas_probe "$s"; done
fi
for s in "${SERVERS[@]}"; do
	bench_record "idle after run" "$s" PSS_kB "$(bench_pss_kb "$s")"
	bench_record "idle after run" "$s" PSS_anon_kB "$(bench_pss_kb "$s" Pss_Anon)"
done

echo "# TFTP bench $(date -u '+%F %R UTC'), ours=${OURS:-absent}"
echo "# loopback in a private netns; path: +$((2 * DELAY_MS)) ms RTT via udprelay.py, loss $LOSS % each way (seed $SEED)"
echo "# servers and clients in cpu cgroups of equal weight; medians of $LOOP_REPS (loopback) and $MANY_REPS (40 clients) rounds"
[ ${#FLOOR[@]} -gt 0 ] && [[ $PARTS == *" loop "* ]] &&
	echo "# floor: not a server, the least CPU a lock-step sender spends (bench/tftpfloor.c; w1 rows, and windowed tftpget rows: one sendmmsg per window from memory, no GSO); floor-epoll: the same waiting in epoll_wait (w1 rows)"
[ ${#MANY_FLOOR[@]} -gt 0 ] && [[ $PARTS == *" many "* ]] &&
	echo "# $CLIENTS clients, floors (not servers, bench/tftpfloor.c): floor-threads = a blocking thread per transfer; floor-epoll = one thread, one epoll for all"
bench_table cpu_s_per_GB "Server CPU seconds per GB (target: ours <= 1/2 best peer)" low
bench_table cpu_spread "Server CPU seconds per GB: min-max of the rounds" info
bench_table client_cpu_s_per_GB "Client CPU seconds per GB (the clients' cgroup; over the path it includes udprelay.py)" info
bench_table MBps "Throughput MB/s (target: bs1468 w16 >= 1.5x atftpd)" high
bench_table wall_s "Wall seconds (target: 40 clients <= best peer; 2% loss w16 <= 1/2 atftpd)" low
bench_table udp_per_block "UDP datagrams per block, all sockets (2 = no resends)" low
bench_table rcvbuf_drops "UDP receive-buffer drops, all sockets" low
bench_table dup_DATA "Sorcerer's Apprentice: duplicate DATA (target: 0)" low
bench_table DATA_sent "Sorcerer's Apprentice: DATA packets received" low
bench_table oack "Options the server acknowledged (bsmax asks 65464)" info
bench_table PSS_kB "Server PSS after the run, kB" low
bench_table PSS_anon_kB "Server PSS after the run without mapped files (Pss_Anon), kB" low
