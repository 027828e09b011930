#!/bin/bash
# Daemonized (no -f, -d) with relative -cf, -lf and -pf: as ISC dhcpd, they
# are taken from the directory it was started in, though the daemon moves
# to "/": the pid file names the running daemon, and a lease granted after
# the move lands in the lease file given.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/dhcpd/lib.sh"
netns_require
need_cmd python3
T=$(tmpdir)
mkdir -p "$T/start/etc" "$T/start/lib" "$T/start/run"
netns_pair srv cli 198.18.88
cat >"$T/start/etc/dhcpd.conf" <<CONF
subnet 198.18.88.0 netmask 255.255.255.0 {
  range 198.18.88.10 198.18.88.20;
}
CONF
# -q -t and -q -T, as configuration tools run them: silent when the files
# are good, as ISC dhcpd is
expect "dhcpd -q -t output" "$("$DHCPD" -q -t -cf "$T/start/etc/dhcpd.conf" 2>&1)" ""
touch "$T/start/lib/dhcpd.leases"
expect "dhcpd -q -T output" "$("$DHCPD" -q -T -cf "$T/start/etc/dhcpd.conf" -lf "$T/start/lib/dhcpd.leases" 2>&1)" ""
# a subdirectory each: a path taken from "/" instead fails to open, and
# leaves nothing behind there
(cd "$T/start" && netns_exec srv "$DHCPD" -q -cf etc/dhcpd.conf -lf lib/dhcpd.leases \
	-pf run/dhcpd.pid veth0 >"$T/dhcpd.out" 2>&1) || fail "dhcpd: $(cat "$T/dhcpd.out")"
# the daemon is in the namespace whatever happens to its pid file: cleanup kills it
wait_for 10 test -s "$T/start/run/dhcpd.pid" || fail "no pid file in the start directory"
pid=$(cat "$T/start/run/dhcpd.pid")
expect "pid file names the daemon" "$(ip netns pids "$NS_srv")" "$pid"
[ "$(readlink "/proc/$pid/cwd")" = / ] || fail "the daemon did not move to /"
wait_udp_port srv 67 || fail "dhcpd does not listen"
expect "lease" "$(dhcp cli veth0 52:54:00:88:00:01 dora | tail -1 | json yiaddr)" 198.18.88.10
wait_for 5 grep -q "lease 198.18.88.10" "$T/start/lib/dhcpd.leases" || fail "lease not written"
echo "ok: lease written to lib/dhcpd.leases"
kill "$pid"
echo PASS
