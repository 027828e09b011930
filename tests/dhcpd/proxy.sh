#!/bin/bash
# proxyDHCP beside a stock server: ISC dhcpd (isc-dhcp-server) owns the
# addresses, pxe-dhcpd with `proxy-dhcp;` gives PXE clients the boot file:
# a PXE DISCOVER gets both offers, the client takes its address from ISC,
# then asks the proxy on port 4011 (as UEFI firmware does) for the file,
# and gets it back on port 4011.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/dhcpd/lib.sh"
netns_require
need_cmd python3
ISC_DHCPD=/usr/sbin/dhcpd
"$ISC_DHCPD" --version 2>&1 | grep -q isc-dhcpd || skip "stock ISC dhcpd (isc-dhcp-server) not installed"
T=$(tmpdir)
netns_bridge lan 198.18.51
netns_attach lan isc 198.18.51.2/24
netns_attach lan proxy 198.18.51.3/24
netns_attach lan cli none
cat >"$T/isc.conf" <<'CONF'
authoritative;
ping-check false;
subnet 198.18.51.0 netmask 255.255.255.0 {
  range 198.18.51.100 198.18.51.150;
  option routers 198.18.51.1;
}
CONF
cat >"$T/proxy.conf" <<'CONF'
subnet 198.18.51.0 netmask 255.255.255.0 {
  proxy-dhcp;
  next-server 198.18.51.3;
  filename "pxelinux.0";
  filename uefi-x64 "grubx64.efi";
}
CONF
touch "$T/isc.leases"
netns_bg isc "$ISC_DHCPD" -4 -d -cf "$T/isc.conf" -lf "$T/isc.leases" -pf "$T/isc.pid" eth0 >"$T/isc.log" 2>&1
wait_udp_port isc 67 || fail "stock dhcpd did not start: $(cat "$T/isc.log")"
start_dhcpd proxy "$T/proxy.conf" "$T/proxy.leases" eth0
wait_udp_port proxy 4011 || fail "proxy does not listen on 4011"

MAC=52:54:00:51:00:07
PXE=(--arch 7 --vendor PXEClient:Arch:00007:UNDI:003016)
dhcp cli "${PXE[@]}" eth0 $MAC offers >"$T/offers"
field() { python3 -c 'import json,sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d["options"].get("54") == sys.argv[2]:
        v = d
        for k in sys.argv[3].split("."): v = v.get(k, "") if isinstance(v, dict) else ""
        print(v)' "$T/offers" "$1" "$2"; }
expect "offers received" "$(wc -l <"$T/offers")" 2
addr=$(field 198.18.51.2 yiaddr)
expect "ISC offers an address" "${addr%.*}" 198.18.51
expect "the proxy offers no address" "$(field 198.18.51.3 yiaddr)" 0.0.0.0
expect "the proxy offers the UEFI file" "$(field 198.18.51.3 file)" grubx64.efi
expect "the proxy's next-server" "$(field 198.18.51.3 siaddr)" 198.18.51.3
expect "the proxy's option 60" "$(field 198.18.51.3 options.60)" PXEClient
expect "the proxy's option 43" "$(field 198.18.51.3 options.43)" 060108ff

r=$(dhcp cli "${PXE[@]}" eth0 $MAC select "$addr" 198.18.51.2)
expect "ISC acks the address" "$(json type <<<"$r")/$(json yiaddr <<<"$r")" "ACK/$addr"
ip -n "$NS_cli" addr add "$addr/24" dev eth0
# the client listens on $addr:4011 only, as OVMF does: the ACK must come back there, from 4011
r=$(dhcp cli "${PXE[@]}" eth0 $MAC boot-request "$addr" 198.18.51.3)
expect "port 4011 answer" "$(json type <<<"$r")" ACK
expect "port 4011 answer's source" "$(json from <<<"$r")" 198.18.51.3:4011
expect "port 4011 file" "$(json file <<<"$r")" grubx64.efi
expect "port 4011 next-server" "$(json siaddr <<<"$r")" 198.18.51.3

# a client that is not PXE gets only ISC's offer
expect "offers to a non-PXE client" "$(dhcp cli --vendor "udhcp 1.35.0" eth0 52:54:00:51:00:08 offers | wc -l)" 1
echo PASS
