#!/bin/bash
# Protocol rules with the scripted test client: BOOTP from a dynamic-bootp
# range and from a host entry (replies >= 300 bytes), pool exhaustion,
# RELEASE then reuse by another client, NAK for a wrong requested address
# (INIT-REBOOT), ACK for the client's own.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/dhcpd/lib.sh"
netns_require
need_cmd python3
T=$(tmpdir)
netns_pair srv cli 198.18.78
ip -n "$NS_cli" addr flush dev veth0
cat >"$T/dhcpd.conf" <<'CONF'
authoritative;
subnet 198.18.78.0 netmask 255.255.255.0 {
  range 198.18.78.100 198.18.78.101;
  range dynamic-bootp 198.18.78.200;
  option routers 198.18.78.1;
  next-server 198.18.78.1;
  filename "pxelinux.0";
}
host old-bootp-box {
  hardware ethernet 02:00:00:00:00:0e;
  fixed-address 198.18.78.50;
  filename "boot/e.img";
}
CONF
start_dhcpd srv "$T/dhcpd.conf" "$T/dhcpd.leases" veth0
A=02:00:00:00:00:0a B=02:00:00:00:00:0b C=02:00:00:00:00:0c D=02:00:00:00:00:0d E=02:00:00:00:00:0e

r=$(dhcp cli veth0 $D bootp)
expect "bootp type" "$(json type <<<"$r")" BOOTREPLY
expect "bootp address" "$(json yiaddr <<<"$r")" 198.18.78.200
expect "bootp next-server" "$(json siaddr <<<"$r")" 198.18.78.1
expect "bootp file" "$(json file <<<"$r")" pxelinux.0
[ "$(json len <<<"$r")" -ge 300 ] || fail "BOOTP reply shorter than 300 bytes"
grep -A12 'lease 198.18.78.200 ' "$T/dhcpd.leases" | grep -q 'ends never;' || fail "BOOTP lease not on disk"

r=$(dhcp cli veth0 $E bootp)
expect "bootp host address" "$(json yiaddr <<<"$r")" 198.18.78.50
expect "bootp host file" "$(json file <<<"$r")" boot/e.img

expect "A" "$(dhcp cli veth0 $A dora | tail -1 | json yiaddr)" 198.18.78.100
expect "B" "$(dhcp cli veth0 $B dora | tail -1 | json yiaddr)" 198.18.78.101
expect "C while the pool is used up" "$(dhcp cli veth0 $C discover | json type)" TIMEOUT
grep -q 'no free leases' "$T/dhcpd.log" || fail "exhaustion not logged"

dhcp cli veth0 $A release 198.18.78.100 198.18.78.1 >/dev/null
wait_for 5 grep -q 'binding state released' "$T/dhcpd.leases" || fail "release not written"
r=$(dhcp cli veth0 $C dora | tail -1)
expect "C after A's release: type" "$(json type <<<"$r")" ACK
expect "C after A's release: address" "$(json yiaddr <<<"$r")" 198.18.78.100

r=$(dhcp cli veth0 $B reboot 198.18.78.100)
expect "B asking for C's address" "$(json type <<<"$r")" NAK
expect "B asking for another network's address" "$(dhcp cli veth0 $B reboot 10.1.2.3 | json type)" NAK
r=$(dhcp cli veth0 $B reboot 198.18.78.101)
expect "B asking for its own" "$(json type <<<"$r")" ACK
expect "B's own address" "$(json yiaddr <<<"$r")" 198.18.78.101
grep -q 'event=dhcpd.nak .*mac=02:00:00:00:00:0b .*reason=' "$T/dhcpd.log" || fail "no nak event"
echo PASS
