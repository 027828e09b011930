#!/bin/bash
# FTP bench: our pxe-ftpd against vsftpd and pure-ftpd, in one run, same
# tree, same clients, on the loopback of a private network namespace.
#
#   bench/ftp.sh [--build DIR] [--quick] [--out FILE] [--only ours,vsftpd,pure-ftpd,floor]
#
# Variants (issue 5, Benchmark):
#   256M x1 / x40            curl RETR of one big file, alone and 40 at once
#   2000 files lftp x1 / x8  lftp mirror, one session / --parallel=8
#   2000 files curl x1 / x8  curl's per-file EPSV/TYPE I/SIZE/RETR, replayed
#                            by ftpload.py (curl 7.88 itself stalls 1 s per
#                            file on a reused session), 1 session / 8 of 250
#   200 logins               anonymous login + QUIT in a row (ftpload.py)
#   500 idle sessions        PSS added per logged-in idle session
#   300 at once              connections opened together: greeted, SYN drops
# A "floor" column (bench/ftpfloor.c, compiled here: cc -O2 -pthread) is not a
# server: the least CPU a server spends on these sequences (a thread per
# session, blocking I/O, blocking sendfile, nothing else); it runs the big
# file, curl's sequence and the logins, after the servers; "ours/floor" is
# our excess over it. The best peer is still vsftpd or pure-ftpd.
# "floor-epoll" is the same waiting in epoll_wait before each command's
# read, as an event loop does.
# Server CPU is the cpuacct cgroup of the daemon and every process it forks
# (vsftpd's and pure-ftpd's per-session processes included, reaped or not).
# Servers and clients get equal CPU weight (lib.sh bench_cpu_split): a
# one-process server is not starved by 40 client processes, as it would
# not be on its own machine. The clients' CPU is counted too: on loopback
# the receiving side's TCP work runs in whichever process happens to send
# or read, so for the big file the sum of both is shown beside the server's.
# FTP_CC=reno|bbr sets the namespace's TCP congestion control (it starts
# with the host's): BBR paces, and its pacing timer's segments leave in
# whichever task is on the CPU, which moves CPU between server and clients
# (ftpd/README.md). The header prints the one used.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
bench_init ftp "$@"

BIG_MB=256 MANY=40 FILES=2000 LOGINS=200 IDLE=500 BURST=300
[ "$BENCH_QUICK" = 1 ] && BIG_MB=32 MANY=10 FILES=400 LOGINS=50 IDLE=100 BURST=100
LOAD="python3 $BENCH_SRC/bench/ftpload.py"

ROOT=$BENCH_TMP/root
mkdir -p "$ROOT/pub/small" "$BENCH_TMP/empty"
head -c $((BIG_MB << 20)) /dev/urandom >"$ROOT/pub/big"
python3 - "$ROOT/pub/small" "$FILES" <<'EOF'
import os, random, sys
rand = random.Random(7)
for i in range(int(sys.argv[2])):   # rpm-ish sizes, 100 B .. 16 kB
    with open(os.path.join(sys.argv[1], "f%04d.rpm" % i), "wb") as out:
        out.write(os.urandom(rand.randint(100, 16000)))
EOF
chmod -R a+rX,go-w "$ROOT"

bench_netns
[ -n "${FTP_CC:-}" ] && { ip netns exec "$BNS" sysctl -qw net.ipv4.tcp_congestion_control="$FTP_CC" ||
	bench_die "congestion control $FTP_CC not allowed here"; }
CC=$(ip netns exec "$BNS" sysctl -n net.ipv4.tcp_congestion_control)
bench_cpu_split
OURS=$(bench_ours pxe-ftpd ftpd)
declare -A PORT=([ours]=2121 [vsftpd]=2122 [pure-ftpd]=2123 [floor]=2124 [floor-epoll]=2125)

