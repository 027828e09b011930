#!/bin/bash
# DHCP bench: our pxe-dhcpd against ISC dhcpd, Kea (memfile, persist on) and
# dnsmasq, driven by perfdhcp (kea-admin), in one run, same pool and options.
#
#   bench/dhcp.sh [--build DIR] [--quick] [--out FILE] [--only ours,dhcpd,kea,dnsmasq]
#                 [--rates "1000 7000 70000"] [--period SECONDS] [--no-fsync-run]
#
# Two namespaces this script creates and deletes, addresses in 198.18.0.0/15:
#   server  s0 198.18.0.1/24, route to 198.19.0.0/16 via the relay
#   relay   c0 198.18.0.2/24 + 198.19.0.1/16: perfdhcp -l 198.19.0.1 acts as
#           a relay agent (giaddr 198.19.0.1), so the pool is reached through
#           the relay subnet 198.19.0.0/16 (65278 addresses, -R 50000 MACs)
# For each server and each offered rate (moderate, the generator's maximum,
# 10x that as overload) a fresh server with an empty lease file gets
# perfdhcp -r RATE for PERIOD seconds. Printed: completed DORA/s, drops,
# latency (DISCOVER-OFFER, REQUEST-ACK), server CPU per DORA (cpuacct
# cgroup), syscalls per DORA (perf stat, counting the raw_syscalls tracepoint
# of the server's process during the timed run, every server alike), and
# fsync calls per ACK counted by strace in a separate short run.
# ICMP ping checks are off where a server has them (ISC, dnsmasq).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# Options of this script only; the rest go to bench_init.
OPT_RATES= OPT_PERIOD= FSYNC_RUN=1 ARGS=()
while [ $# -gt 0 ]; do
	case "$1" in
	--rates) OPT_RATES=$2; shift ;;
	--period) OPT_PERIOD=$2; shift ;;
	--no-fsync-run) FSYNC_RUN=0 ;;
	*) ARGS+=("$1") ;;
	esac
	shift
done
bench_init dhcp "${ARGS[@]}"
command -v perfdhcp >/dev/null || bench_die "perfdhcp missing (apt-get install kea-admin)"

# 7000/s is about what perfdhcp itself can generate on 2 cores (issue 4).
MAXRATE=7000 PERIOD=10 CLIENTS=50000
OVERLOAD=$((10 * MAXRATE))
RATES="1000 $MAXRATE $OVERLOAD"
[ "$BENCH_QUICK" = 1 ] && PERIOD=4 RATES="1000 $MAXRATE"
RATES=${OPT_RATES:-$RATES} PERIOD=${OPT_PERIOD:-$PERIOD}
SRV=198.18.0.1 RELAY=198.19.0.1

OURS=$(bench_ours pxe-dhcpd dhcpd)
bench_netns -r
NSR=$BNS
bench_netns -s
NSS=$BNS
ip -n "$NSS" link add s0 type veth peer name c0 netns "$NSR"
ip -n "$NSS" addr add $SRV/24 dev s0
ip -n "$NSS" link set s0 up
ip -n "$NSR" addr add 198.18.0.2/24 dev c0
ip -n "$NSR" addr add $RELAY/16 dev c0
ip -n "$NSR" link set c0 up
ip -n "$NSS" route add 198.19.0.0/16 via 198.18.0.2

# Same pool and options for everyone.
POOL_LO=198.19.1.0 POOL_HI=198.19.255.254
isc_conf() {   # $1: extra global statements
	cat <<-EOF
	ddns-update-style none;
	authoritative;
	default-lease-time 3600;
	max-lease-time 7200;
	$1
	subnet 198.18.0.0 netmask 255.255.255.0 {
	}
	subnet 198.19.0.0 netmask 255.255.0.0 {
	  range $POOL_LO $POOL_HI;
	  option routers $RELAY;
	  option domain-name-servers $SRV;
	  option domain-name "bench.example";
	  next-server $SRV;
	  filename "pxelinux.0";
	}
	EOF
}

kea_conf() {
	cat <<-EOF
	{ "Dhcp4": {
	  "interfaces-config": { "interfaces": [ "s0" ], "dhcp-socket-type": "udp" },
	  "lease-database": { "type": "memfile", "persist": true, "lfc-interval": 0,
	                      "name": "$1/kea.leases" },
	  "control-socket": { "socket-type": "unix", "socket-name": "$1/kea.sock" },
	  "valid-lifetime": 3600, "max-valid-lifetime": 7200, "authoritative": true,
	  "subnet4": [ { "subnet": "198.19.0.0/16",
	    "pools": [ { "pool": "$POOL_LO - $POOL_HI" } ],
	    "next-server": "$SRV", "boot-file-name": "pxelinux.0",
	    "option-data": [ { "name": "routers", "data": "$RELAY" },
	                     { "name": "domain-name-servers", "data": "$SRV" },
	                     { "name": "domain-name", "data": "bench.example" } ] } ],
	  "loggers": [ { "name": "kea-dhcp4", "severity": "WARN",
	                 "output_options": [ { "output": "stdout" } ] } ]
	} }
	EOF
}

