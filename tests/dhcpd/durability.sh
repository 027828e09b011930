#!/bin/bash
# perfdhcp (acting as a relay) with thousands of simulated clients:
# 1. at a moderate rate, 0 drops and one lease record per ACK on disk;
# 2. kill -9 in the middle of a run: every ACK seen on the wire names an
#    address that is still bound to that client after a restart;
# 3. SIGTERM in the middle of a run (ACKs held in a commit window): what
#    is held is synced and sent before the exit, so the ACKs on the wire
#    and the bindings on disk are the same set.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/dhcpd/lib.sh"
netns_require
need_cmd perfdhcp tcpdump python3
T=$(tmpdir)
netns_pair srv cli 198.18.84
ip -n "$NS_srv" addr add 198.19.0.1/16 dev veth0
ip -n "$NS_cli" addr add 198.19.0.2/16 dev veth0
cat >"$T/dhcpd.conf" <<'CONF'
authoritative;
default-lease-time 3600;
subnet 198.19.0.0 netmask 255.255.0.0 {
  range 198.19.1.0 198.19.40.255;
  option routers 198.19.0.1;
  next-server 198.19.0.1;
  filename "pxelinux.0";
}
CONF

perf() {
	# -d 5: a reply counts as dropped only after 5 s (a loaded CI machine is slow, not lossy)
	ip netns exec "$NS_cli" timeout 60 perfdhcp -4 -r "$1" -R "$2" -p "$3" "${@:4}" -d 5 -W 2000000 -l 198.19.0.2 198.19.0.1
}

# bound_pairs FILE: "mac ip" of every active lease, last record winning
bound_pairs() {
	python3 - "$1" <<'PY'
import re, sys
state = {}
for m in re.finditer(r"lease ([\d.]+) \{(.*?)\n\}", open(sys.argv[1]).read(), re.S):
    body = m.group(2)
    hw = re.search(r"hardware ethernet ([0-9a-f:]+);", body)
    active = "binding state active;" in body
    state[m.group(1)] = hw.group(1) if hw and active else None
for ip, mac in sorted(state.items()):
    if mac:
        print(mac, ip)
PY
}

# capture_start FILE: the server's replies, seen from the client side
capture_start() {
	# -B: 64 MB of ring, so a loaded machine's slow tcpdump loses nothing
	netns_bg cli tcpdump --immediate-mode -B 65536 -i veth0 -U -w "$1" 'udp and src host 198.19.0.1' 2>"$1.log"
	TCPDUMP_PID=$BG_PID
	wait_for 10 grep -q listening "$1.log" || fail "tcpdump did not start"
}

# capture_acks FILE: stops the capture, prints "mac ip" of every ACK in it
# (tcpdump may lag behind the wire: it is stopped once the file stops growing)
capture_acks() {
	local size=-1
	while [ "$(stat -c %s "$1")" != "$size" ]; do
		size=$(stat -c %s "$1")
		sleep 1
	done
	kill "$TCPDUMP_PID"
	wait "$TCPDUMP_PID" 2>/dev/null
	! grep -q '[1-9][0-9]* packets* dropped by kernel' "$1.log" || fail "tcpdump lost packets: $(cat "$1.log")"
	python3 "$PXE_SRC/tests/dhcpd/pcap_dhcp.py" "$1" | awk '$1 == "ACK" {print $2, $3}' | sort -u
}

# load_then SIGNAL N: perfdhcp under way, the server gets SIGNAL once N leases are on disk
load_then() {
	perf "$2" 20000 6 >"$T/perf-$1.log" 2>&1 &
	PERF_PID=$!
	wait_for 20 sh -c "[ \$(grep -c '^lease' '$T/$1.leases') -ge 1000 ]" || fail "no load reached the server"
	kill "-$1" "$DHCPD_PID"
	wait "$PERF_PID"
}

# 1. moderate rate, clean stop: 1500 exchanges (5 s at 300/s; a loaded
#    machine's perfdhcp may take longer to send them)
start_dhcpd srv "$T/dhcpd.conf" "$T/run1.leases"
perf 300 3000 30 -n 1500 >"$T/perf1.log" 2>&1
drops=$(awk '/^drops:/ {s += $2} END {print s + 0}' "$T/perf1.log")
acks=$(awk '/Statistics for: REQUEST-ACK/ {f=1} f && /^received packets:/ {print $3; exit}' "$T/perf1.log")
[ "$drops" = 0 ] || cat "$T/perf1.log"
expect "perfdhcp drops at 300/s" "$drops" 0
[ "$acks" -ge 1000 ] || fail "only $acks ACKs"
expect "lease records on disk" "$(bound_pairs "$T/run1.leases" | wc -l)" "$acks"
kill "$DHCPD_PID"

# 2. kill -9 under load
capture_start "$T/acks.pcap"
start_dhcpd srv "$T/dhcpd.conf" "$T/KILL.leases"
load_then KILL 800
capture_acks "$T/acks.pcap" >"$T/acked"
n_acked=$(wc -l <"$T/acked")
[ "$n_acked" -ge 500 ] || fail "only $n_acked ACKs before the kill"

# restart: the server reads the file and rewrites it from what it holds
start_dhcpd srv "$T/dhcpd.conf" "$T/KILL.leases"
kill "$DHCPD_PID"
wait "$DHCPD_PID" 2>/dev/null
bound_pairs "$T/KILL.leases" | sort -u >"$T/bound"
missing=$(comm -23 "$T/acked" "$T/bound" | wc -l)
expect "ACKed ($n_acked) but not bound after kill -9 and restart" "$missing" 0

# 3. SIGTERM under load, at a rate that keeps the commit window open
capture_start "$T/acks3.pcap"
start_dhcpd srv "$T/dhcpd.conf" "$T/TERM.leases"
load_then TERM 2000
wait "$DHCPD_PID" 2>/dev/null
capture_acks "$T/acks3.pcap" >"$T/acked3"
bound_pairs "$T/TERM.leases" | sort -u >"$T/bound3"
[ "$(wc -l <"$T/acked3")" -ge 500 ] || fail "only $(wc -l <"$T/acked3") ACKs before SIGTERM"
expect "ACKed but not bound after SIGTERM" "$(comm -23 "$T/acked3" "$T/bound3" | wc -l)" 0
expect "bound but never ACKed after SIGTERM (held ACKs not sent)" "$(comm -13 "$T/acked3" "$T/bound3" | wc -l)" 0
echo PASS