# One vsftpd.conf for vsftpd and ours, the port differs. No passive port
# range: CentOS's stock vsftpd.conf sets none, so the kernel picks the port.
vsftpd_conf() {
	local s=$1 conf=$BENCH_TMP/$1.conf
	cat >"$conf" <<-EOF
	listen=YES
	listen_ipv6=NO
	listen_address=127.0.0.1
	listen_port=${PORT[$s]}
	background=NO
	anonymous_enable=YES
	local_enable=NO
	write_enable=NO
	no_anon_password=YES
	anon_root=$ROOT
	ftp_username=ftp
	max_clients=2000
	max_per_ip=2000
	xferlog_enable=NO
	dirmessage_enable=NO
	connect_from_port_20=NO
	use_sendfile=YES
	secure_chroot_dir=$BENCH_TMP/empty
	EOF
	# vsftpd's seccomp sandbox is off: its syscall list predates this kernel.
	[ "$s" = vsftpd ] && echo "seccomp_sandbox=NO" >>"$conf"
	echo "$conf"
}

SERVERS=()
FLOOR=()   # the floors when they run: not servers, left out of SERVERS
start_servers() {
	if [ -n "$OURS" ] && bench_wanted ours; then
		bench_start ours "$OURS" "$(vsftpd_conf ours)"
		SERVERS+=(ours)
	fi
	# vsftpd enters the home of user "ftp" before anon_root, pure-ftpd serves
	# that home: a passwd whose ftp home is the tree, bind-mounted in the
	# private mount namespace that `ip netns exec` gives each server.
	sed "s|^ftp:\([^:]*:[^:]*:[^:]*:[^:]*\):[^:]*:|ftp:\1:$ROOT:|" /etc/passwd >"$BENCH_TMP/passwd"
	grep -q "^ftp:" "$BENCH_TMP/passwd" || bench_die "no system user ftp (vsftpd, pure-ftpd need one)"
	local with_passwd=(sh -c 'mount --bind "$1" /etc/passwd && shift && exec "$@"' sh "$BENCH_TMP/passwd")
	if bench_wanted vsftpd; then
		bench_start vsftpd "${with_passwd[@]}" "$PEER/vsftpd" "$(vsftpd_conf vsftpd)"
		SERVERS+=(vsftpd)
	fi
	if bench_wanted pure-ftpd; then
		bench_start pure-ftpd "${with_passwd[@]}" "$PEER/pure-ftpd" -S 127.0.0.1,${PORT[pure-ftpd]} \
			-e -A -H -4 -c 2000 -C 2000
		SERVERS+=(pure-ftpd)
	fi
	if bench_wanted floor; then
		if cc -O2 -pthread -o "$BENCH_TMP/ftpfloor" "$BENCH_SRC/bench/ftpfloor.c" 2>"$BENCH_TMP/floor.cc"; then
			bench_start floor "$BENCH_TMP/ftpfloor" 127.0.0.1 "${PORT[floor]}" "$ROOT"
			bench_start floor-epoll "$BENCH_TMP/ftpfloor" -e 127.0.0.1 "${PORT[floor-epoll]}" "$ROOT"
			FLOOR=(floor floor-epoll)
		else
			bench_log "NOTE: bench/ftpfloor.c does not compile, no floor: $(head -3 "$BENCH_TMP/floor.cc")"
		fi
	fi
	local s
	for s in "${SERVERS[@]}" "${FLOOR[@]}"; do
		bench_wait_port tcp "${PORT[$s]}" || bench_die "$s did not start: $(cat "$BENCH_TMP/$s.log")"
	done
}