# What each server promises about a lease before its ACK leaves.
declare -A FSYNC_NOTE=(
	[ours]="group commit: every lease fsynced before its ACK (issue 4)"
	[dhcpd]="ISC: writes each lease and fsyncs in commit_leases before the ACK"
	[kea]="Kea memfile persist=true: appends each lease, never fsyncs"
	[dnsmasq]="dnsmasq: rewrites its whole lease file, see fsync count"
)

SERVERS=()
bench_wanted ours && [ -n "$OURS" ] && SERVERS+=(ours)
for s in dhcpd kea dnsmasq; do bench_wanted $s && SERVERS+=("$s"); done

# start SERVER: a fresh server, empty lease file, in the server namespace.
start() {
	local s=$1 dir=$BENCH_TMP/$1
	rm -rf "$dir"
	mkdir -p "$dir"
	BNS=$NSS
	case $s in
	ours)
		chown nobody:nogroup "$dir"
		isc_conf "" >"$dir/dhcpd.conf"
		touch "$dir/dhcpd.leases" && chown nobody:nogroup "$dir/dhcpd.leases"
		bench_start "$s" "$OURS" -f -cf "$dir/dhcpd.conf" -lf "$dir/dhcpd.leases" \
			-pf "$dir/pid" -user nobody -group nogroup s0 ;;
	dhcpd)
		isc_conf "ping-check false;" >"$dir/dhcpd.conf"
		touch "$dir/dhcpd.leases"
		bench_start "$s" "$PEER/dhcpd" -4 -f -q -cf "$dir/dhcpd.conf" -lf "$dir/dhcpd.leases" \
			-pf "$dir/pid" s0 ;;
	kea)
		kea_conf "$dir" >"$dir/kea.json"
		bench_start "$s" env KEA_PIDFILE_DIR="$dir" KEA_LOCKFILE_DIR="$dir" \
			"$PEER/kea-dhcp4" -c "$dir/kea.json" ;;
	dnsmasq)
		bench_start "$s" "$PEER/dnsmasq" -k -C /dev/null -p 0 -u nobody -x "$dir/pid" \
			--interface=s0 --bind-interfaces --no-ping --dhcp-authoritative \
			--dhcp-range=$POOL_LO,$POOL_HI,255.255.0.0,1h --dhcp-lease-max=100000 \
			--dhcp-leasefile="$dir/dnsmasq.leases" --dhcp-option=3,$RELAY \
			--dhcp-option=6,$SRV --dhcp-option=15,bench.example \
			--dhcp-boot=pxelinux.0,,$SRV --log-facility=/dev/null ;;
	esac
	bench_wait_port udp 67 || bench_die "$s did not start: $(cat "$BENCH_TMP/$s.log")"
	sleep 0.5
	bench_alive "$s" || bench_die "$s exited: $(cat "$BENCH_TMP/$s.log")"
}

stop() {
	bench_stop "$1"
	for _ in $(seq 50); do
		ip netns exec "$NSS" ss -Hlun 'sport = :67' | grep -q . || return 0
		sleep 0.1
	done
}

# perf RATE SECONDS: perfdhcp as a relay; its report in $BENCH_TMP/perf.out.
perf() {
	ip netns exec "$NSR" timeout $(($2 + 30)) perfdhcp -4 -l $RELAY -r "$1" -R $CLIENTS \
		-p "$2" -d 2 -s 1 $SRV >"$BENCH_TMP/perf.out" 2>&1
}

# stat NAME: the first "NAME: value" of a section in perfdhcp's report.
# Sections: 1 = DISCOVER-OFFER, 2 = REQUEST-ACK.
stat() {
	awk -v sec="$1" -v key="$2" '
		/^\*\*\*.*Statistics for:/ { n++ }
		n == sec && index($0, key ":") == 1 { sub(/^[^:]*: */, ""); print $1; exit }
	' "$BENCH_TMP/perf.out"
}

# server_pids SERVER: the processes in the server's cgroup, comma-separated
# (all of them: a server may fork or thread).
server_pids() { paste -sd, "$CG_ROOT/$BENCH_ID/$1/cgroup.procs"; }

# syscalls_start SERVER: counts the system calls of the server's processes
# (all their threads) until syscalls_stop, which sets SYSCALLS; the
# tracepoint count costs every server alike.
syscalls_start() {
	command perf stat -x, -e raw_syscalls:sys_enter -p "$(server_pids "$1")" \
		-o "$BENCH_TMP/syscalls.$1" 2>/dev/null &
	SYSCALLS_PID=$!
	sleep 0.2
}

