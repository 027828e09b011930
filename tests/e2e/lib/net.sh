# shellcheck shell=bash
# The lab network: one namespace with bridge br0 at the tutorial's server
# address (tree.sh's LAB_SERVER), where the daemons listen and the VMs' tap
# devices are plugged; with LAB_PROXY=1 a second namespace "isc" on the
# bridge at LAB_ISC for the stock DHCP server that owns the addresses.
# Nothing outside the namespaces is touched. Needs tests/lib/netns.sh and
# tree.sh sourced.
#
#   lab_network NS
#   lab_capture NS PCAP                 # tcpdump br0 (headers) until the namespace goes
#   lab_boot_server_exchange PCAP MAC   # MAC asked LAB_SERVER on port 4011, was answered from it

LAB_ISC=$LAB_NET.3

lab_network() {
	local ns=$1
	netns_bridge "$ns" "$LAB_NET"
	# the harness puts the bridge at .1; the tutorial's server is .21
	ip -n "$(ns_name "$ns")" addr flush dev br0
	ip -n "$(ns_name "$ns")" addr add "$LAB_SERVER/24" dev br0
	[ "${LAB_PROXY:-0}" = 1 ] && netns_attach "$ns" isc "$LAB_ISC/24"
	# iPXE waits ~16 s for an IPv6 router unless one advertises itself.
	netns_bg "$ns" python3 "$E2E_DIR/ra-sender.py" br0 3600
}

# Returns once tcpdump says it listens, so no early frame is missed.
lab_capture() {
	netns_bg "$1" tcpdump -q -U -i br0 -s 256 -w "$2" 2>"$2.log"
	wait_for 10 grep -q 'listening on' "$2.log"
}

# The PXE boot-server exchange that a BINL-type proxy offer (tree.sh) makes
# UEFI firmware do: its request to our port 4011, our answer from 4011.
lab_boot_server_exchange() {
	local pcap=$1 mac=$2
	tcpdump -nr "$pcap" "ether src $mac and dst host $LAB_SERVER and udp dst port 4011" 2>/dev/null | grep -q . &&
		tcpdump -nr "$pcap" "ether dst $mac and src host $LAB_SERVER and udp src port 4011" 2>/dev/null | grep -q .
}