# measure VARIANT SERVER UNITS UNIT CMD...: run CMD (in the namespace), then
# record wall seconds, UNITS per second, server CPU per UNIT and server +
# clients CPU per UNIT.
measure() {
	local v=$1 s=$2 units=$3 unit=$4 c0 k0 t0 t1 cpu m
	shift 4
	sleep 0.3
	c0=$(bench_cpu "$s")
	k0=$(bench_cpu clients)
	t0=$(bench_now)
	if ! "$@" >"$BENCH_TMP/client.out" 2>&1; then
		bench_log "$v $s: client error: $(tail -2 "$BENCH_TMP/client.out")"
		for m in wall_s "${unit}_per_s" "cpu_ms_per_$unit" "cpu_ms_per_${unit}_with_clients"; do bench_record "$v" "$s" $m error; done
		return
	fi
	t1=$(bench_now)
	sleep 0.5   # per-session processes finish exiting
	cpu=$(calc "$(bench_cpu "$s") - $c0")
	bench_log "$v $s: $(calc "$t1 - $t0") s wall, $cpu s CPU $(tail -1 "$BENCH_TMP/client.out")"
	bench_record "$v" "$s" wall_s "$(calc "$t1 - $t0")"
	bench_record "$v" "$s" "${unit}_per_s" "$(calc "$units / ($t1 - $t0)")"
	bench_record "$v" "$s" "cpu_ms_per_$unit" "$(calc "1000 * $cpu / $units")"
	bench_record "$v" "$s" "cpu_ms_per_${unit}_with_clients" \
		"$(calc "1000 * ($cpu + $(bench_cpu clients) - $k0) / $units")"
}

# curls N URL: N curl fetch URL at once; fails unless every size is right.
curls() {
	local n=$1 url=$2 i bad=0 pids=()
	for ((i = 0; i < n; i++)); do
		bench_in curl -s --max-time 600 -o /dev/null -w '%{size_download}\n' "$url" >"$BENCH_TMP/curl.$i" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i"; done
	for ((i = 0; i < n; i++)); do
		[ "$(cat "$BENCH_TMP/curl.$i")" = $((BIG_MB << 20)) ] || bad=$((bad + 1))
	done
	echo "short=$bad"
	[ $bad = 0 ]
}

# curlseq_sessions N: the small files split over N sessions of ftpload.py's
# replay of curl's per-file commands (EPSV, TYPE I, SIZE, RETR).
curlseq_sessions() {
	local s=$1 n=$2 i pids=() rc=0
	rm -f "$BENCH_TMP"/list.*
	(cd "$ROOT/pub/small" && ls) | awk -v n="$n" -v d="$BENCH_TMP" '{ print > (d "/list." (NR % n)) }'
	for ((i = 0; i < n; i++)); do
		bench_in $LOAD curlseq "${PORT[$s]}" /pub/small "$BENCH_TMP/list.$i" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || rc=1; done
	return $rc
}

lftp_mirror() {
	local s=$1 par=$2 dest=$BENCH_TMP/mirror
	rm -rf "$dest"
	bench_in lftp -e "set net:max-retries 2; set net:timeout 20; mirror --parallel=$par /pub/small $dest; quit" \
		"ftp://127.0.0.1:${PORT[$s]}" || return 1
	local got
	got=$(ls "$dest" | wc -l)
	echo "mirrored=$got"
	[ "$got" = "$FILES" ]
}

idle_sessions() {
	local s=$1 base loaded ready=$BENCH_TMP/ready.$1 lpid
	sleep 0.5
	base=$(bench_pss_kb "$s")
	bench_in $LOAD idle "${PORT[$s]}" "$IDLE" "$ready" 120 &
	lpid=$!
	BENCH_PIDS+=("$lpid")
	for _ in $(seq 600); do [ -s "$ready" ] && break; sleep 0.1; done
	sleep 1
	loaded=$(bench_pss_kb "$s")
	bench_log "$IDLE idle $s: $(cat "$ready" 2>/dev/null) PSS $base -> $loaded kB, $(bench_nprocs "$s") processes"
	kill "$lpid"
	wait "$lpid" 2>/dev/null
	bench_record "$IDLE idle sessions" "$s" PSS_kB_per_session "$(calc "($loaded - $base) / $IDLE")"
	bench_record "$IDLE idle sessions" "$s" PSS_kB_total "$loaded"
}