syscalls_stop() {
	kill -INT "$SYSCALLS_PID" 2>/dev/null
	wait "$SYSCALLS_PID" 2>/dev/null
	SYSCALLS=$(awk -F, '$3 == "raw_syscalls:sys_enter" { print $1 }' "$BENCH_TMP/syscalls.$1")
}

run_rate() {
	local s=$1 rate=$2 v c0 cpu acks drops lat_do lat_ra calls
	v="offered $rate/s"
	[ "$rate" = "$MAXRATE" ] && v="offered $rate/s (max)"
	[ "$rate" = "$OVERLOAD" ] && v="offered $rate/s (10x overload)"
	start "$s"
	syscalls_start "$s"
	c0=$(bench_cpu "$s")
	perf "$rate" "$PERIOD"
	cpu=$(calc "$(bench_cpu "$s") - $c0")
	syscalls_stop "$s"
	calls=$SYSCALLS
	bench_alive "$s" || bench_log "$s died during the run"
	stop "$s"
	acks=$(stat 2 "received packets")
	drops=$(stat 2 "drops")
	lat_do=$(stat 1 "avg delay")
	lat_ra=$(stat 2 "avg delay")
	bench_log "$v $s: acks=$acks req-drops=$drops do-avg=$lat_do ra-avg=$lat_ra cpu=$cpu syscalls=$calls"
	if [ -z "$acks" ] || [ "$acks" = 0 ]; then
		bench_log "perfdhcp output: $(tail -20 "$BENCH_TMP/perf.out")"
		for m in DORA_per_s cpu_us_per_DORA; do bench_record "$v" "$s" $m none; done
		return
	fi
	bench_record "$v" "$s" DORA_per_s "$(calc "$acks / $PERIOD")"
	bench_record "$v" "$s" cpu_us_per_DORA "$(calc "1e6 * $cpu / $acks")"
	bench_record "$v" "$s" syscalls_per_DORA "$(calc "${calls:-0} / $acks")"
	bench_record "$v" "$s" DO_avg_ms "${lat_do:-none}"
	bench_record "$v" "$s" RA_avg_ms "${lat_ra:-none}"
	bench_record "$v" "$s" DISCOVER_drops "$(stat 1 drops)"
	bench_record "$v" "$s" REQUEST_drops "${drops:-none}"
}

# fsyncs SERVER: 300 DORA at 100/s with strace counting fsync-like calls.
fsyncs() {
	local s=$1 syncs acks
	start "$s"
	strace -f -c -e trace=fsync,fdatasync,sync_file_range,syncfs,msync -p "$(server_pids "$s")" \
		-o "$BENCH_TMP/strace.$s" 2>/dev/null &
	local tpid=$!
	sleep 1
	perf 100 3
	kill -INT $tpid
	wait $tpid 2>/dev/null
	stop "$s"
	acks=$(stat 2 "received packets")
	syncs=$(awk '$NF ~ /^(fsync|fdatasync|sync_file_range|syncfs|msync)$/ { n += $4 } END { print n + 0 }' \
		"$BENCH_TMP/strace.$s")
	bench_log "fsync $s: $syncs sync calls for ${acks:-0} ACKs"
	bench_record "durability" "$s" fsync_per_ACK "$(calc "$syncs / ${acks:-1}")"
}

bench_log "servers: ${SERVERS[*]}; rates: $RATES; $PERIOD s each; $CLIENTS clients"
for s in "${SERVERS[@]}"; do
	for rate in $RATES; do run_rate "$s" "$rate"; done
	if [ "$FSYNC_RUN" = 1 ]; then fsyncs "$s"; fi
done

echo "# DHCP bench $(date -u '+%F %R UTC'), ours=${OURS:-absent}"
echo "# perfdhcp -4 -l $RELAY (relay) -R $CLIENTS -p $PERIOD, pool $POOL_LO-$POOL_HI"
for s in "${SERVERS[@]}"; do echo "#   $s: ${FSYNC_NOTE[$s]}"; done
bench_table DORA_per_s "Completed DORA per second (target: ours >= kea at max; no collapse at overload)" high
bench_table cpu_us_per_DORA "Server CPU microseconds per DORA (target: ours <= 1/2 kea)" low
bench_table syscalls_per_DORA "Server system calls per DORA (perf stat, timed run)" low
bench_table DO_avg_ms "DISCOVER->OFFER average latency ms" low
bench_table RA_avg_ms "REQUEST->ACK average latency ms" low
bench_table DISCOVER_drops "DISCOVERs without OFFER" low
bench_table REQUEST_drops "REQUESTs without ACK" low
if [ "$FSYNC_RUN" = 1 ]; then
	bench_table fsync_per_ACK "fsync-like calls per ACK (strace, 100/s)" info
fi
