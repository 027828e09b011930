#!/bin/bash
# tftp-bench.sh: pxe-tftpd against Debian's tftpd-hpa, atftpd and dnsmasq's
# TFTP, same files, same client (atftp; tftpc.py for the Sorcerer's
# Apprentice probe), in one run, over a veth pair between two namespaces
# (198.18.40.0/24). Not a test: it prints a table.
#
#   bench/tftp-bench.sh [BUILD_DIR]    (root; env BENCH_MB=64 BENCH_CLIENTS=40
#                                       BENCH_SLOW_MB=10 BENCH_SERVERS="ours hpa atftpd dnsmasq")
#
# Peers are fetched with apt-get download and unpacked with dpkg -x into a
# scratch directory, never installed (tftpd-hpa and atftpd conflict, and an
# installed server would start on the host).
#
# Per variant and server: wall time, throughput, and the server's own CPU
# seconds per GB (its cpuacct cgroup, which also counts tftpd-hpa's forked
# children; /proc/PID/stat of the server alone when cgroups are not
# writable), then our CPU/GB and wall time as ratios of each peer's.
set -u
BUILD=${1:-/work/main/build}
SRC=$(cd "$(dirname "$0")/.." && pwd)
PXE_SRC=$SRC
. "$SRC/tests/lib/netns.sh"
netns_require
need_cmd atftp python3 apt-get dpkg
TFTPD="$BUILD/tftpd/pxe-tftpd"
[ -x "$TFTPD" ] || fail "build pxe-tftpd first ($TFTPD)"
MB=${BENCH_MB:-64}
CLIENTS=${BENCH_CLIENTS:-40}
SLOW_MB=${BENCH_SLOW_MB:-10}
SERVERS=${BENCH_SERVERS:-"ours hpa atftpd dnsmasq"}
W=$(tmpdir)
TICK=$(getconf CLK_TCK)
CG=/sys/fs/cgroup/cpuacct/pxebench$$
mkdir "$CG" 2>/dev/null || CG=""
trap '[ -n "$CG" ] && rmdir "$CG" 2>/dev/null; netns_cleanup' EXIT

