#!/bin/bash
# The leases file in both directions: stock ISC dhcpd's file (compat/isc)
# is read by pxe-dhcpd (-T, and its clients keep their addresses), and the
# file pxe-dhcpd writes is read by stock ISC dhcpd (-T, and it gives a
# client the address pxe-dhcpd gave it).
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/dhcpd/lib.sh"
netns_require
need_cmd busybox python3
ISC_DHCPD=/usr/sbin/dhcpd
[ "$(readlink -f $ISC_DHCPD)" = /usr/sbin/dhcpd ] && "$ISC_DHCPD" --version 2>&1 | grep -q isc-dhcpd ||
	skip "stock ISC dhcpd (isc-dhcp-server) not installed"
COMPAT="$PXE_SRC/../shared/compat/isc"
T=$(tmpdir)
cp "$COMPAT/dhcpd.conf" "$T/dhcpd.conf"
cp "$COMPAT/dhcpd.leases" "$T/dhcpd.leases"

out=$("$DHCPD" -T -cf "$T/dhcpd.conf" -lf "$T/dhcpd.leases") || fail "pxe-dhcpd -T on ISC's file: $out"
expect "records read from ISC's file" "$(sed -n 's/.*OK: \([0-9]*\) lease records.*/\1/p' <<<"$out")" 6

netns_pair srv cli 198.18.10
ip -n "$NS_cli" addr flush dev veth0
ip -n "$NS_cli" link set veth0 address 7e:fa:b1:c9:dc:aa
start_dhcpd srv "$T/dhcpd.conf" "$T/dhcpd.leases" veth0
cat >"$T/udhcpc-script" <<SH
#!/bin/sh
[ "\$1" = bound ] && echo "\$ip" > "$T/udhcpc.ip"
exit 0
SH
chmod +x "$T/udhcpc-script"
udhcpc_ip() {
	rm -f "$T/udhcpc.ip"
	timeout 30 ip netns exec "$NS_cli" busybox udhcpc -i veth0 -n -q -f -s "$T/udhcpc-script" >/dev/null 2>&1
	cat "$T/udhcpc.ip" 2>/dev/null
}
expect "ISC lease kept for 7e:fa:b1:c9:dc:aa" "$(udhcpc_ip)" 198.18.10.219
grep -A10 'lease 198.19.145.127 ' "$T/dhcpd.leases" | grep -q 'hardware ethernet 00:0c:01:02:03:04;' ||
	fail "relayed ISC lease lost in our rewrite"

# two new clients get addresses from us...
ip -n "$NS_cli" link set veth0 address 02:11:22:33:44:55
ours1=$(udhcpc_ip)
ip -n "$NS_cli" link set veth0 address 02:11:22:33:44:66
ours2=$(udhcpc_ip)
[ -n "$ours1" ] && [ -n "$ours2" ] && [ "$ours1" != "$ours2" ] || fail "new clients: '$ours1' '$ours2'"
kill "$DHCPD_PID"
wait "$DHCPD_PID" 2>/dev/null

"$DHCPD" -T -cf "$T/dhcpd.conf" -lf "$T/dhcpd.leases" >/dev/null || fail "pxe-dhcpd -T rejects its own file"
printf 'lease 198.18.10.30 {\n  starts 3 2026/13/45 99:00:00;\n}\n' >"$T/bad.leases"
out=$("$DHCPD" -T -cf "$T/dhcpd.conf" -lf "$T/bad.leases" 2>&1) && fail "-T accepted a bad time"
expect "-T names the bad line" "${out%%: bad time*}" "$T/bad.leases:2"

# ...stock ISC dhcpd reads our file and gives it the same one
"$ISC_DHCPD" -T -cf "$T/dhcpd.conf" -lf "$T/dhcpd.leases" >"$T/isc-T.log" 2>&1 ||
	fail "stock dhcpd -T rejects our leases file: $(cat "$T/isc-T.log")"
echo "ok: stock dhcpd -T accepts our file"
netns_bg srv "$ISC_DHCPD" -4 -d -cf "$T/dhcpd.conf" -lf "$T/dhcpd.leases" -pf "$T/isc.pid" veth0 \
	>"$T/isc.log" 2>&1
wait_udp_port srv 67 || fail "stock dhcpd did not start: $(cat "$T/isc.log")"
expect "stock ISC dhcpd gives our second client the same address" "$(udhcpc_ip)" "$ours2"
ip -n "$NS_cli" link set veth0 address 02:11:22:33:44:55
expect "stock ISC dhcpd gives our first client the same address" "$(udhcpc_ip)" "$ours1"
echo PASS
