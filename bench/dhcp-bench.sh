#!/bin/bash
# DHCP benchmark: pxe-dhcpd against ISC dhcpd, Kea (memfile, persist on)
# and dnsmasq, in one run, same pool and options, ping checks off.
#
# perfdhcp (kea-admin) acts as a relay agent (giaddr 198.19.0.2) so the
# pool can be 60160 addresses (198.19.1.0-198.19.235.255). For each server
# and each offered rate it reports completed DORA exchanges per second,
# drops, average latency, and the server's own CPU time per completed
# DORA (utime+stime from /proc/PID/stat). Every server logs its per-lease
# lines at its usual level to standard error, thrown away (no syslog
# daemon cost in the figures). Not a test: run it by hand as
# root, from the build tree:
#   PXE_BUILD=build bench/dhcp-bench.sh [seconds-per-rate] [rates...]
# Durability of each peer's leases, as configured here:
#   pxe-dhcpd  fdatasync before every ACK leaves (group commit per loop turn)
#   ISC dhcpd  fsync of the leases file before the ACK (commit_leases)
#   Kea        memfile persist=true: appends, never fsyncs
#   dnsmasq    rewrites its lease file, never fsyncs
set -u
PXE_SRC=${PXE_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
PXE_BUILD=${PXE_BUILD:-$PXE_SRC/build}
SECS=${1:-8}
shift || true
RATES=${*:-1000 4000 7000 70000}
. "$PXE_SRC/tests/lib/netns.sh"
netns_require
need_cmd perfdhcp
T=$(tmpdir)
netns_pair srv cli 198.18.10
ip -n "$NS_srv" addr add 198.19.0.1/16 dev veth0
ip -n "$NS_cli" addr add 198.19.0.2/16 dev veth0

cat >"$T/dhcpd.conf" <<'CONF'
authoritative;
ddns-update-style none;
default-lease-time 3600;
max-lease-time 7200;
ping-check false;
shared-network bench {
  subnet 198.18.10.0 netmask 255.255.255.0 {
  }
  subnet 198.19.0.0 netmask 255.255.0.0 {
    range 198.19.1.0 198.19.235.255;
    option routers 198.19.0.1;
    option subnet-mask 255.255.0.0;
    option domain-name-servers 198.18.10.1;
    next-server 198.18.10.1;
    filename "pxelinux.0";
  }
}
CONF
cat >"$T/kea.json" <<JSON
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "veth0" ], "dhcp-socket-type": "udp" },
  "lease-database": { "type": "memfile", "persist": true, "name": "$T/kea.leases", "lfc-interval": 0 },
  "valid-lifetime": 3600, "authoritative": true,
  "subnet4": [ { "subnet": "198.19.0.0/16", "pools": [ { "pool": "198.19.1.0 - 198.19.235.255" } ],
    "relay": { "ip-addresses": [ "198.19.0.2" ] },
    "next-server": "198.18.10.1", "boot-file-name": "pxelinux.0",
    "option-data": [ { "name": "routers", "data": "198.19.0.1" },
                     { "name": "domain-name-servers", "data": "198.18.10.1" } ] } ],
  "loggers": [ { "name": "kea-dhcp4", "severity": "INFO", "output_options": [ { "output": "stdout" } ] } ]
} }
JSON

# start_server NAME: the server in the srv namespace; its pid in $SRV_PID
start_server() {
	rm -f "$T"/*.leases "$T"/*.leases~
	case $1 in
	pxe-dhcpd)
		netns_bg srv "$PXE_BUILD/dhcpd/pxe-dhcpd" -d -q -cf "$T/dhcpd.conf" -lf "$T/pxe.leases" >/dev/null 2>&1 ;;
	isc-dhcpd)
		touch "$T/isc.leases"
		netns_bg srv /usr/sbin/dhcpd -4 -d -q -cf "$T/dhcpd.conf" -lf "$T/isc.leases" -pf "$T/isc.pid" veth0 \
			>/dev/null 2>&1 ;;
	kea)
		KEA_PIDFILE_DIR=$T KEA_LOCKFILE_DIR=$T netns_bg srv kea-dhcp4 -c "$T/kea.json" >/dev/null 2>&1 ;;
	dnsmasq)
		netns_bg srv dnsmasq -k -C /dev/null -p 0 --no-ping --dhcp-authoritative --dhcp-lease-max=70000 \
			--dhcp-range=198.19.1.0,198.19.235.255,255.255.0.0,1h --dhcp-option=3,198.19.0.1 \
			--dhcp-option=6,198.18.10.1 --dhcp-boot=pxelinux.0,,198.18.10.1 --interface=veth0 \
			--dhcp-leasefile="$T/dnsmasq.leases" -x "$T/dnsmasq.pid" --log-facility=- >/dev/null 2>&1 ;;
	esac
	SRV_PID=$BG_PID
	wait_udp_port srv 67
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# run RATE: one perfdhcp run; prints a result row
run() {
	local name=$1 rate=$2 before after log=$T/perf.log
	before=$(cpu_ticks "$SRV_PID")
	ip netns exec "$NS_cli" timeout $((SECS + 30)) perfdhcp -4 -r "$rate" -R 1000000 -p "$SECS" -W 2000000 \
		-l 198.19.0.2 198.19.0.1 >"$log" 2>&1
	after=$(cpu_ticks "$SRV_PID")
	local acks drops delay
	acks=$(awk '/Statistics for: REQUEST-ACK/ {f = 1} f && /^received packets:/ {print $3; exit}' "$log")
	drops=$(awk '/^drops:/ {s += $2} END {print s + 0}' "$log")
	delay=$(awk '/Statistics for: REQUEST-ACK/ {f = 1} f && /^avg delay:/ {print $3; exit}' "$log")
	awk -v n="$name" -v r="$rate" -v a="${acks:-0}" -v d="$drops" -v l="${delay:-?}" -v s="$SECS" \
		-v c=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN {
		printf "%-10s %8d %10.0f %8d %10s %12.1f\n", n, r, a / s, d, l, a ? c * 1e6 / hz / a : 0 }'
}

printf "%-10s %8s %10s %8s %10s %12s\n" server offered DORA/s drops "avg ms" "cpu us/DORA"
for server in ${SERVERS:-pxe-dhcpd isc-dhcpd kea dnsmasq}; do
	case $server in
	pxe-dhcpd) [ -x "$PXE_BUILD/dhcpd/pxe-dhcpd" ] || continue ;;
	isc-dhcpd) /usr/sbin/dhcpd --version 2>&1 | grep -q isc-dhcpd || continue ;;
	kea) command -v kea-dhcp4 >/dev/null || continue ;;
	dnsmasq) command -v dnsmasq >/dev/null || continue ;;
	esac
	for rate in $RATES; do
		start_server "$server" || { echo "$server did not start"; continue; }
		run "$server" "$rate"
		kill "$SRV_PID"
		wait "$SRV_PID" 2>/dev/null
	done
done
