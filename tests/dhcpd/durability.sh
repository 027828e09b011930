#!/bin/bash
# perfdhcp (acting as a relay) with thousands of simulated clients:
# 1. at a moderate rate, 0 drops and one lease record per ACK on disk;
# 2. kill -9 in the middle of a run: every ACK seen on the wire names an
#    address that is still bound to that client after a restart.
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
	ip netns exec "$NS_cli" timeout 60 perfdhcp -4 -r "$1" -R "$2" -p "$3" -d 5 -W 2000000 -l 198.19.0.2 198.19.0.1
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

# 1. moderate rate, clean stop
start_dhcpd srv "$T/dhcpd.conf" "$T/run1.leases"
perf 300 3000 5 >"$T/perf1.log" 2>&1
drops=$(awk '/^drops:/ {s += $2} END {print s + 0}' "$T/perf1.log")
acks=$(awk '/Statistics for: REQUEST-ACK/ {f=1} f && /^received packets:/ {print $3; exit}' "$T/perf1.log")
[ "$drops" = 0 ] || cat "$T/perf1.log"
expect "perfdhcp drops at 300/s" "$drops" 0
[ "$acks" -ge 1000 ] || fail "only $acks ACKs"
expect "lease records on disk" "$(bound_pairs "$T/run1.leases" | wc -l)" "$acks"
kill "$DHCPD_PID"

# 2. kill -9 under load
netns_bg cli tcpdump --immediate-mode -i veth0 -U -w "$T/acks.pcap" 'udp and src host 198.19.0.1' \
	2>"$T/tcpdump.log"
TCPDUMP_PID=$BG_PID
wait_for 10 grep -q listening "$T/tcpdump.log" || fail "tcpdump did not start"
start_dhcpd srv "$T/dhcpd.conf" "$T/run2.leases"
perf 800 20000 6 >"$T/perf2.log" 2>&1 &
PERF_PID=$!
wait_for 20 sh -c "[ \$(grep -c '^lease' '$T/run2.leases') -ge 1000 ]" || fail "no load reached the server"
kill -9 "$DHCPD_PID"
wait "$PERF_PID"
sleep 0.5
kill "$TCPDUMP_PID"
wait "$TCPDUMP_PID" 2>/dev/null
python3 "$PXE_SRC/tests/dhcpd/pcap_dhcp.py" "$T/acks.pcap" | awk '$1 == "ACK" {print $2, $3}' | sort -u >"$T/acked"
n_acked=$(wc -l <"$T/acked")
[ "$n_acked" -ge 500 ] || fail "only $n_acked ACKs before the kill"

# restart: the server reads the file and rewrites it from what it holds
start_dhcpd srv "$T/dhcpd.conf" "$T/run2.leases"
kill "$DHCPD_PID"
wait "$DHCPD_PID" 2>/dev/null
bound_pairs "$T/run2.leases" | sort -u >"$T/bound"
missing=$(comm -23 "$T/acked" "$T/bound" | wc -l)
expect "ACKed ($n_acked) but not bound after kill -9 and restart" "$missing" 0
echo PASS