fetch_peers() {
	mkdir -p "$W/debs" "$W/peers"
	(cd "$W/debs" && apt-get download -q tftpd-hpa atftpd dnsmasq-base >/dev/null 2>&1) ||
		fail "apt-get download"
	for d in "$W"/debs/*.deb; do dpkg -x "$d" "$W/peers"; done
}

make_files() {
	ROOT="$W/root"
	mkdir -p "$ROOT"
	head -c $((MB << 20)) /dev/urandom >"$ROOT/big.img"
	head -c $((SLOW_MB << 20)) /dev/urandom >"$ROOT/slow.img"
	head -c 43520 /dev/urandom >"$ROOT/b85.bin"
	chmod 755 "$ROOT"
	chmod 644 "$ROOT"/*
}

# start_server NAME: in namespace srv on 198.18.40.1:69; sets SRV_PID.
start_server() {
	local p="$W/peers/usr/sbin"
	case $1 in
	ours) netns_bg srv "$TFTPD" -L -a "$S" -u root "$ROOT" ;;
	hpa) netns_bg srv "$p/in.tftpd" -L -a "$S" -u root -s "$ROOT" ;;
	atftpd) netns_bg srv "$p/atftpd" --daemon --no-fork --user root.root --bind-address "$S" \
		--port 69 --logfile /dev/null --prevent-sas "$ROOT" ;;
	dnsmasq) netns_bg srv "$p/dnsmasq" --keep-in-foreground --port=0 --enable-tftp \
		--tftp-root="$ROOT" --listen-address="$S" --bind-interfaces --conf-file=/dev/null \
		--user=root --pid-file= --tftp-max=100 ;;
	esac
	SRV_PID=$BG_PID
	wait_udp_port srv 69 || fail "$1 did not start"
	[ -z "$CG" ] || echo "$SRV_PID" >"$CG/tasks"     # its later children follow it
}

stop_server() {
	kill "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
}

# CPU nanoseconds of the server (and its children when in the cgroup).
cpu_ns() {
	if [ -n "$CG" ]; then
		cat "$CG/cpuacct.usage"
	else
		awk -v hz="$TICK" '{ printf "%.0f\n", ($14 + $15 + $16 + $17) * 1e9 / hz }' "/proc/$1/stat"
	fi
}

# run_clients N PORT FILE ATFTP_OPTIONS...: N atftp clients at once.
run_clients() {
	local n=$1 port=$2 file=$3 pids=() i
	shift 3
	for ((i = 0; i < n; i++)); do
		netns_exec cli timeout 900 atftp "$@" -g -r "$file" -l /dev/null "$S" "$port" \
			>/dev/null 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || echo "  (a client failed)" >&2; done
}

# measure VARIANT SERVER BYTES CLIENTS PORT FILE ATFTP_OPTIONS...
measure() {
	local variant=$1 server=$2 bytes=$3 n=$4 port=$5 file=$6
	shift 6
	local c0 c1 t0 t1
	c0=$(cpu_ns "$SRV_PID")
	t0=$(date +%s.%N)
	run_clients "$n" "$port" "$file" "$@"
	t1=$(date +%s.%N)
	c1=$(cpu_ns "$SRV_PID")
	awk -v v="$variant" -v s="$server" -v b="$bytes" -v n="$n" -v t0="$t0" -v t1="$t1" \
		-v c="$((c1 - c0))" 'BEGIN {
		wall = t1 - t0; gb = b * n / 2^30
		printf "%-28s %-8s %8.2f s %9.2f MB/s %8.3f CPU-s/GB\n", v, s, wall,
			b * n / 2^20 / wall, c / 1e9 / gb }' | tee -a "$W/results"
}

# Sorcerer's Apprentice: every ACK twice over 85 blocks; DATA beyond 85.
sa_probe() {
	local out
	out=$(netns_exec cli python3 "$SRC/tests/tftpd/tftpc.py" "$S" b85.bin "$W/sa.bin" \
		--ack-copies 2 --linger 2)
	printf '%-28s %-8s %s duplicate DATA\n' "sorcerer's apprentice" "$1" \
		"$(printf '%s\n' "$out" | sed -n 's/^dup_data=//p')" | tee -a "$W/results"
}

bench_server() {
	local s=$1 big=$((MB << 20)) slow=$((SLOW_MB << 20)) w
	start_server "$s"
	for b in 512 1468 65464; do
		measure "${MB}MB blksize $b" "$s" $big 1 69 big.img --option "blksize $b"
	done
	for w in 1 16 64; do
		measure "${MB}MB blksize 1468 window $w" "$s" $big 1 69 big.img \
			--option "blksize 1468" --option "windowsize $w"
	done
	measure "$CLIENTS clients at once" "$s" $big "$CLIENTS" 69 big.img --option "blksize 1468"
	for path in "delay 20ms:0" "loss 2%:0.02"; do
		netns_bg srv python3 "$SRC/tests/tftpd/relay.py" "$S" 1069 "$S" 69 "${path#*:}" \
			"$([ "${path#*:}" = 0 ] && echo 20 || echo 0)" 1 >/dev/null
		local relay=$BG_PID
		wait_udp_port srv 1069 || fail relay
		for w in 1 16; do
			measure "${SLOW_MB}MB ${path%%:*} window $w" "$s" $slow 1 1069 slow.img \
				--option "blksize 1468" --option "windowsize $w"
		done
		kill "$relay"
	done
	sa_probe "$s"
	stop_server
}

# ratios FIELD TITLE: ours / peer for one column of the results.
ratios() {
	echo
	echo "$2"
	awk -v col="$1" '/^sorcerer/ { next }
	{ v = substr($0, 1, 28); split(substr($0, 30), f, " ")
		x[v, f[1]] = f[col]; if (!(v in seen)) { seen[v] = 1; order[++n] = v } }
	END { for (i = 1; i <= n; i++) { v = order[i]; line = sprintf("%-28s", v)
		for (p = 1; p <= 3; p++) { peer = p == 1 ? "hpa" : p == 2 ? "atftpd" : "dnsmasq"
			if ((v, peer) in x && (v, "ours") in x && x[v, peer] > 0)
				line = line sprintf("  %-7s %6.2f", peer, x[v, "ours"] / x[v, peer]) }
		print line } }' "$W/results"
}

netns_pair srv cli 198.18.40
S=198.18.40.1
ip -n "$NS_srv" link set veth0 mtu 65535
ip -n "$NS_cli" link set veth0 mtu 65535
fetch_peers
make_files
: >"$W/results"
for s in $SERVERS; do bench_server "$s"; done
ratios 6 "CPU-s/GB, ours / peer (target <= 0.5):"
ratios 2 "wall time, ours / peer (lower is faster):"
[ -z "$CG" ] || rmdir "$CG"
