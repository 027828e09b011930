# shellcheck shell=bash
# The lab network: one namespace with bridge br0 at the tutorial's server
# address (tree.sh's LAB_SERVER), where the daemons listen and the VMs' tap
# devices are plugged; with LAB_PROXY=1 a second namespace "isc" on the
# bridge at LAB_ISC for the stock DHCP server that owns the addresses.
# Nothing outside the namespaces is touched. Needs tests/lib/netns.sh and
# tree.sh sourced.
#
#   lab_network NS

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
