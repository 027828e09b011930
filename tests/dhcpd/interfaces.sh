#!/bin/bash
# Several interfaces at once: one server namespace with two links, a client
# on each. IP_PKTINFO tells which link a broadcast came in on: each client
# gets an address, router and server identifier of its own subnet.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/dhcpd/lib.sh"
netns_require
need_cmd python3
T=$(tmpdir)
netns_pair srv cli1 198.18.86
netns_add cli2
ip -n "$NS_srv" link add veth1 type veth peer name veth0 netns "$NS_cli2" || fail veth
ip -n "$NS_srv" addr add 198.18.87.1/24 dev veth1
ip -n "$NS_srv" link set veth1 up
ip -n "$NS_cli2" link set veth0 up
ip -n "$NS_cli1" addr flush dev veth0
cat >"$T/dhcpd.conf" <<'CONF'
subnet 198.18.86.0 netmask 255.255.255.0 {
  range 198.18.86.10 198.18.86.20;
  option routers 198.18.86.1;
}
subnet 198.18.87.0 netmask 255.255.255.0 {
  range 198.18.87.10 198.18.87.20;
  option routers 198.18.87.1;
}
CONF
start_dhcpd srv "$T/dhcpd.conf" "$T/dhcpd.leases" veth0 veth1
for n in 86 87; do
	ns=cli1
	[ $n = 87 ] && ns=cli2
	r=$(dhcp $ns veth0 02:00:00:00:00:$n dora | tail -1)
	expect "link $n: address" "$(json yiaddr <<<"$r")" 198.18.$n.10
	expect "link $n: router" "$(json options.3 <<<"$r")" 198.18.$n.1
	expect "link $n: server id" "$(json options.54 <<<"$r")" 198.18.$n.1
done
echo PASS