burst() {
	local s=$1 out
	sleep 1
	out=$(bench_in $LOAD burst "${PORT[$s]}" "$BURST")
	bench_log "$BURST at once $s: $out"
	bench_record "$BURST connections at once" "$s" greeted "$(sed -n 's/.*greeted=\([0-9]*\).*/\1/p' <<<"$out")"
	bench_record "$BURST connections at once" "$s" listen_drops "$(sed -n 's/.*listen_drops=\([0-9]*\).*/\1/p' <<<"$out")"
}

is_floor() { [[ " ${FLOOR[*]} " == *" $1 "* ]]; }

# lftp_row SERVER PAR: its mirror row; n/a for a floor (it serves no listing).
lftp_row() {
	local s=$1 par=$2 v="$FILES files lftp mirror x$2"
	if is_floor "$s"; then
		bench_record "$v" "$s" cpu_ms_per_file n/a
	else
		measure "$v" "$s" "$FILES" file lftp_mirror "$s" "$par"
	fi
}

run_server() {
	local s=$1 url="ftp://127.0.0.1:${PORT[$1]}/pub/big" gb
	gb=$(calc "$BIG_MB * 1048576 / 1e9")
	measure "${BIG_MB}M x1" "$s" "$gb" GB curls 1 "$url"
	bench_cpu_weight $((MANY + 1))   # its weight against other jobs: as without the split
	measure "${BIG_MB}M x$MANY at once" "$s" "$(calc "$MANY * $gb")" GB curls "$MANY" "$url"
	bench_cpu_weight 2
	lftp_row "$s" 1
	lftp_row "$s" 8
	measure "$FILES files curl's EPSV/SIZE/RETR x1" "$s" "$FILES" file curlseq_sessions "$s" 1
	measure "$FILES files curl's EPSV/SIZE/RETR x8" "$s" "$FILES" file curlseq_sessions "$s" 8
	measure "$LOGINS logins in a row" "$s" "$LOGINS" login bench_in $LOAD logins "${PORT[$s]}" "$LOGINS"
	is_floor "$s" && return   # memory and the burst are the servers' own
	idle_sessions "$s"
	burst "$s"
}

start_servers
bench_log "servers: ${SERVERS[*]} floors: ${FLOOR[*]}; big=${BIG_MB}M x$MANY files=$FILES logins=$LOGINS idle=$IDLE burst=$BURST"
for s in "${SERVERS[@]}" "${FLOOR[@]}"; do run_server "$s"; done

echo "# FTP bench $(date -u '+%F %R UTC'), ours=${OURS:-absent}"
echo "# loopback in a private netns, TCP congestion control $CC; CPU = the daemon's cgroup (all its processes)"
[ ${#FLOOR[@]} -gt 0 ] &&
	echo "# floor: not a server, the least CPU spent on these sequences (bench/ftpfloor.c: a thread per session, blocking I/O); floor-epoll: the same waiting in epoll_wait"
bench_table cpu_ms_per_GB "Server CPU ms per GB (target: ours <= vsftpd)" low
bench_table cpu_ms_per_GB_with_clients "Server + clients CPU ms per GB (loopback: the receiver's TCP work lands on either side)" low
bench_table cpu_ms_per_file "Server CPU ms per small file (target: ours <= 1/2 best peer)" low
bench_table cpu_ms_per_login "Server CPU ms per login (target: ours <= 1/2 best peer)" low
bench_table PSS_kB_per_session "PSS kB per idle session (target: ours <= 1/10 vsftpd)" low
bench_table PSS_kB_total "PSS kB, whole server with the idle sessions open" low
bench_table greeted "Connections greeted (target: all)" high
bench_table listen_drops "Listen queue drops (SYN drops; target: 0)" low
bench_table GB_per_s "Rate GB/s (client-bound on loopback)" high
bench_table file_per_s "Rate files/s" high
bench_table login_per_s "Rate logins/s" high
bench_table wall_s "Wall seconds" low
