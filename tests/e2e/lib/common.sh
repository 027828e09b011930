# shellcheck shell=bash
# Sourced first by lab.sh, pxe-boot.sh and bench/boot-bench.sh's runs:
# the source and build directories, the netns harness and the e2e library.
#
#   check_clients N MAX   # fail unless 1 <= N <= MAX
#   check_proxy STOCK     # fail if LAB_PROXY=1 and STOCK names dhcpd
#   lab_prepare           # initrd, boot tree, accelerator and namespace "lab"
#                         # from ASSETS, WORK, CLIENTS, FIRMWARE

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PXE_SRC=${PXE_SRC:-$(cd "$E2E_DIR/../.." && pwd)}
PXE_BUILD=${PXE_BUILD:-$PXE_SRC/build}
. "$PXE_SRC/tests/lib/netns.sh"
. "$E2E_DIR/lib/tree.sh"
. "$E2E_DIR/lib/daemons.sh"
. "$E2E_DIR/lib/vm.sh"
. "$E2E_DIR/lib/net.sh"
. "$E2E_DIR/lib/status.sh"

check_clients() {
	if ! [[ "$1" =~ ^[0-9]+$ ]] || [ "$1" -lt 1 ] || [ "$1" -gt "$2" ]; then
		fail "--clients must be 1..$2"
	fi
}

# --proxy makes our dhcpd the proxyDHCP server beside ISC's.
check_proxy() {
	if [ "${LAB_PROXY:-0}" = 1 ] && [[ ",$1," =~ ,(all|dhcpd), ]]; then
		fail "--proxy runs our dhcpd as the proxyDHCP server: not with --stock of dhcpd"
	fi
}

lab_prepare() {
	[ -f "$LAB_TUTORIAL/dhcpd.fixed.conf" ] ||
		fail "no tutorial files in $LAB_TUTORIAL (set PXE_SHARED to the shared/ directory)"
	"$E2E_DIR/mkinitrd.sh" "$ASSETS" "$WORK/initrd.img" || fail "mkinitrd"
	tree_build "$WORK" "$ASSETS" "$WORK/initrd.img" "$CLIENTS" "$FIRMWARE"
	vm_accel "$ASSETS" "$WORK/initrd.img"
	mkdir -p "$WORK/logs"
	lab_network lab
}
