#!/bin/bash
# A relay in a middle namespace: ISC dhcrelay (adding option 82) between
# udhcpc and pxe-dhcpd. giaddr selects the client's subnet, the reply goes
# to the relay on port 67 with option 82 echoed (seen on the wire).
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/dhcpd/lib.sh"
netns_require
need_cmd dhcrelay busybox tcpdump
T=$(tmpdir)
netns_pair srv rly 198.18.82
netns_add cli
ip -n "$NS_rly" link add veth1 type veth peer name veth0 netns "$NS_cli" || fail veth
ip -n "$NS_rly" addr add 198.18.83.1/24 dev veth1
ip -n "$NS_rly" link set veth1 up
ip -n "$NS_cli" link set veth0 up
ip -n "$NS_srv" route add 198.18.83.0/24 via 198.18.82.2
cat >"$T/dhcpd.conf" <<'CONF'
authoritative;
subnet 198.18.82.0 netmask 255.255.255.0 {
}
subnet 198.18.83.0 netmask 255.255.255.0 {
  range 198.18.83.100 198.18.83.120;
  option routers 198.18.83.1;
  option domain-name-servers 198.18.82.1;
  next-server 198.18.82.1;
  filename "pxelinux.0";
}
CONF
start_dhcpd srv "$T/dhcpd.conf" "$T/dhcpd.leases"
netns_bg rly dhcrelay -4 -d -a -id veth1 -iu veth0 198.18.82.1 >"$T/dhcrelay.log" 2>&1
wait_udp_port rly 67 || fail "dhcrelay did not start: $(cat "$T/dhcrelay.log")"
netns_bg rly tcpdump --immediate-mode -i veth0 -U -w "$T/upstream.pcap" udp port 67 2>"$T/tcpdump.log"
wait_for 10 grep -q listening "$T/tcpdump.log" || fail "tcpdump did not start"
cat >"$T/udhcpc-script" <<SH
#!/bin/sh
[ "\$1" = bound ] && env > "$T/udhcpc.env"
exit 0
SH
chmod +x "$T/udhcpc-script"
timeout 30 ip netns exec "$NS_cli" busybox udhcpc -i veth0 -n -q -f -s "$T/udhcpc-script" ||
	fail "no lease through the relay: $(cat "$T/dhcpd.log" "$T/dhcrelay.log")"
env_of() { sed -n "s/^$1=//p" "$T/udhcpc.env"; }
expect "relayed address" "$(env_of ip)" 198.18.83.100
expect "relayed router" "$(env_of router)" 198.18.83.1
expect "relayed server id" "$(env_of serverid)" 198.18.82.1
expect "relayed next-server" "$(env_of siaddr)" 198.18.82.1
grep -q 'event=dhcpd.ack .*relay=198.18.83.1' "$T/dhcpd.log" || fail "no ack event naming the relay"
sleep 0.5
replies=$(tcpdump -nvr "$T/upstream.pcap" 'src host 198.18.82.1' 2>/dev/null)
expect "server replies to the relay (port 67)" "$(grep -c '198.18.82.1.67 > 198.18.83.1.67' <<<"$replies")" 2
expect "replies echoing option 82" "$(grep -c 'Agent-Information' <<<"$replies")" 2
echo PASS
