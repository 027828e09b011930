# Helpers shared by the dhcpd shell tests (sourced after tests/lib/netns.sh).
DHCPD="$PXE_BUILD/dhcpd/pxe-dhcpd"
CLIENT="$PXE_SRC/tests/dhcpd/dhcp_client.py"

[ -x "$DHCPD" ] || fail "no $DHCPD: build first"

# start_dhcpd NS CONF LEASES [args...]: the server in the foreground, logging to $T/dhcpd.log
start_dhcpd() {
	local ns=$1 conf=$2 leases=$3
	shift 3
	netns_bg "$ns" "$DHCPD" -d -cf "$conf" -lf "$leases" "$@" >>"$T/dhcpd.log" 2>&1
	DHCPD_PID=$BG_PID
	wait_udp_port "$ns" 67 || fail "dhcpd did not start: $(cat "$T/dhcpd.log")"
}

# json FIELD...: reads one JSON reply on stdin, prints the field (a.b for nesting)
json() {
	python3 -c 'import json,sys
d=json.loads(sys.stdin.readline())
for k in sys.argv[1].split("."): d=d.get(k, "") if isinstance(d, dict) else ""
print(d)' "$1"
}

# expect WHAT GOT WANT
expect() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
	echo "ok: $1 = $3"
}

# dhcp NS IFACE MAC ACTION [args]: the test client
dhcp() {
	local ns=$1
	shift
	netns_exec "$ns" python3 "$CLIENT" "$@"
}
