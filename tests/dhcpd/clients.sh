#!/bin/bash
# Real clients against pxe-dhcpd in a namespace pair: ISC dhclient and
# busybox udhcpc get the address, router, DNS, next-server and file the
# config gives; one PC asking without and with a client-id (dhclient,
# then udhcpc with 01:MAC) keeps one address; iPXE-like clients without
# the broadcast flag are reached by unicast (udhcpc never sets it).
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/dhcpd/lib.sh"
netns_require
need_cmd dhclient busybox python3
T=$(tmpdir)
netns_pair srv cli 198.18.77
ip -n "$NS_cli" addr flush dev veth0
cat >"$T/dhcpd.conf" <<'CONF'
# the tutorial's layout: brace on the next line, Korean comments
authoritative;
default-lease-time 600;
subnet 198.18.77.0 netmask 255.255.255.0
{
  # 게이트웨이
  option routers 198.18.77.1;
  option domain-name-servers 198.18.77.53, 198.18.77.54;
  range dynamic-bootp 198.18.77.100 198.18.77.110;
  next-server 198.18.77.9;
  filename "pxelinux.0";
}
CONF
start_dhcpd srv "$T/dhcpd.conf" "$T/dhcpd.leases" veth0

# dhclient: it keeps what it got in its own leases file
cat >"$T/dhclient-script" <<'SH'
#!/bin/sh
exit 0
SH
chmod +x "$T/dhclient-script"
timeout 30 ip netns exec "$NS_cli" dhclient -1 -sf "$T/dhclient-script" -lf "$T/dhclient.leases" \
	-pf "$T/dhclient.pid" veth0 || fail "dhclient got no lease: $(cat "$T/dhcpd.log")"
kill "$(cat "$T/dhclient.pid")" 2>/dev/null
got() { sed -n "s/^  $1 \(.*\);$/\1/p" "$T/dhclient.leases" | tail -1; }
expect "dhclient address" "$(got fixed-address)" 198.18.77.100
expect "dhclient router" "$(got 'option routers')" 198.18.77.1
expect "dhclient dns" "$(got 'option domain-name-servers')" "198.18.77.53,198.18.77.54"
expect "dhclient mask" "$(got 'option subnet-mask')" 255.255.255.0
expect "dhclient file" "$(got filename)" '"pxelinux.0"'
# ISC dhcpd's log line, which admins grep (the host name is dhclient.conf's)
mac1=$(ip -n "$NS_cli" link show veth0 | awk '/ether/ {print $2}')
grep -Eq "DHCPACK on 198\.18\.77\.100 to $mac1 (\([^)]*\) )?via veth0\$" "$T/dhcpd.log" ||
	fail "no ISC line 'DHCPACK on 198.18.77.100 to $mac1 via veth0': $(grep DHCPACK "$T/dhcpd.log")"

# udhcpc (client-id 01:MAC, no broadcast flag): same PC, same address
cat >"$T/udhcpc-script" <<SH
#!/bin/sh
[ "\$1" = bound ] && env > "$T/udhcpc.env"
exit 0
SH
chmod +x "$T/udhcpc-script"
timeout 30 ip netns exec "$NS_cli" busybox udhcpc -i veth0 -n -q -f -s "$T/udhcpc-script" ||
	fail "udhcpc got no lease"
env_of() { sed -n "s/^$1=//p" "$T/udhcpc.env"; }
expect "udhcpc address" "$(env_of ip)" 198.18.77.100
expect "udhcpc router" "$(env_of router)" 198.18.77.1
expect "udhcpc dns" "$(env_of dns | xargs)" "198.18.77.53 198.18.77.54"
expect "udhcpc next-server" "$(env_of siaddr)" 198.18.77.9
expect "udhcpc file" "$(env_of boot_file)" pxelinux.0
grep -q "event=dhcpd.ack .*mac=.* cid=01:" "$T/dhcpd.log" || fail "no ack event with the client id"

# a second PC gets the next address (its MAC's last byte other than the
# first PC's: veth MACs are random, and 1 in 256 ends in ee)
[ "${mac1##*:}" = ee ] && last=ef || last=ee
mac2=${mac1%:*}:$last
expect "second PC" "$(dhcp cli veth0 "$mac2" dora | tail -1 | json yiaddr)" 198.18.77.101

# interfaces named on the command line limit what is served
kill "$DHCPD_PID"
wait "$DHCPD_PID" 2>/dev/null
start_dhcpd srv "$T/dhcpd.conf" "$T/dhcpd.leases" lo
expect "request on an interface not named" "$(dhcp cli veth0 "$mac2" discover | json type)" TIMEOUT
echo PASS
